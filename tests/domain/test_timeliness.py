"""How requests are counted in the managers' statistics (docs/uk-foi-rules.md, "Statistics")."""

from __future__ import annotations

import statistics
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.deadlines import CalendarKind, build_calendar
from app.domain.errors import InvalidInput
from app.domain.lifecycle import Status
from app.domain.outcomes import Outcome
from app.domain.timeliness import (
    AGEING_BUCKETS,
    RESOLVABLE,
    Grouping,
    InitialOutcome,
    ProceduralReason,
    Timeliness,
    ageing_bucket,
    bucket_for_due,
    classify_response,
    days_to_respond,
    due_window,
    initial_outcome,
    is_unanswered_open,
    latest_due_with_overdue,
    merge_histograms,
    parse_grouping,
    period_bounds,
    period_key,
    period_label,
    periods_between,
    previous_quarter,
    procedural_reason,
    quarter_of,
    rate,
    review_in_time,
    working_days_overdue,
)

UK = build_calendar(CalendarKind.UK)
SCOTLAND = build_calendar(CalendarKind.SCOTLAND)
BASE = date(2025, 10, 7)  # FOIA, received Tue 9 Sep 2025: due Tue 7 Oct (docs/uk-foi-rules.md worked example)
EXTENDED = date(2025, 11, 4)  # the same plus a 20-day public interest extension


class TestClassifyResponse:
    def test_answered_on_the_due_date_is_in_time(self) -> None:
        assert classify_response(BASE, BASE, BASE, False) is Timeliness.IN_TIME

    def test_answered_early_is_in_time(self) -> None:
        assert classify_response(date(2025, 9, 10), BASE, BASE, False) is Timeliness.IN_TIME

    def test_answered_the_day_after_without_an_extension_is_late(self) -> None:
        assert classify_response(date(2025, 10, 8), BASE, BASE, False) is Timeliness.LATE

    def test_answered_late_within_an_extension_notified_in_time(self) -> None:
        assert classify_response(date(2025, 10, 20), BASE, EXTENDED, False) is Timeliness.IN_TIME_EXTENDED
        assert classify_response(EXTENDED, BASE, EXTENDED, False) is Timeliness.IN_TIME_EXTENDED

    def test_within_the_twenty_days_counts_as_such_even_when_extended(self) -> None:
        assert classify_response(BASE, BASE, EXTENDED, False) is Timeliness.IN_TIME

    def test_an_extension_notified_after_the_due_date_does_not_make_it_in_time(self) -> None:
        assert classify_response(date(2025, 10, 20), BASE, EXTENDED, True) is Timeliness.LATE

    def test_after_the_extended_date_is_late(self) -> None:
        assert classify_response(date(2025, 11, 5), BASE, EXTENDED, False) is Timeliness.LATE

    def test_without_any_due_date_timeliness_is_unknown(self) -> None:
        assert classify_response(BASE, None, None, False) is None

    def test_one_date_alone_is_the_deadline(self) -> None:
        assert classify_response(BASE, None, BASE, False) is Timeliness.IN_TIME
        assert classify_response(date(2025, 10, 8), BASE, None, False) is Timeliness.LATE

    @given(
        answered=st.dates(date(2025, 9, 1), date(2026, 1, 31)),
        base=st.dates(date(2025, 9, 1), date(2026, 1, 31)),
        extra=st.integers(0, 60),
        late_notice=st.booleans(),
    )
    def test_every_answer_gets_exactly_the_class_the_rules_say(self, answered: date, base: date, extra: int, late_notice: bool) -> None:
        due = date.fromordinal(base.toordinal() + extra)
        found = classify_response(answered, base, due, late_notice)
        if answered <= base:
            assert found is Timeliness.IN_TIME
        elif answered <= due and extra and not late_notice:
            assert found is Timeliness.IN_TIME_EXTENDED
        else:
            assert found is Timeliness.LATE


def test_review_timing() -> None:
    assert review_in_time(date(2025, 10, 7), date(2025, 10, 7)) is True
    assert review_in_time(date(2025, 10, 8), date(2025, 10, 7)) is False
    assert review_in_time(None, date(2025, 10, 7)) is None


