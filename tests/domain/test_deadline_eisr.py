"""The Environmental Information (Scotland) Regulations 2004 (EISR), as declared in
app/domain/regimes/eisr.py, and FOISA s.74's presumed receipt of posted requests.

The EISR count on Scotland's calendar (reg 2(1), taking FOISA s.73), like FOISA: every FOISA date of
tests/domain/test_deadline_engine.py holds for the EISR too. What differs: reg 7 extends a complex and
voluminous request to 40 working days, notified within the first 20; a review has 20 working days
(reg 16(4)) and no extension; an advance payment not made within 60 working days of the notice ends
the duty to comply (reg 8).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.deadlines import (
    CalendarKind,
    ClockEvent,
    ClockEventType,
    build_calendar,
    calendar_kind_for,
    compute_deadline,
    date_of_receipt,
    explain_days,
)
from app.domain.errors import InvalidInput
from app.domain.exemptions import get_exemption, normalise_exemption_codes
from app.domain.references import format_reference, parse_reference
from app.domain.regimes import Regime

SCOTLAND = build_calendar(CalendarKind.SCOTLAND)
REG7 = ClockEventType.EIR_EXTENSION
PIT = ClockEventType.PIT_EXTENSION


def eisr(received_on, events=(), stage="initial", posted_on=None):
    return compute_deadline("eisr", stage, received_on, events, SCOTLAND, posted_on=posted_on)


def test_eisr_counts_on_scotlands_calendar():
    assert calendar_kind_for("eisr") is CalendarKind.SCOTLAND
    with pytest.raises(InvalidInput, match="EISR counts working days on the 'scotland' calendar"):
        compute_deadline("eisr", "initial", date(2026, 3, 25), [], build_calendar(CalendarKind.UK))


@pytest.mark.parametrize(
    ("name", "received_on", "expected"),
    [
        # the FOISA dates of test_deadline_engine.py: Good Friday off, Easter Monday a working day
        ("Easter 2026: Easter Monday not Scottish", date(2026, 3, 25), date(2026, 4, 23)),
        ("St Patrick's Day is a working day in Scotland", date(2025, 3, 7), date(2025, 4, 4)),
        ("Scottish August holiday, Mon 4 Aug 2025", date(2025, 7, 4), date(2025, 8, 1)),
        ("late August is a working day in Scotland", date(2025, 8, 15), date(2025, 9, 12)),
        ("St Andrew's Day substitute, Mon 1 Dec 2025", date(2025, 11, 21), date(2025, 12, 22)),
        ("Christmas 2025 and 1, 2 January", date(2025, 12, 12), date(2026, 1, 15)),
        ("Scotland only, Mon 15 Jun 2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("received on a Scottish bank holiday: day 0", date(2025, 8, 4), date(2025, 9, 1)),
    ],
)
def test_eisr_initial_due_dates_match_foisa(name, received_on, expected):
    assert eisr(received_on).due_on == expected, name
    assert compute_deadline("foisa", "initial", received_on, [], SCOTLAND).due_on == expected, name


def test_the_explanation_cites_the_eisr():
    result = eisr(date(2026, 3, 25))
    assert result.explanation[-1] == "Due on Thursday 23 April 2026: the 20th working day after receipt (EISR reg 5(2)(a))."


def test_regulation_7_extends_to_40_working_days_on_scotlands_calendar():
    # received Wed 25 Mar 2026; the 20th working day is Thu 23 Apr; the 40th, with Good Friday and
    # the May Day holiday (Mon 4 May) off and Easter Monday counted, is Fri 22 May 2026
    result = eisr(date(2026, 3, 25), [ClockEvent(REG7, date(2026, 4, 20))])
    assert result.due_on == date(2026, 5, 22)
    assert result.working_days_limit == 40 and result.extended
    assert result.original_due_on == date(2026, 4, 23)
    assert result.flags == ()
    assert "(EISR reg 7): the limit is now 40 working days" in result.explanation[1]
    assert result.explanation[-1].endswith("Without the extension it would have been due on Thursday 23 April 2026.")
    days = explain_days(result)
    assert days[-1].day == date(2026, 5, 22) and days[-1].number == 40
    assert "within the extension (EISR reg 7)" in days[-1].reason


def test_regulation_7_notified_after_the_first_20_working_days_is_flagged():
    result = eisr(date(2026, 3, 25), [ClockEvent(REG7, date(2026, 4, 24))])
    assert result.flags == ("extension_notified_late",)
    assert "EISR reg 7" in result.warnings[0]


def test_the_eisr_have_no_public_interest_extension_and_one_regulation_7_extension():
    with pytest.raises(InvalidInput) as caught:
        eisr(date(2026, 3, 25), [ClockEvent(PIT, date(2026, 4, 1), 20)])
    assert caught.value.field == "events[0].type"
    assert "EISR has no public interest extension" in caught.value.message and "EISR reg 7" in caught.value.message
    with pytest.raises(InvalidInput, match="already extended under EISR reg 7"):
        eisr(date(2026, 3, 25), [ClockEvent(REG7, date(2026, 4, 1)), ClockEvent(REG7, date(2026, 4, 2))])


def test_a_review_has_20_working_days_and_no_extension():
    review = eisr(date(2026, 3, 25), stage="internal_review")
    assert review.due_on == date(2026, 4, 23) and review.working_days_limit == 20
    assert review.explanation[-1].endswith("after the review was requested (EISR reg 16(4)).")
    with pytest.raises(InvalidInput, match=r"an EISR internal review has 20 working days \(EISR reg 16\(4\)\) and no extension"):
        eisr(date(2026, 3, 25), [ClockEvent(REG7, date(2026, 4, 1))], stage="internal_review")


def test_an_advance_payment_pauses_the_clock_and_lapses_after_60_scottish_working_days():
    # notice Mon 13 Apr 2026; 60 working days on Scotland's calendar (May Day Mon 4 May, the Spring
    # holiday Mon 25 May and the Scotland-only Mon 15 Jun off) end on Thu 9 Jul 2026, so the request
    # lapses from Fri 10 Jul
    notice = ClockEvent(ClockEventType.FEE_NOTICE_ISSUED, date(2026, 4, 13))
    waiting = eisr(date(2026, 3, 25), [notice])
    assert waiting.due_on is None and waiting.clock_stopped
    assert waiting.lapses_on == date(2026, 7, 10)
    assert waiting.explanation[-1].endswith("60 working days after the fees notice (EISR reg 8).")
    paid = eisr(date(2026, 3, 25), [notice, ClockEvent(ClockEventType.FEE_PAID, date(2026, 4, 15))])
    # 11 working days counted before the notice (26 Mar to 10 Apr: Good Friday off, Easter Monday
    # counted); 13 to 15 Apr paused; 9 more from Thu 16 Apr: due Tue 28 Apr
    assert paid.due_on == date(2026, 4, 28)
    assert paid.explanation[2].endswith("are not counted (3 working days; EISR reg 8).")


def test_clarification_restarts_the_clock_under_the_eisr():
    events = [
        ClockEvent(ClockEventType.CLARIFICATION_REQUESTED, date(2026, 3, 27)),
        ClockEvent(ClockEventType.CLARIFICATION_RECEIVED, date(2026, 4, 6)),
    ]
    result = eisr(date(2026, 3, 25), events)
    assert result.effective_received_on == date(2026, 4, 6)
    assert "(EISR reg 9; ICO LTT137)" in result.explanation[2]


def test_eisr_references_and_exceptions():
    assert format_reference(Regime.EISR, 2026, 7) == "EISR-2026-00007"
    assert parse_reference("eisr-2026-00007").regime is Regime.EISR
    assert parse_reference("EIR-2026-00007").regime is Regime.EIR  # no prefix shadows another
    exception = get_exemption("EISR-r10(5)(e)")
    assert exception.regime is Regime.EISR and exception.provision == "reg. 10(5)(e)"
    assert exception.title == "Confidentiality of commercial or industrial information"
    assert normalise_exemption_codes(["eisr-r11", "EISR-r10(4)(a)", "EISR-r11"], Regime.EISR) == ["EISR-r11", "EISR-r10(4)(a)"]
    with pytest.raises(InvalidInput, match="EIR-r13 belongs to Environmental Information Regulations 2004"):
        normalise_exemption_codes(["EIR-r13"], Regime.EISR)
    with pytest.raises(InvalidInput, match="FOISA-s33 belongs to"):
        normalise_exemption_codes(["FOISA-s33"], Regime.EISR)


# -- FOISA s.74(2)(a): "posted is presumed not to be received until the third day after the day of posting"
# The presumption stands where the day it arrived is not known; a known day of arrival (a date stamp)
# shows when it was received.


def test_a_posted_foisa_request_whose_arrival_is_not_known_is_received_on_the_third_day_after_posting():
    received = date_of_receipt(Regime.FOISA, None, date(2026, 3, 5))  # posted Thu 5 Mar 2026
    assert received == date(2026, 3, 8)
    result = compute_deadline("foisa", "initial", received, [], SCOTLAND, posted_on=date(2026, 3, 5))
    assert result.due_on == date(2026, 4, 6)  # day 1 is Mon 9 Mar; Good Friday 3 Apr off; Easter Monday counts
    assert result.explanation[0] == (
        "Posted on Thursday 5 March 2026 and presumed received on Sunday 8 March 2026, the 3rd day after posting "
        "(FOISA s.74(2)(a)) (day 0; counting starts the next working day)."
    )


def test_the_day_a_posted_letter_arrived_when_known_is_its_date_of_receipt():
    for arrived in (date(2026, 3, 6), date(2026, 3, 10)):  # before or after the third day
        assert date_of_receipt(Regime.FOISA, arrived, date(2026, 3, 5)) == arrived
    result = compute_deadline("foisa", "initial", date(2026, 3, 10), [], SCOTLAND, posted_on=date(2026, 3, 5))
    assert result.explanation[0].startswith("Posted on Thursday 5 March 2026 and received on Tuesday 10 March 2026, the day it arrived")


def test_other_regimes_need_the_day_it_arrived():
    for regime in (Regime.FOIA, Regime.EIR, Regime.EISR):
        assert date_of_receipt(regime, date(2026, 3, 10), date(2026, 3, 5)) == date(2026, 3, 10)
        with pytest.raises(InvalidInput) as caught:
            date_of_receipt(regime, None, date(2026, 3, 5))
        assert caught.value.field == "received_on"
        assert "only FOISA presumes it from the posting date" in caught.value.message


def test_a_posting_date_after_arrival_is_refused():
    with pytest.raises(InvalidInput) as caught:
        date_of_receipt(Regime.FOISA, date(2026, 3, 5), date(2026, 3, 6))
    assert caught.value.field == "posted_on"
