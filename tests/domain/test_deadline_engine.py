"""The statutory clock (docs/uk-foi-rules.md). Every expected date was counted by hand on a calendar
(GOV.UK bank holidays, cross-checked with the `holidays` package), never taken from the engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest

from app.domain.deadlines import (
    CalendarCorrection,
    CalendarKind,
    ClockEvent,
    ClockEventType,
    Deadline,
    Nation,
    Stage,
    add_months,
    build_calendar,
    compute_deadline,
    explain_days,
    receipt_date,
    working_days_remaining,
)
from app.domain.errors import InvalidInput
from app.domain.regimes import Regime

UK = build_calendar(CalendarKind.UK)
SCOTLAND = build_calendar(CalendarKind.SCOTLAND)

FEE_NOTICE = ClockEventType.FEE_NOTICE_ISSUED
FEE_PAID = ClockEventType.FEE_PAID
CLARIFY = ClockEventType.CLARIFICATION_REQUESTED
CLARIFIED = ClockEventType.CLARIFICATION_RECEIVED
PIT = ClockEventType.PIT_EXTENSION
REG7 = ClockEventType.EIR_EXTENSION


def ev(kind: ClockEventType | str, on: date, working_days: int | None = None) -> ClockEvent:
    return ClockEvent(kind, on, working_days)  # type: ignore[arg-type]


def deadline(
    regime: str,
    received_on: date,
    events: Sequence[ClockEvent] = (),
    stage: str = "initial",
    calendar=None,
) -> Deadline:
    if calendar is None:
        calendar = SCOTLAND if regime == "foisa" else UK
    return compute_deadline(regime, stage, received_on, events, calendar)


def due(regime: str, received_on: date, events: Sequence[ClockEvent] = (), stage: str = "initial") -> date | None:
    return deadline(regime, received_on, events, stage).due_on


# -- the worked examples of docs/uk-foi-rules.md ---------------------------------------------------


def test_worked_example_plain_foia():
    assert due("foia", date(2025, 9, 9)) == date(2025, 10, 7)


def test_worked_example_received_on_a_saturday():
    assert due("foia", date(2025, 10, 4)) == date(2025, 10, 31)


def test_worked_example_boyne_and_scottish_august_holiday_count_for_foia():
    result = due("foia", date(2025, 7, 4))
    assert result == date(2025, 8, 5)
    assert result != date(2025, 8, 1)


def test_worked_example_foisa_easter():
    assert due("foisa", date(2026, 3, 25)) == date(2026, 4, 23)


# -- receipt and weekends ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        (date(2025, 10, 3), date(2025, 10, 31)),  # Friday
        (date(2025, 10, 4), date(2025, 10, 31)),  # Saturday: same as Friday
        (date(2025, 10, 5), date(2025, 10, 31)),  # Sunday: same as Friday
        (date(2025, 10, 6), date(2025, 11, 3)),  # Monday
    ],
)
def test_receipt_on_a_weekend_counts_from_the_next_working_day(received_on, expected):
    assert due("foia", received_on) == expected


def test_receipt_on_a_bank_holiday_is_day_zero():
    # Mon 25 Aug 2025 (late summer bank holiday, not in Scotland): day 1 is Tue 26 Aug either way.
    assert due("foia", date(2025, 8, 25)) == date(2025, 9, 22)
    assert due("foisa", date(2025, 8, 25)) == date(2025, 9, 22)
    # Mon 14 July 2025 (Boyne substitute): day 1 Tue 15 July; 4 Aug (Scotland) skipped.
    assert due("foia", date(2025, 7, 14)) == date(2025, 8, 12)


def test_received_on_christmas_day():
    # Thu 25 Dec 2025: 26 Dec, 1 Jan and 2 Jan (Scotland) skipped; day 1 is Mon 29 Dec.
    assert due("foia", date(2025, 12, 25)) == date(2026, 1, 27)


# -- each nation's holidays -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "received_on", "foia_due", "foisa_due"),
    [
        ("St Patrick's Day, Mon 17 Mar 2025", date(2025, 3, 7), date(2025, 4, 7), date(2025, 4, 4)),
        ("Boyne, Mon 12 Jul 2027", date(2027, 6, 25), date(2027, 7, 26), date(2027, 7, 23)),
        ("Boyne substitute, Mon 13 Jul 2026", date(2026, 7, 1), date(2026, 7, 30), date(2026, 7, 29)),
        ("Scottish August holiday, Mon 4 Aug 2025", date(2025, 7, 4), date(2025, 8, 5), date(2025, 8, 1)),
        ("late August, not in Scotland, Mon 25 Aug 2025", date(2025, 8, 15), date(2025, 9, 15), date(2025, 9, 12)),
        ("Easter 2026: Easter Monday not Scottish", date(2026, 3, 25), date(2026, 4, 24), date(2026, 4, 23)),
        ("Easter 2025 and May Day", date(2025, 4, 10), date(2025, 5, 13), date(2025, 5, 12)),
        ("St Andrew's Day, Mon 30 Nov 2026", date(2026, 11, 16), date(2026, 12, 15), date(2026, 12, 15)),
        ("St Andrew's Day substitute, Mon 1 Dec 2025", date(2025, 11, 21), date(2025, 12, 22), date(2025, 12, 22)),
        ("2 January 2025 (Scotland) counts for FOIA too", date(2024, 12, 16), date(2025, 1, 17), date(2025, 1, 17)),
    ],
)
def test_each_nations_holidays(name, received_on, foia_due, foisa_due):
    assert due("foia", received_on) == foia_due, name
    assert due("eir", received_on) == foia_due, name
    assert due("foisa", received_on) == foisa_due, name


@pytest.mark.parametrize(
    ("name", "received_on", "expected"),
    [
        ("Christmas 2025: 25, 26 Dec, 1 and 2 Jan", date(2025, 12, 12), date(2026, 1, 15)),
        (
            "Christmas 2026: Boxing Day substitute Mon 28 Dec, 2 Jan substitute Mon 4 Jan",
            date(2026, 12, 14),
            date(2027, 1, 15),
        ),
        ("Christmas 2027: substitutes 27 and 28 Dec, 3 and 4 Jan 2028", date(2027, 12, 17), date(2028, 1, 20)),
    ],
)
def test_year_ends(name, received_on, expected):
    assert due("foia", received_on) == expected, name


def test_year_end_foisa():
    assert due("foisa", date(2025, 12, 12)) == date(2026, 1, 15)
    assert due("foisa", date(2026, 12, 14)) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("name", "received_on", "foia_due", "foisa_due"),
    [
        (
            "Platinum Jubilee, Fri 3 Jun 2022 (and 30 May a working day)",
            date(2022, 5, 20),
            date(2022, 6, 21),
            date(2022, 6, 21),
        ),
        ("State funeral, Mon 19 Sep 2022", date(2022, 9, 9), date(2022, 10, 10), date(2022, 10, 10)),
        ("Coronation, Mon 8 May 2023", date(2023, 4, 28), date(2023, 5, 31), date(2023, 5, 31)),
        ("Scotland only, Mon 15 Jun 2026, counts for FOIA too", date(2026, 6, 1), date(2026, 6, 30), date(2026, 6, 30)),
    ],
)
def test_one_off_days(name, received_on, foia_due, foisa_due):
    assert due("foia", received_on) == foia_due, name
    assert due("foisa", received_on) == foisa_due, name


# -- fees (FOIA s.10(2), EIR reg 8, FOISA s.10(3)) --------------------------------------------


def test_fee_period_is_disregarded_from_notice_through_payment():
    # Notice Fri 12 Sep, paid Tue 16 Sep 2025: Fri 12, Mon 15, Tue 16 not counted.
    result = deadline("foia", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 9, 16))])
    assert result.due_on == date(2025, 10, 10)
    assert result.original_due_on == date(2025, 10, 10)
    assert result.paused_periods == ((date(2025, 9, 12), date(2025, 9, 16)),)
    assert not result.clock_stopped and not result.extended


def test_fee_paid_the_same_day_as_the_notice_loses_one_day():
    events = [ev(FEE_NOTICE, date(2025, 9, 17)), ev(FEE_PAID, date(2025, 9, 17))]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 8)


def test_fee_period_spanning_a_weekend():
    events = [ev(FEE_NOTICE, date(2025, 9, 19)), ev(FEE_PAID, date(2025, 9, 22))]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 9)


def test_fee_period_on_a_weekend_only_changes_nothing():
    events = [ev(FEE_NOTICE, date(2025, 9, 13)), ev(FEE_PAID, date(2025, 9, 14))]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 7)


def test_fee_notice_on_the_day_of_receipt():
    events = [ev(FEE_NOTICE, date(2025, 9, 9)), ev(FEE_PAID, date(2025, 9, 11))]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 9)


def test_two_fee_periods():
    events = [
        ev(FEE_NOTICE, date(2025, 9, 12)),
        ev(FEE_PAID, date(2025, 9, 16)),
        ev(FEE_NOTICE, date(2025, 9, 29)),
        ev(FEE_PAID, date(2025, 10, 1)),
    ]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 15)


def test_foisa_fee_period_over_easter_counts_easter_monday_as_paused():
    # Notice Mon 30 Mar, paid Thu 9 Apr 2026: 8 Scottish working days disregarded (Easter Monday is one).
    events = [ev(FEE_NOTICE, date(2026, 3, 30)), ev(FEE_PAID, date(2026, 4, 9))]
    assert due("foisa", date(2026, 3, 25), events) == date(2026, 5, 6)


def test_eir_advance_payment_pauses_too():
    events = [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 9, 16))]
    assert due("eir", date(2025, 9, 9), events) == date(2025, 10, 10)


def test_no_due_date_while_the_fee_is_outstanding():
    result = deadline("foia", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 12))])
    assert result.due_on is None
    assert result.original_due_on is None
    assert result.clock_stopped
    assert result.stopped_reason == "awaiting fee"
    assert result.stopped_since == date(2025, 9, 12)
    assert result.lapses_on == date(2025, 12, 12)
    assert result.working_days_left(date(2025, 9, 15)) is None


def test_fee_paid_after_three_months_is_flagged():
    events = [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 12, 12))]
    result = deadline("foia", date(2025, 9, 9), events)
    assert result.due_on == date(2026, 1, 13)
    assert result.flags == ("fee_paid_after_lapse",)
    assert "lapsed on Friday 12 December 2025" in result.warnings[0]
    in_time = deadline("foia", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 12, 11))])
    assert in_time.due_on == date(2026, 1, 12)
    assert in_time.flags == ()


def test_fee_notice_after_the_due_date_is_flagged_and_moves_nothing():
    events = [ev(FEE_NOTICE, date(2025, 10, 8)), ev(FEE_PAID, date(2025, 10, 9))]
    result = deadline("foia", date(2025, 9, 9), events)
    assert result.due_on == date(2025, 10, 7)
    assert result.flags == ("fee_notice_late",)
    assert "FOIA s.9(1)" in result.warnings[0]


def test_an_eir_advance_payment_lapses_after_60_working_days():
    # EIR reg 8: 60 working days from the notice on the UK-wide calendar; St Andrew's Day's substitute
    # (Mon 1 December 2025, Scotland) is not one of them, so the 60th is Tue 9 December
    result = deadline("eir", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 15))])
    assert result.lapses_on == date(2025, 12, 10)
    assert result.explanation[-1].endswith(
        "unpaid, the request lapses on Wednesday 10 December 2025: 60 working days after the fees notice (EIR reg 8)."
    )
    paid_on_the_60th = deadline("eir", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 15)), ev(FEE_PAID, date(2025, 12, 9))])
    assert paid_on_the_60th.flags == ()
    paid_late = deadline("eir", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 15)), ev(FEE_PAID, date(2025, 12, 10))])
    assert paid_late.flags == ("fee_paid_after_lapse",)
    assert "more than 60 working days after the fees notice" in paid_late.warnings[0]


def test_fees_lapse_after_three_months_under_foia_and_foisa_and_clarifications_everywhere():
    assert deadline("foia", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 15))]).lapses_on == date(2025, 12, 15)
    foisa = deadline("foisa", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 15))])
    assert foisa.lapses_on == date(2025, 12, 15)
    assert "three months after the fees notice (FOISA s.9(4))" in foisa.explanation[-1]
    for regime in ("foia", "eir", "foisa"):
        assert deadline(regime, date(2025, 9, 9), [ev(CLARIFY, date(2025, 9, 15))]).lapses_on == date(2025, 12, 15)


def test_lapse_date_at_month_end():
    assert deadline("foia", date(2025, 11, 3), [ev(FEE_NOTICE, date(2025, 11, 30))]).lapses_on == date(2026, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2025, 10, 31), 3) == date(2026, 1, 31)


# -- clarification (FOIA s.1(3), EIR reg 9, FOISA s.1(3); ICO LTT137) -------------------------


def test_clarification_is_a_new_date_of_receipt():
    events = [ev(CLARIFY, date(2025, 9, 11)), ev(CLARIFIED, date(2025, 9, 15))]
    result = deadline("foia", date(2025, 9, 9), events)
    assert result.due_on == date(2025, 10, 13)
    assert result.effective_received_on == date(2025, 9, 15)


def test_clarification_received_on_a_saturday():
    events = [ev(CLARIFY, date(2025, 9, 11)), ev(CLARIFIED, date(2025, 9, 20))]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 17)


def test_no_due_date_while_awaiting_clarification():
    result = deadline("foia", date(2025, 9, 9), [ev(CLARIFY, date(2025, 9, 11))])
    assert result.due_on is None
    assert result.stopped_reason == "awaiting clarification"
    assert result.stopped_since == date(2025, 9, 11)
    assert result.lapses_on == date(2025, 12, 11)
    assert result.effective_received_on == date(2025, 9, 9)


def test_clarification_forgets_an_earlier_fee_pause():
    events = [
        ev(FEE_NOTICE, date(2025, 9, 12)),
        ev(FEE_PAID, date(2025, 9, 16)),
        ev(CLARIFY, date(2025, 9, 17)),
        ev(CLARIFIED, date(2025, 9, 18)),
    ]
    result = deadline("foia", date(2025, 9, 9), events)
    assert result.due_on == date(2025, 10, 16)
    assert result.paused_periods == ()
    assert any("fee pause is forgotten" in sentence for sentence in result.explanation)


def test_clarification_forgets_an_earlier_extension():
    events = [ev(PIT, date(2025, 9, 20), 10), ev(CLARIFY, date(2025, 9, 22)), ev(CLARIFIED, date(2025, 9, 24))]
    result = deadline("foia", date(2025, 9, 9), events)
    assert result.due_on == date(2025, 10, 22)
    assert result.working_days_limit == 20
    assert not result.extended
    assert any("extension is forgotten" in sentence for sentence in result.explanation)


def test_foisa_clarification_before_good_friday():
    events = [ev(CLARIFY, date(2026, 3, 26)), ev(CLARIFIED, date(2026, 4, 2))]
    assert due("foisa", date(2026, 3, 25), events) == date(2026, 5, 1)


def test_clarification_after_three_months_is_flagged_but_restarts():
    events = [ev(CLARIFY, date(2025, 9, 10)), ev(CLARIFIED, date(2025, 12, 10))]
    result = deadline("foia", date(2025, 9, 9), events)
    assert result.due_on == date(2026, 1, 13)
    assert result.flags == ("clarification_received_after_lapse",)


def test_fee_after_clarification_counts_from_the_new_receipt():
    # New receipt Mon 15 Sep; notice Wed 17, paid Thu 18: two working days disregarded.
    events = [
        ev(CLARIFY, date(2025, 9, 11)),
        ev(CLARIFIED, date(2025, 9, 15)),
        ev(FEE_NOTICE, date(2025, 9, 17)),
        ev(FEE_PAID, date(2025, 9, 18)),
    ]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 15)


# -- extensions (FOIA s.10(3), EIR reg 7) ------------------------------------------------------


def test_public_interest_extension_in_time():
    result = deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 1), 20)])
    assert result.due_on == date(2025, 11, 4)
    assert result.original_due_on == date(2025, 10, 7)
    assert result.working_days_limit == 40
    assert result.extended
    assert result.flags == ()


def test_public_interest_extension_on_the_due_date_is_in_time():
    assert deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 7), 20)]).flags == ()


def test_public_interest_extension_after_the_due_date_is_flagged():
    result = deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 8), 20)])
    assert result.due_on == date(2025, 11, 4)
    assert result.flags == ("extension_notified_late",)
    assert "Tuesday 7 October 2025" in result.warnings[0]


def test_public_interest_extension_over_40_days_is_flagged():
    result = deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 1), 25)])
    assert result.due_on == date(2025, 11, 11)
    assert result.working_days_limit == 45
    assert result.flags == ("pit_extension_over_40_days",)


def test_two_public_interest_extensions_are_judged_against_the_extended_date():
    first = ev(PIT, date(2025, 10, 1), 10)  # due becomes Tue 21 Oct 2025
    in_time = deadline("foia", date(2025, 9, 9), [first, ev(PIT, date(2025, 10, 20), 10)])
    assert in_time.due_on == date(2025, 11, 4)
    assert in_time.flags == ()
    late = deadline("foia", date(2025, 9, 9), [first, ev(PIT, date(2025, 10, 22), 15)])
    assert late.due_on == date(2025, 11, 11)
    assert late.flags == ("extension_notified_late", "pit_extension_over_40_days")
    assert late.original_due_on == date(2025, 10, 7)


def test_extension_after_a_fee_pause():
    events = [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 9, 16)), ev(REG7, date(2025, 10, 10))]
    result = deadline("eir", date(2025, 9, 9), events)
    assert result.due_on == date(2025, 11, 7)
    assert result.original_due_on == date(2025, 10, 10)
    assert result.flags == ()
    late = deadline("eir", date(2025, 9, 9), [*events[:2], ev(REG7, date(2025, 10, 13))])
    assert late.flags == ("extension_notified_late",)


def test_eir_regulation_7_extension_in_time():
    result = deadline("eir", date(2025, 9, 9), [ev(REG7, date(2025, 10, 7))])
    assert result.due_on == date(2025, 11, 4)
    assert result.working_days_limit == 40
    assert result.flags == ()


def test_eir_regulation_7_extension_after_the_first_20_days_is_flagged():
    result = deadline("eir", date(2025, 9, 9), [ev(REG7, date(2025, 10, 8))])
    assert result.due_on == date(2025, 11, 4)
    assert result.flags == ("extension_notified_late",)
    assert "EIR reg 7" in result.warnings[0]


def test_foisa_has_no_public_interest_extension():
    with pytest.raises(InvalidInput) as caught:
        deadline("foisa", date(2026, 3, 25), [ev(PIT, date(2026, 4, 1), 20)])
    assert caught.value.field == "events[0].type"
    assert "FOISA has no public interest extension" in caught.value.message


def test_foisa_has_no_regulation_7_extension():
    with pytest.raises(InvalidInput) as caught:
        deadline("foisa", date(2026, 3, 25), [ev(REG7, date(2026, 4, 1))])
    assert caught.value.field == "events[0].type"
    assert "FOISA" in caught.value.message


def test_eir_has_no_public_interest_extension():
    with pytest.raises(InvalidInput) as caught:
        deadline("eir", date(2025, 9, 9), [ev(PIT, date(2025, 9, 20), 20)])
    assert caught.value.field == "events[0].type"
    assert "reg 7" in caught.value.message


def test_foia_has_no_regulation_7_extension():
    with pytest.raises(InvalidInput) as caught:
        deadline("foia", date(2025, 9, 9), [ev(REG7, date(2025, 9, 20))])
    assert caught.value.field == "events[0].type"


def test_regulation_7_only_once():
    with pytest.raises(InvalidInput) as caught:
        deadline("eir", date(2025, 9, 9), [ev(REG7, date(2025, 9, 20)), ev(REG7, date(2025, 9, 22))])
    assert caught.value.field == "events[1].type"


# -- internal review (s.45 Code, EIR reg 11(4), FOISA s.21(1)) ---------------------------------


def test_internal_review_limits_per_regime():
    assert due("foia", date(2025, 9, 9), stage="internal_review") == date(2025, 10, 7)
    assert due("eir", date(2025, 9, 9), stage="internal_review") == date(2025, 11, 4)
    assert due("foisa", date(2026, 3, 25), stage=Stage.INTERNAL_REVIEW) == date(2026, 4, 23)
    eir = deadline("eir", date(2025, 9, 9), stage="internal_review")
    assert eir.working_days_limit == 40 and not eir.extended


def test_foia_internal_review_extension_to_40_and_beyond():
    result = deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 1), 20)], stage="internal_review")
    assert result.due_on == date(2025, 11, 4)
    assert result.flags == ()
    over = deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 1), 25)], stage="internal_review")
    assert over.due_on == date(2025, 11, 11)
    assert over.flags == ("pit_extension_over_40_days",)
    assert "s.45 Code" in over.warnings[0]


@pytest.mark.parametrize("kind", [FEE_NOTICE, CLARIFY])
def test_internal_review_has_no_fees_or_clarification(kind):
    with pytest.raises(InvalidInput) as caught:
        deadline("foia", date(2025, 9, 9), [ev(kind, date(2025, 9, 12))], stage="internal_review")
    assert caught.value.field == "events[0].type"


def test_eir_internal_review_cannot_be_extended():
    with pytest.raises(InvalidInput) as caught:
        deadline("eir", date(2025, 9, 9), [ev(REG7, date(2025, 9, 12))], stage="internal_review")
    assert caught.value.field == "events[0].type"
    assert "reg 11(4)" in caught.value.message


def test_foisa_internal_review_cannot_be_extended():
    with pytest.raises(InvalidInput) as caught:
        deadline("foisa", date(2026, 3, 25), [ev(PIT, date(2026, 3, 30), 5)], stage="internal_review")
    assert "FOISA" in caught.value.message


# -- calendar corrections reach the due date ---------------------------------------------------


def test_adding_a_holiday_moves_the_due_date_and_records_the_calendar():
    corrected = build_calendar("uk", [CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "Proclaimed day")])
    before = compute_deadline("foia", "initial", date(2025, 9, 9), [], UK)
    after = compute_deadline("foia", "initial", date(2025, 9, 9), [], corrected)
    assert before.due_on == date(2025, 10, 7)
    assert after.due_on == date(2025, 10, 8)
    assert before.calendar_version == UK.version
    assert after.calendar_version == corrected.version != UK.version


def test_removing_a_holiday_moves_the_due_date_earlier():
    corrected = build_calendar("scotland", [CalendarCorrection(date(2026, 6, 15), Nation.SCT, "remove", "")])
    assert compute_deadline("foisa", "initial", date(2026, 6, 1), [], corrected).due_on == date(2026, 6, 29)
    assert due("foisa", date(2026, 6, 1)) == date(2026, 6, 30)


def test_regime_needs_its_own_calendar():
    with pytest.raises(InvalidInput) as caught:
        compute_deadline("foisa", "initial", date(2026, 3, 25), [], UK)
    assert caught.value.field == "calendar"


# -- working days left ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "left"),
    [
        (date(2025, 9, 9), 20),
        (date(2025, 10, 3), 2),
        (date(2025, 10, 4), 2),  # Saturday
        (date(2025, 10, 6), 1),
        (date(2025, 10, 7), 0),  # the due date
        (date(2025, 10, 8), -1),
        (date(2025, 10, 13), -4),
    ],
)
def test_working_days_remaining(as_of, left):
    result = deadline("foia", date(2025, 9, 9))
    assert working_days_remaining(result, as_of, UK) == left
    assert result.working_days_left(as_of, UK) == left


def test_working_days_remaining_refuses_another_calendar():
    result = deadline("foia", date(2025, 9, 9))
    other = build_calendar("uk", [CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "X")])
    with pytest.raises(InvalidInput) as caught:
        working_days_remaining(result, date(2025, 9, 10), other)
    assert caught.value.field == "calendar"


# -- explanation ------------------------------------------------------------------------------


def test_explanation_of_a_plain_request():
    assert deadline("foia", date(2025, 9, 9)).explanation == (
        "Received on Tuesday 9 September 2025 (day 0; counting starts the next working day).",
        "Due on Tuesday 7 October 2025: the 20th working day after receipt (FOIA s.10(1)).",
    )


def test_explanation_of_a_fee_pause():
    events = [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 9, 16))]
    assert deadline("foia", date(2025, 9, 9), events).explanation == (
        "Received on Tuesday 9 September 2025 (day 0; counting starts the next working day).",
        "Fees notice issued on Friday 12 September 2025: the clock stopped.",
        (
            "Fee received on Tuesday 16 September 2025: working days from Friday 12 September 2025 through "
            "Tuesday 16 September 2025 are not counted (3 working days; FOIA s.10(2))."
        ),
        "Due on Friday 10 October 2025: the 20th working day after receipt (FOIA s.10(1)), not counting the fee period.",
    )


def test_explanation_of_an_extension_gives_the_original_date():
    result = deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 1), 20)])
    assert result.explanation[-2] == (
        "Public interest extension of 20 working days notified on Wednesday 1 October 2025 (FOIA s.10(3)): "
        "the limit is now 40 working days."
    )
    assert result.explanation[-1] == (
        "Due on Tuesday 4 November 2025: the 40th working day after receipt (FOIA s.10(1)). "
        "Without the extension it would have been due on Tuesday 7 October 2025."
    )


def test_explanation_while_stopped_gives_the_lapse_date():
    result = deadline("foisa", date(2026, 3, 25), [ev(CLARIFY, date(2026, 3, 26))])
    assert result.explanation[-2] == (
        "Clarification requested on Thursday 26 March 2026: the clock stopped until the requester answers (FOISA s.1(3))."
    )
    assert "Friday 26 June 2026" in result.explanation[-1]


def test_explanation_of_an_internal_review():
    result = deadline("eir", date(2025, 9, 9), stage="internal_review")
    assert result.explanation == (
        "Internal review requested on Tuesday 9 September 2025 (day 0; counting starts the next working day).",
        "Due on Tuesday 4 November 2025: the 40th working day after the review was requested (EIR reg 11(4)).",
    )


def test_explanation_does_not_take_part_in_equality():
    a = deadline("foia", date(2025, 9, 9))
    b = deadline("foia", date(2025, 9, 9))
    _ = a.explanation
    assert a == b and hash(a) == hash(b)


# -- explain_days: the day-by-day panel ---------------------------------------------------------


def test_explain_days_for_the_boyne_example():
    result = deadline("foia", date(2025, 7, 4))
    days = {entry.day: entry for entry in explain_days(result, UK)}
    assert days[date(2025, 7, 4)].kind == "received" and days[date(2025, 7, 4)].number == 0
    assert days[date(2025, 7, 7)].kind == "counted" and days[date(2025, 7, 7)].number == 1
    assert days[date(2025, 7, 14)].kind == "skipped"
    assert days[date(2025, 7, 14)].reason == "Battle of the Boyne (substitute day) (Northern Ireland)"
    assert days[date(2025, 8, 4)].reason == "Summer Bank Holiday (Scotland)"
    assert days[date(2025, 8, 1)].number == 19
    assert days[date(2025, 8, 5)].kind == "due" and days[date(2025, 8, 5)].number == 20
    assert max(days) == date(2025, 8, 5)


def test_explain_days_shows_the_fee_period():
    events = [ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 9, 16))]
    entries = {entry.day: entry for entry in explain_days(deadline("foia", date(2025, 9, 9), events))}
    assert [entries[date(2025, 9, d)].kind for d in range(10, 18)] == [
        "counted", "counted", "paused", "skipped", "skipped", "paused", "paused", "counted",
    ]  # fmt: skip
    assert entries[date(2025, 9, 17)].number == 3
    assert "FOIA s.10(2)" in entries[date(2025, 9, 15)].reason


def test_explain_days_while_stopped_runs_to_the_given_day():
    result = deadline("foia", date(2025, 9, 9), [ev(FEE_NOTICE, date(2025, 9, 12))])
    entries = explain_days(result, UK, until=date(2025, 9, 30))
    assert entries[-1].day == date(2025, 9, 30)
    assert [e.number for e in entries if e.number] == [1, 2]
    assert all(e.kind in ("paused", "skipped") for e in entries if e.day >= date(2025, 9, 12))
    far = explain_days(result, UK, until=date(2030, 1, 1))
    assert len(far) <= 401


def test_explain_days_marks_the_original_due_date_of_an_extension():
    entries = {e.day: e for e in explain_days(deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 10, 1), 20)]))}
    assert entries[date(2025, 10, 7)].number == 20
    assert "without the extension" in entries[date(2025, 10, 7)].reason
    assert "FOIA s.10(3)" in entries[date(2025, 10, 8)].reason


def test_explain_days_after_a_clarification_starts_at_the_new_receipt():
    events = [ev(CLARIFY, date(2025, 9, 11)), ev(CLARIFIED, date(2025, 9, 15))]
    entries = explain_days(deadline("foia", date(2025, 9, 9), events))
    assert entries[0].day == date(2025, 9, 15) and entries[0].kind == "received"
    assert "clarification" in entries[0].reason
    assert entries[-1].day == date(2025, 10, 13) and entries[-1].number == 20


# -- receipt date (counting rule 2) -------------------------------------------------------------


def test_receipt_date_is_the_london_day():
    # 23:30 UTC on Fri 3 Oct 2025 is 00:30 BST on Saturday: received Saturday.
    assert receipt_date(datetime(2025, 10, 3, 23, 30, tzinfo=UTC)) == date(2025, 10, 4)
    # In winter London is on UTC.
    assert receipt_date(datetime(2025, 12, 1, 23, 30, tzinfo=UTC)) == date(2025, 12, 1)


def test_receipt_date_needs_a_time_zone():
    with pytest.raises(InvalidInput) as caught:
        receipt_date(datetime(2025, 10, 3, 23, 30))
    assert caught.value.field == "received_at"


# -- validation: every bad input names its field ------------------------------------------------


@pytest.mark.parametrize(
    ("events", "field"),
    [
        (
            [ev(FEE_NOTICE, date(2025, 9, 20)), ev(FEE_PAID, date(2025, 9, 25)), ev(CLARIFY, date(2025, 9, 22))],
            "events[2].on",
        ),
        ([ev(PIT, date(2025, 9, 8), 5)], "events[0].on"),
        ([ev(FEE_PAID, date(2025, 9, 12))], "events[0].type"),
        ([ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_PAID, date(2025, 9, 11))], "events[1].on"),
        ([ev(CLARIFIED, date(2025, 9, 12))], "events[0].type"),
        ([ev(FEE_NOTICE, date(2025, 9, 12)), ev(FEE_NOTICE, date(2025, 9, 15))], "events[1].type"),
        ([ev(CLARIFY, date(2025, 9, 12)), ev(CLARIFY, date(2025, 9, 15))], "events[1].type"),
        ([ev(FEE_NOTICE, date(2025, 9, 12)), ev(CLARIFY, date(2025, 9, 15))], "events[1].type"),
        ([ev(CLARIFY, date(2025, 9, 12)), ev(FEE_NOTICE, date(2025, 9, 15))], "events[1].type"),
        ([ev(FEE_NOTICE, date(2025, 9, 12)), ev(PIT, date(2025, 9, 15), 10)], "events[1].type"),
        ([ev(PIT, date(2025, 9, 12))], "events[0].working_days"),
        ([ev(PIT, date(2025, 9, 12), 0)], "events[0].working_days"),
        ([ev(PIT, date(2025, 9, 12), -3)], "events[0].working_days"),
        ([ev(PIT, date(2025, 9, 12), "10")], "events[0].working_days"),  # type: ignore[arg-type]
        ([ev(PIT, date(2025, 9, 12), 2.5)], "events[0].working_days"),  # type: ignore[arg-type]
        ([ev(PIT, date(2025, 9, 12), True)], "events[0].working_days"),
        ([ev(FEE_NOTICE, date(2025, 9, 12), 5)], "events[0].working_days"),
        ([ev("fee_waived", date(2025, 9, 12))], "events[0].type"),
        ([ev(PIT, datetime(2025, 9, 12, 10, 0), 5)], "events[0].on"),
        ([ev(PIT, "2025-09-12", 5)], "events[0].on"),  # type: ignore[arg-type]
        ([ev(PIT, date(2061, 1, 5), 5)], "events[0].on"),
        (["fee_notice_issued"], "events[0]"),
    ],
)
def test_bad_events_name_the_field(events, field):
    with pytest.raises(InvalidInput) as caught:
        deadline("foia", date(2025, 9, 9), events)
    assert caught.value.field == field


def test_events_out_of_order_say_so():
    with pytest.raises(InvalidInput) as caught:
        deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 9, 20), 5), ev(PIT, date(2025, 9, 15), 5)])
    assert caught.value.field == "events[1].on"
    assert str(caught.value) == "Event 2 date must be the same as or after the date of the event before it (20 September 2025)"


@pytest.mark.parametrize("working_days", [61, 50_000, 10**30])
def test_an_extension_too_long_is_refused_naming_its_working_days(working_days: int) -> None:
    """Not said of the date received as a due date past the end of the calendar."""
    with pytest.raises(InvalidInput) as caught:
        deadline("foia", date(2025, 9, 9), [ev(PIT, date(2025, 9, 12), working_days)])
    assert caught.value.field == "events[0].working_days"
    assert str(caught.value) == "Event 1 working days must be a whole number from 1 to 60"


def test_a_date_outside_the_calendar_is_said_with_the_field_and_the_dates_it_covers() -> None:
    with pytest.raises(InvalidInput) as caught:
        deadline("foia", date(1, 1, 1), [])
    assert caught.value.field == "received_on"
    assert str(caught.value) == "Date the request was received must be between 1 January 1990 and 31 December 2060"


@pytest.mark.parametrize(
    ("regime", "stage", "received_on", "field"),
    [
        ("gdpr", "initial", date(2025, 9, 9), "regime"),
        ("foia", "appeal", date(2025, 9, 9), "stage"),
        ("foia", "initial", datetime(2025, 9, 9, 12, 0), "received_on"),
        ("foia", "initial", "2025-09-09", "received_on"),
        ("foia", "initial", date(1985, 9, 9), "received_on"),
        ("foia", "initial", date(2060, 12, 20), "received_on"),  # due date beyond the calendar
    ],
)
def test_bad_request_fields(regime, stage, received_on, field):
    with pytest.raises(InvalidInput) as caught:
        compute_deadline(regime, stage, received_on, [], UK)
    assert caught.value.field == field


def test_event_types_given_as_text_are_accepted():
    events = [ClockEvent("fee_notice_issued", date(2025, 9, 12)), ClockEvent("fee_paid", date(2025, 9, 16))]  # type: ignore[arg-type]
    assert compute_deadline(Regime.FOIA, Stage.INITIAL, date(2025, 9, 9), events, UK).due_on == date(2025, 10, 10)


def test_events_on_the_same_day_are_in_order():
    events = [ev(CLARIFY, date(2025, 9, 15)), ev(CLARIFIED, date(2025, 9, 15))]
    assert due("foia", date(2025, 9, 9), events) == date(2025, 10, 13)