class TestInitialOutcome:
    @pytest.mark.parametrize(
        ("outcome", "category"),
        [
            (Outcome.GRANTED_IN_FULL, InitialOutcome.GRANTED_IN_FULL),
            (Outcome.GRANTED_IN_PART, InitialOutcome.WITHHELD_IN_PART),
            (Outcome.REFUSED_IN_FULL, InitialOutcome.WITHHELD_IN_FULL),
            (Outcome.NEITHER_CONFIRM_NOR_DENY, InitialOutcome.WITHHELD_IN_FULL),
            (Outcome.REFUSED_COST, InitialOutcome.WITHHELD_IN_FULL),
            (Outcome.REFUSED_VEXATIOUS, InitialOutcome.WITHHELD_IN_FULL),
            (Outcome.REFUSED_REPEATED, InitialOutcome.WITHHELD_IN_FULL),
            (Outcome.NOT_HELD, InitialOutcome.NOT_HELD),
            (Outcome.ADVICE_AND_ASSISTANCE, InitialOutcome.ADVICE_AND_ASSISTANCE),
        ],
    )
    def test_each_outcome_has_its_cabinet_office_category(self, outcome: Outcome, category: InitialOutcome) -> None:
        for status in (Status.RESPONDED, Status.INTERNAL_REVIEW, Status.REVIEW_COMPLETED):
            assert initial_outcome(status, outcome) is category

    @pytest.mark.parametrize(
        "status", [Status.NEW, Status.IN_PROGRESS, Status.AWAITING_FEE, Status.AWAITING_CLARIFICATION, Status.AWAITING_APPROVAL]
    )
    def test_open_requests_are_not_yet_processed(self, status: Status) -> None:
        assert initial_outcome(status, None) is InitialOutcome.NOT_YET_PROCESSED
        assert is_unanswered_open(status)

    def test_an_internal_review_is_open_but_its_request_was_answered(self) -> None:
        assert not is_unanswered_open(Status.INTERNAL_REVIEW)

    @pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.LAPSED])
    def test_lapsed_and_withdrawn(self, status: Status) -> None:
        assert initial_outcome(status, None) is InitialOutcome.LAPSED_OR_WITHDRAWN

    def test_the_resolvable_categories(self) -> None:
        assert {
            InitialOutcome.GRANTED_IN_FULL,
            InitialOutcome.WITHHELD_IN_PART,
            InitialOutcome.WITHHELD_IN_FULL,
            InitialOutcome.NOT_YET_PROCESSED,
        } == RESOLVABLE
        assert all(c.label for c in InitialOutcome)


class TestProceduralReasons:
    def test_cost_and_vexatious_and_repeated(self) -> None:
        assert procedural_reason(Status.RESPONDED, Outcome.REFUSED_COST) is ProceduralReason.COST_LIMIT
        assert procedural_reason(Status.RESPONDED, Outcome.REFUSED_VEXATIOUS) is ProceduralReason.VEXATIOUS
        assert procedural_reason(Status.REVIEW_COMPLETED, Outcome.REFUSED_REPEATED) is ProceduralReason.REPEATED

    def test_exemptions_are_not_procedural(self) -> None:
        assert procedural_reason(Status.RESPONDED, Outcome.REFUSED_IN_FULL) is None
        assert procedural_reason(Status.RESPONDED, Outcome.GRANTED_IN_PART) is None

    def test_a_fee_not_paid(self) -> None:
        assert procedural_reason(Status.LAPSED, None, lapsed_awaiting_fee=True) is ProceduralReason.FEE_NOT_PAID
        assert procedural_reason(Status.LAPSED, None, lapsed_awaiting_fee=False) is None
        assert procedural_reason(Status.IN_PROGRESS, None) is None


class TestAgeing:
    @pytest.mark.parametrize(
        ("days", "key"),
        [(0, "1-5"), (1, "1-5"), (5, "1-5"), (6, "6-20"), (20, "6-20"), (21, "21-40"), (40, "21-40"), (41, "over-40"), (400, "over-40")],
    )
    def test_buckets(self, days: int, key: str) -> None:
        assert ageing_bucket(days).key == key

    def test_working_days_overdue_counts_working_days_after_the_due_date(self) -> None:
        due = date(2025, 10, 7)  # Tuesday
        assert working_days_overdue(due, date(2025, 10, 8), UK) == 1
        assert working_days_overdue(due, date(2025, 10, 13), UK) == 4  # Wed Thu Fri Mon
        friday = date(2025, 10, 10)
        assert working_days_overdue(friday, date(2025, 10, 11), UK) == 0  # the Saturday after: overdue, not by a working day

    def test_the_calendar_of_the_law(self) -> None:
        # Easter Monday 2026 (6 April) is a working day under FOISA, not under FOIA
        due = date(2026, 4, 2)  # Thursday before Good Friday
        assert working_days_overdue(due, date(2026, 4, 7), UK) == 1  # Tue 7 only
        assert working_days_overdue(due, date(2026, 4, 7), SCOTLAND) == 2  # Mon 6 and Tue 7

    @given(as_of=st.dates(date(2024, 1, 1), date(2027, 12, 31)), due=st.dates(date(2023, 6, 1), date(2028, 3, 1)))
    def test_the_window_agrees_with_counting_day_by_day(self, as_of: date, due: date) -> None:
        for calendar in (UK, SCOTLAND):
            window = due_window(calendar, as_of)
            bucket = bucket_for_due(window, due)
            if due >= as_of:
                assert bucket is None
                left = calendar.working_days_between(as_of, due)
                assert (due < window.soon_before) == (left <= 5)
            else:
                assert bucket is ageing_bucket(working_days_overdue(due, as_of, calendar))

    def test_latest_due_with_overdue(self) -> None:
        monday = date(2025, 10, 13)
        assert latest_due_with_overdue(UK, monday, 1) == date(2025, 10, 12)  # due Sunday or before: Monday counts
        assert latest_due_with_overdue(UK, monday, 2) == date(2025, 10, 9)  # due Thursday: Fri and Mon
        with pytest.raises(InvalidInput):
            latest_due_with_overdue(UK, monday, 0)


class TestPeriods:
    def test_keys_and_labels(self) -> None:
        day = date(2025, 9, 30)
        assert period_key(day, Grouping.MONTH) == "2025-09"
        assert period_key(day, Grouping.QUARTER) == "2025-Q3"
        assert period_key(day, Grouping.YEAR) == "2025"
        assert period_label("2025-09") == "Sep 2025"
        assert period_label("2025-Q3") == "Jul–Sep 2025"
        assert period_label("2025") == "2025"

    def test_bounds(self) -> None:
        assert period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
        assert period_bounds("2025-Q4") == (date(2025, 10, 1), date(2025, 12, 31))
        assert period_bounds("2025") == (date(2025, 1, 1), date(2025, 12, 31))

    def test_every_period_between_empty_ones_too(self) -> None:
        assert periods_between(date(2025, 11, 15), date(2026, 2, 1), Grouping.MONTH) == ["2025-11", "2025-12", "2026-01", "2026-02"]
        assert periods_between(date(2025, 3, 31), date(2025, 4, 1), Grouping.QUARTER) == ["2025-Q1", "2025-Q2"]

    def test_quarters(self) -> None:
        assert quarter_of(date(2026, 2, 3)) == (date(2026, 1, 1), date(2026, 3, 31))
        assert previous_quarter(date(2026, 2, 3)) == (date(2025, 10, 1), date(2025, 12, 31))

    def test_grouping_names_the_field(self) -> None:
        assert parse_grouping("Quarter") is Grouping.QUARTER
        with pytest.raises(InvalidInput) as problem:
            parse_grouping("week")
        assert problem.value.field == "group_by"


class TestDaysToRespond:
    @given(st.lists(st.integers(0, 200), min_size=1, max_size=60))
    def test_same_as_the_standard_library(self, days: list[int]) -> None:
        histogram: dict[int, int] = {}
        for d in days:
            histogram[d] = histogram.get(d, 0) + 1
        found = days_to_respond(histogram)
        assert found.count == len(days)
        assert found.median == statistics.median(days)
        assert found.mean == round(statistics.mean(days), 1)
        assert found.longest == max(days)

    def test_nothing_answered(self) -> None:
        found = days_to_respond({})
        assert (found.count, found.median, found.mean, found.longest) == (0, None, None, None)

    def test_merge_and_rate(self) -> None:
        assert merge_histograms([{1: 2}, {1: 1, 3: 1}]) == {1: 3, 3: 1}
        assert rate(1, 3) == 33.3
        assert rate(0, 0) is None


def test_buckets_cover_every_number_of_days_once() -> None:
    keys = [b.key for b in AGEING_BUCKETS]
    assert keys == ["1-5", "6-20", "21-40", "over-40"]
