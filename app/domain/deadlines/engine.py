"""The statutory clock: when a request (or an internal review) falls due.

A due date is derived, never typed: `compute_deadline` is a pure function of the regime, the
stage, the date of receipt, the dated clock events and the working-day calendar. Keep the events;
recompute the date whenever any of them, or the calendar, changes.

Rules (docs/uk-foi-rules.md):
- The date of receipt is day 0 and never counts; day 1 is the next working day, also when the
  request arrived on a weekend or a bank holiday (ICO guidance).
Each regime declares its own numbers and citations (`app/domain/regimes/<regime>.py`); this module
interprets them and never asks which regime it is:
- The limit is the 20th working day following receipt (FOIA s.10(1), EIR reg 5(2), FOISA s.10(1),
  EISR reg 5(2)(a)).
- A fees notice stops the clock; the working days from the notice through the day the fee is
  received are disregarded (FOIA s.10(2), EIR reg 8, FOISA s.10(3), EISR reg 8).
- A clarification received is a new date of receipt; a fresh period runs from it and earlier fee
  pauses and extensions are forgotten (FOIA s.1(3), EIR reg 9, FOISA s.1(3); ICO LTT137).
- FOIA s.10(3) public interest extensions add working days (the ICO's norm: at most 20 more);
  EIR and EISR reg 7 make the limit 40 working days; FOISA has no extension at all.
- Internal review: FOIA 20 working days (40 in exceptional cases, s.45 Code), EIR 40 (reg 11(4)),
  FOISA 20 (s.21(1)), EISR 20 (reg 16(4)).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from app.domain.dates import spoken_date
from app.domain.deadlines.calendar import WorkingCalendar, calendar_kind_for
from app.domain.errors import InvalidInput
from app.domain.regimes import ExtensionKind, Regime, RegimeRules

STANDARD_WORKING_DAYS = 20
REASONABLE_MAXIMUM_WORKING_DAYS = 40  # ICO norm for s.10(3); s.45 Code for internal reviews
# the most extra working days one public interest extension may add (the step's form takes no more)
MAX_EXTENSION_WORKING_DAYS = 60


class Stage(StrEnum):
    INITIAL = "initial"
    INTERNAL_REVIEW = "internal_review"


class ClockEventType(StrEnum):
    CLARIFICATION_REQUESTED = "clarification_requested"
    CLARIFICATION_RECEIVED = "clarification_received"
    FEE_NOTICE_ISSUED = "fee_notice_issued"
    FEE_PAID = "fee_paid"
    PIT_EXTENSION = "pit_extension"
    EIR_EXTENSION = "eir_extension"

    @property
    def label(self) -> str:
        """What a person would call it, with the laws that allow it where only some do."""
        if self is ClockEventType.PIT_EXTENSION:
            return f"Public interest extension ({_extension_laws(ExtensionKind.PUBLIC_INTEREST)})"
        if self is ClockEventType.EIR_EXTENSION:
            return "Extension to 40 working days (reg 7)"
        return _EVENT_LABELS[self]


def _extension_laws(kind: ExtensionKind) -> str:
    return ", ".join(regime.rules.extension.law for regime in Regime if regime.rules.extension and regime.rules.extension.kind is kind)


_EVENT_LABELS = {
    ClockEventType.CLARIFICATION_REQUESTED: "Clarification asked for",
    ClockEventType.CLARIFICATION_RECEIVED: "Clarification received",
    ClockEventType.FEE_NOTICE_ISSUED: "Fees notice issued",
    ClockEventType.FEE_PAID: "Fee received",
}


@dataclass(frozen=True, slots=True)
class ClockEvent:
    type: ClockEventType
    on: date
    working_days: int | None = None


_EVENT_TYPES: dict[Any, ClockEventType] = {t.value: t for t in ClockEventType}
_STOPPING_TYPES = frozenset(
    {
        ClockEventType.CLARIFICATION_REQUESTED,
        ClockEventType.CLARIFICATION_RECEIVED,
        ClockEventType.FEE_NOTICE_ISSUED,
        ClockEventType.FEE_PAID,
    }
)

AWAITING_FEE = "awaiting fee"
AWAITING_CLARIFICATION = "awaiting clarification"

FLAG_EXTENSION_NOTIFIED_LATE = "extension_notified_late"
FLAG_PIT_OVER_40 = "pit_extension_over_40_days"
FLAG_FEE_NOTICE_LATE = "fee_notice_late"
FLAG_FEE_PAID_AFTER_LAPSE = "fee_paid_after_lapse"
FLAG_CLARIFICATION_AFTER_LAPSE = "clarification_received_after_lapse"


def base_working_days(regime: Regime, stage: Stage) -> int:
    """The regime's limit for the stage: 20 working days, except an EIR internal review: 40 (reg 11(4))."""
    rules = regime.rules
    return rules.review_working_days if stage is Stage.INTERNAL_REVIEW else rules.time_limit_working_days


@dataclass(frozen=True)
class Deadline:
    """When the current stage of a request falls due, and why.

    `explanation` and `warnings` are sentences built on first access, so that recomputing many
    due dates (a calendar correction, a list page) stays cheap.
    """

    regime: Regime
    stage: Stage
    due_on: date | None
    clock_stopped: bool
    stopped_reason: str | None
    stopped_since: date | None
    lapses_on: date | None
    effective_received_on: date
    working_days_limit: int
    original_due_on: date | None
    extended: bool
    flags: tuple[str, ...]
    paused_periods: tuple[tuple[date, date], ...]
    calendar_version: str
    _facts: tuple[tuple[Any, ...], ...] = field(default=(), repr=False, compare=False)
    _flag_facts: tuple[tuple[Any, ...], ...] = field(default=(), repr=False, compare=False)
    _calendar: WorkingCalendar | None = field(default=None, repr=False, compare=False)

    @property
    def base_working_days(self) -> int:
        return base_working_days(self.regime, self.stage)

    @cached_property
    def explanation(self) -> tuple[str, ...]:
        return tuple(_explain(self))

    @cached_property
    def warnings(self) -> tuple[str, ...]:
        return tuple(_warning(self, fact) for fact in self._flag_facts)

    def working_days_left(self, as_of: date, calendar: WorkingCalendar | None = None) -> int | None:
        """See `working_days_remaining`."""
        return working_days_remaining(self, as_of, calendar)


def working_days_remaining(deadline: Deadline, as_of: date, calendar: WorkingCalendar | None = None) -> int | None:
    """Working days after `as_of` through the due date: 0 on the due date itself, negative when
    overdue (-1 on the first working day after it), None while the clock is stopped."""
    if deadline.due_on is None:
        return None
    calendar = _matching_calendar(deadline, calendar)
    return calendar.working_days_between(as_of, deadline.due_on)


def compute_deadline(
    regime: Regime | str,
    stage: Stage | str,
    received_on: date,
    events: Sequence[ClockEvent],
    calendar: WorkingCalendar,
    *,
    posted_on: date | None = None,
) -> Deadline:
    """The due date of a request (stage "initial", `received_on` the date of receipt) or of an
    internal review (`received_on` the date the review was requested), from its clock events in
    date order. `posted_on`, for a posted request, only explains how `received_on` was found
    (`date_of_receipt`). Raises InvalidInput naming the field at fault."""
    regime = _coerce_regime(regime)
    stage = _coerce_stage(stage)
    expected_kind = calendar_kind_for(regime)
    if calendar.kind is not expected_kind:
        raise InvalidInput(
            "calendar",
            f"{regime.short_name} counts working days on the '{expected_kind}' calendar, not '{calendar.kind}'",
        )
    _check_day(received_on, "received_on", calendar)

    rules = regime.rules
    base = base_working_days(regime, stage)
    start = received_on  # the date of receipt in force: a clarification replaces it
    limit = base
    pauses: list[tuple[date, date]] = []
    fee_since: date | None = None
    clarification_since: date | None = None
    eir_extended_on: date | None = None
    pit_days = 0
    facts: list[tuple[Any, ...]] = [("received", received_on, posted_on if stage is Stage.INITIAL else None)]
    flag_facts: list[tuple[Any, ...]] = []
    previous_on = received_on

    for i, event in enumerate(events):
        event_type, on, working_days = _read_event(event, i, calendar)
        if on < received_on:
            raise InvalidInput(
                f"events[{i}].on", f"must be the same as or after the date the request was received ({spoken_date(received_on)})"
            )
        _check_event_allowed(event_type, rules, stage, i)
        if event_type is ClockEventType.PIT_EXTENSION:
            if working_days is None or type(working_days) is not int:
                raise InvalidInput(f"events[{i}].working_days", "give the extension as a whole number of working days")
            if not 1 <= working_days <= MAX_EXTENSION_WORKING_DAYS:
                # named here, not as a due date beyond the calendar said of the date received
                raise InvalidInput(f"events[{i}].working_days", f"must be a whole number from 1 to {MAX_EXTENSION_WORKING_DAYS}")
        elif working_days is not None:
            # Rejected rather than ignored: a number here means the event was recorded wrongly.
            raise InvalidInput(f"events[{i}].working_days", f"only a pit_extension takes working days, not {event_type}")

        # The clock must be running for a new stop or an extension. This mirrors the lifecycle,
        # which only allows a fees notice, a clarification request or an extension from
        # new/in_progress: a requester who narrows a request in answer to a fees notice has made
        # a new request, not given a clarification.
        if event_type is ClockEventType.FEE_PAID:
            if fee_since is None:
                raise InvalidInput(f"events[{i}].type", "a fee was received but no fees notice is outstanding")
            if on < fee_since:
                raise InvalidInput(
                    f"events[{i}].on",
                    f"must be the same as or after the date of the fees notice ({spoken_date(fee_since)}): a fee cannot be paid before it is asked for",
                )
        elif event_type is ClockEventType.CLARIFICATION_RECEIVED:
            if clarification_since is None:
                raise InvalidInput(f"events[{i}].type", "a clarification was received but none was requested")
        elif fee_since is not None:
            raise InvalidInput(f"events[{i}].type", f"the clock is stopped awaiting the fee asked for on {spoken_date(fee_since)}")
        elif clarification_since is not None:
            raise InvalidInput(
                f"events[{i}].type",
                f"the clock is stopped awaiting the clarification asked for on {spoken_date(clarification_since)}",
            )
        elif event_type is ClockEventType.EIR_EXTENSION and eir_extended_on is not None:
            law = rules.extension.law if rules.extension else "reg 7"
            raise InvalidInput(f"events[{i}].type", f"already extended under {law} on {spoken_date(eir_extended_on)}")
        if on < previous_on:
            raise InvalidInput(
                f"events[{i}].on", f"must be the same as or after the date of the event before it ({spoken_date(previous_on)})"
            )
        previous_on = on

        if event_type is ClockEventType.FEE_NOTICE_ISSUED:
            due_before = _due(calendar, start, limit, pauses)
            fee_since = on
            facts.append(("fee_notice", on))
            if on > due_before:
                flag_facts.append((FLAG_FEE_NOTICE_LATE, on, due_before))
        elif event_type is ClockEventType.FEE_PAID:
            assert fee_since is not None
            lapsed_on = lapse_date(regime, AWAITING_FEE, fee_since, calendar)
            pauses.append((fee_since, on))
            facts.append(("fee_paid", on, fee_since, start))
            if on >= lapsed_on:
                flag_facts.append((FLAG_FEE_PAID_AFTER_LAPSE, on, fee_since, lapsed_on))
            fee_since = None
        elif event_type is ClockEventType.CLARIFICATION_REQUESTED:
            clarification_since = on
            facts.append(("clarification_requested", on))
        elif event_type is ClockEventType.CLARIFICATION_RECEIVED:
            assert clarification_since is not None
            lapsed_on = add_months(clarification_since, rules.clarification_lapse_months)
            facts.append(("clarification_received", on, len(pauses), limit != base))
            # A fresh period: whatever happened to the old one no longer matters.
            start, limit, pauses, eir_extended_on, pit_days, flag_facts = on, base, [], None, 0, []
            if on >= lapsed_on:
                flag_facts.append((FLAG_CLARIFICATION_AFTER_LAPSE, on, clarification_since, lapsed_on))
            clarification_since = None
        elif event_type is ClockEventType.PIT_EXTENSION:
            assert working_days is not None
            due_before = _due(calendar, start, limit, pauses)
            limit += working_days
            pit_days += working_days
            facts.append(("pit_extension", on, working_days, limit))
            if on > due_before:
                flag_facts.append((FLAG_EXTENSION_NOTIFIED_LATE, on, due_before))
        else:  # EIR_EXTENSION: allowed only where the regime declares a complex and voluminous extension
            assert rules.extension is not None
            due_before = _due(calendar, start, limit, pauses)
            limit = rules.extension.working_days
            eir_extended_on = on
            facts.append(("eir_extension", on))
            if on > due_before:
                flag_facts.append((FLAG_EXTENSION_NOTIFIED_LATE, on, due_before))

    if pit_days and limit > REASONABLE_MAXIMUM_WORKING_DAYS:
        flag_facts.append((FLAG_PIT_OVER_40, limit))

    due_on: date | None = None
    original_due_on: date | None = None
    stopped_since = fee_since or clarification_since
    if stopped_since is None:
        due_on = _due(calendar, start, limit, pauses)
        original_due_on = due_on if limit == base else _due(calendar, start, base, pauses)

    return Deadline(
        regime=regime,
        stage=stage,
        due_on=due_on,
        clock_stopped=stopped_since is not None,
        stopped_reason=AWAITING_FEE if fee_since else AWAITING_CLARIFICATION if clarification_since else None,
        stopped_since=stopped_since,
        lapses_on=(
            lapse_date(regime, AWAITING_FEE if fee_since else AWAITING_CLARIFICATION, stopped_since, calendar) if stopped_since else None
        ),
        effective_received_on=start,
        working_days_limit=limit,
        original_due_on=original_due_on,
        extended=limit != base,
        flags=tuple(dict.fromkeys(fact[0] for fact in flag_facts)),
        paused_periods=tuple(pauses),
        calendar_version=calendar.version,
        _facts=tuple(facts),
        _flag_facts=tuple(flag_facts),
        _calendar=calendar,
    )


def date_of_receipt(regime: Regime, arrived_on: date | None, posted_on: date | None) -> date:
    """The date of receipt of a request that arrived on `arrived_on` (None: not known), sent by post
    on `posted_on` (None: not posted, or not known).

    The day it arrived, when that is known (a date stamp): it shows when the authority received it.
    When it is not, a regime may presume it from the posting date (FOISA s.74(2)(a): "posted is
    presumed not to be received until the third day after the day of posting"); the others need the
    day it arrived (docs/uk-foi-rules.md, counting rule 2)."""
    if arrived_on is not None:
        if posted_on is not None and posted_on > arrived_on:
            raise InvalidInput("posted_on", f"must be the same as or before the date the request was received ({spoken_date(arrived_on)})")
        return arrived_on
    rule = regime.rules.postal_receipt
    if posted_on is None:
        raise InvalidInput("received_on", "give the day it arrived")
    if rule is None:
        presuming = [other.short_name for other in Regime if other.rules.postal_receipt]
        raise InvalidInput(
            "received_on",
            f"give the day it arrived: under {regime.short_name} a posted request is received the day it arrives"
            + (
                f" (only {' and '.join(presuming)} {'presumes' if len(presuming) == 1 else 'presume'} it from the posting date)"
                if presuming
                else ""
            ),
        )
    return posted_on + timedelta(days=rule.days_after_posting)


def _posting_words(rules: RegimeRules, posted_on: date, received_on: date) -> str:
    assert rules.postal_receipt is not None
    presumed = posted_on + timedelta(days=rules.postal_receipt.days_after_posting)
    if received_on == presumed:
        return f"presumed received on {_long(received_on)}, the {_ordinal(rules.postal_receipt.days_after_posting)} day after posting ({rules.postal_receipt.law})"
    return f"received on {_long(received_on)}, the day it arrived"


def receipt_date(arrived_at: datetime) -> date:
    """The date of receipt: the Europe/London calendar day on which the request arrived,
    whatever the hour (docs/uk-foi-rules.md, counting rule 2). Needs an aware timestamp."""
    if arrived_at.tzinfo is None or arrived_at.utcoffset() is None:
        raise InvalidInput("received_at", "give a timestamp with a time zone")
    from zoneinfo import ZoneInfo  # lazily: only this helper needs the time zone database

    return arrived_at.astimezone(ZoneInfo("Europe/London")).date()


def lapse_date(regime: Regime, stopped_reason: str, since: date, calendar: WorkingCalendar) -> date:
    """The first day a request waiting since `since` may be closed as lapsed: the day after the
    period the requester had to answer, as the regime declares it (`RegimeRules.fee_lapse`).

    - a fee: three months beginning with the day of the fees notice (FOIA s.9(2), FOISA s.9(4));
      under the EIR and the EISR, 60 working days after the notice on the regime's calendar (reg 8)
    - a clarification: three months after it was asked for, for every regime (ICO practice)
    """
    rules = regime.rules
    if stopped_reason == AWAITING_FEE:
        if rules.fee_lapse.working_days:
            try:
                last_day_to_pay = calendar.add_working_days(since, rules.fee_lapse.working_days)
            except ValueError:
                raise InvalidInput(
                    "on",
                    f"is too late to count from: the lapse date would fall after {spoken_date(calendar.last_day)}, the last day of the calendar",
                ) from None
            return last_day_to_pay + timedelta(days=1)
        return add_months(since, rules.fee_lapse.months)
    return add_months(since, rules.clarification_lapse_months)


def lapse_period(regime: Regime, stopped_reason: str) -> str:
    """How long the requester has, in words, with the law: "three months after the fees notice (FOIA s.9(2))"."""
    if stopped_reason == AWAITING_FEE:
        return regime.rules.fee_lapse.in_words
    return "three months after the clarification was asked for"


def long_date(day: date) -> str:
    """ "Tuesday 9 September 2025", whatever the process locale."""
    return _long(day)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the last day of that month if shorter
    (3 months after 30 November is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


# -- the "how was this date worked out" panel ------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayEntry:
    day: date
    kind: Literal["received", "counted", "skipped", "paused", "due"]
    number: int | None
    reason: str


MAX_STOPPED_DAYS_SHOWN = 400


def explain_days(deadline: Deadline, calendar: WorkingCalendar | None = None, *, until: date | None = None) -> list[DayEntry]:
    """Every calendar day from the (effective) date of receipt to the due date, saying whether it
    was counted (with its number), skipped (weekend, holiday) or paused (fee period).

    While the clock is stopped the list runs to `until` (or the day the clock stopped), at most
    MAX_STOPPED_DAYS_SHOWN days."""
    calendar = _matching_calendar(deadline, calendar)
    start = deadline.effective_received_on
    pauses = list(deadline.paused_periods)
    stop_reason = ""
    if deadline.due_on is not None:
        end = deadline.due_on
    else:
        assert deadline.stopped_since is not None
        end = max(deadline.stopped_since, until or deadline.stopped_since)
        end = min(end, date.fromordinal(start.toordinal() + MAX_STOPPED_DAYS_SHOWN), calendar.last_day)
        if deadline.stopped_reason == AWAITING_FEE:
            pauses.append((deadline.stopped_since, end))
            stop_reason = f"clock stopped: awaiting the fee asked for on {_long(deadline.stopped_since)}"
        else:
            stop_reason = (
                f"clock stopped: awaiting the clarification asked for on {_long(deadline.stopped_since)}; "
                "a fresh period starts when it arrives"
            )
    base = deadline.base_working_days
    rules = deadline.regime.rules
    if deadline.stage is Stage.INTERNAL_REVIEW:
        extension_reason = f"within the extension ({rules.review_law})"
    else:
        extension_reason = f"within the extension ({rules.extension.law if rules.extension else ''})"

    received_reason = "date of receipt (day 0; never counted)"
    if start != _first_fact_day(deadline):
        received_reason = "clarification received: the new date of receipt (day 0; never counted)"
    if deadline.stage is Stage.INTERNAL_REVIEW:
        received_reason = "internal review requested (day 0; never counted)"
    non_working = calendar.non_working_reason(start)
    entries = [DayEntry(start, "received", 0, f"{received_reason}; {non_working}" if non_working else received_reason)]

    count = 0
    ordinal = start.toordinal() + 1
    while ordinal <= end.toordinal():
        day = date.fromordinal(ordinal)
        ordinal += 1
        non_working = calendar.non_working_reason(day)
        if non_working:
            entries.append(DayEntry(day, "skipped", None, non_working))
            continue
        pause = next(((first, last) for first, last in pauses if first <= day <= last), None)
        if pause is not None:
            if stop_reason and pause[0] == deadline.stopped_since:
                reason = stop_reason
            else:
                reason = f"fee period: notice {_long(pause[0])} to payment {_long(pause[1])} ({rules.fee_pause_law})"
            entries.append(DayEntry(day, "paused", None, reason))
            continue
        if stop_reason and deadline.stopped_since is not None and day > deadline.stopped_since:
            entries.append(DayEntry(day, "paused", None, stop_reason))
            continue
        count += 1
        if day == deadline.due_on:
            kind: Literal["counted", "due"] = "due"
            reason = f"due: the {_ordinal(count)} working day"
        else:
            kind = "counted"
            reason = ""
        if deadline.extended and count == base and day != deadline.due_on:
            reason = f"the {_ordinal(base)} working day: the date due without the extension"
        elif deadline.extended and count > base:
            reason = f"{reason}; {extension_reason}" if reason else extension_reason
        entries.append(DayEntry(day, kind, count, reason))
    return entries


# -- internals -------------------------------------------------------------------------------


def _coerce_regime(regime: Regime | str) -> Regime:
    try:
        return Regime(regime)
    except ValueError:
        raise InvalidInput("regime", f"unknown regime '{regime}'; choose one of {', '.join(Regime)}") from None


def _coerce_stage(stage: Stage | str) -> Stage:
    try:
        return Stage(stage)
    except ValueError:
        raise InvalidInput("stage", f"unknown stage '{stage}'; choose one of {', '.join(Stage)}") from None


def _check_day(day: Any, field_name: str, calendar: WorkingCalendar) -> None:
    if type(day) is not date:  # a datetime is a date too, but comparing one with a date fails
        raise InvalidInput(field_name, "give a calendar date (the Europe/London day of receipt), not a timestamp")
    if not calendar.first_day <= day <= calendar.last_day:
        raise InvalidInput(field_name, f"must be between {spoken_date(calendar.first_day)} and {spoken_date(calendar.last_day)}")


def _read_event(event: Any, i: int, calendar: WorkingCalendar) -> tuple[ClockEventType, date, Any]:
    try:
        raw_type, on, working_days = event.type, event.on, event.working_days
    except AttributeError:
        raise InvalidInput(f"events[{i}]", "not a clock event") from None
    try:
        event_type = _EVENT_TYPES[raw_type]
    except (KeyError, TypeError):
        raise InvalidInput(f"events[{i}].type", f"unknown clock event '{raw_type}'; known events: {', '.join(ClockEventType)}") from None
    _check_day(on, f"events[{i}].on", calendar)
    return event_type, on, working_days


def _due(calendar: WorkingCalendar, start: date, limit: int, pauses: list[tuple[date, date]]) -> date:
    try:
        return calendar.add_working_days(start, limit, pauses)
    except ValueError:
        raise InvalidInput(
            "received_on",
            f"is too late to count from: the due date would fall after {spoken_date(calendar.last_day)}, the last day of the calendar",
        ) from None


def _check_event_allowed(event_type: ClockEventType, rules: RegimeRules, stage: Stage, i: int) -> None:
    """Refuses an extension the regime does not declare, or a stop that does not apply to a review."""
    where = f"events[{i}].type"
    name, extension = rules.short_name, rules.extension
    review = stage is Stage.INTERNAL_REVIEW
    if event_type is ClockEventType.PIT_EXTENSION:
        if extension is None:
            raise InvalidInput(
                where,
                f"{name} has no public interest extension: the {rules.time_limit_working_days} working days of "
                f"{rules.time_limit_law} and {rules.review_law} cannot be extended",
            )
        if extension.kind is not ExtensionKind.PUBLIC_INTEREST:
            raise InvalidInput(
                where,
                f"{name} has no public interest extension; a complex and voluminous request is extended to "
                f"{extension.working_days} working days under {extension.law}",
            )
    elif event_type is ClockEventType.EIR_EXTENSION:
        if extension is None:
            raise InvalidInput(
                where, f"{name} has no extension of time: the extension to 40 working days is the EIR's and the EISR's (reg 7)"
            )
        if extension.kind is not ExtensionKind.COMPLEX_AND_VOLUMINOUS:
            raise InvalidInput(
                where,
                f"the extension to 40 working days is the EIR's and the EISR's (reg 7); {name} extends for the public interest ({extension.law})",
            )
        if review:
            raise InvalidInput(
                where, f"an {name} internal review has {rules.review_working_days} working days ({rules.review_law}) and no extension"
            )
    elif event_type in _STOPPING_TYPES and review:
        raise InvalidInput(
            where,
            f"{event_type} does not apply to an internal review: fees and clarification stop only the request's clock",
        )


def _matching_calendar(deadline: Deadline, calendar: WorkingCalendar | None) -> WorkingCalendar:
    calendar = calendar or deadline._calendar
    if calendar is None or calendar.version != deadline.calendar_version:
        raise InvalidInput(
            "calendar",
            f"this due date was computed on calendar {deadline.calendar_version}; recompute it on "
            f"{calendar.version if calendar else 'the current calendar'} first",
        )
    return calendar


def _first_fact_day(deadline: Deadline) -> date:
    return deadline._facts[0][1] if deadline._facts else deadline.effective_received_on


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _long(day: date) -> str:
    """ "Tuesday 9 September 2025", whatever the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _explain(deadline: Deadline) -> list[str]:
    regime = deadline.regime
    rules = regime.rules
    calendar = deadline._calendar
    review = deadline.stage is Stage.INTERNAL_REVIEW
    sentences: list[str] = []
    for fact in deadline._facts:
        kind, on = fact[0], fact[1]
        if kind == "received":
            what = "Internal review requested" if review else "Received"
            posted_on = fact[2] if len(fact) > 2 else None
            if posted_on is not None and rules.postal_receipt is not None:
                sentences.append(
                    f"Posted on {_long(posted_on)} and {_posting_words(rules, posted_on, on)} (day 0; counting starts the next working day)."
                )
                continue
            sentences.append(f"{what} on {_long(on)} (day 0; counting starts the next working day).")
        elif kind == "fee_notice":
            sentences.append(f"Fees notice issued on {_long(on)}: the clock stopped.")
        elif kind == "fee_paid":
            notice_on, period_start = fact[2], fact[3]
            paused = ""
            if calendar is not None:
                # Day 0 is never counted anyway, so a notice on the day of receipt pauses from day 1.
                first = notice_on if notice_on > period_start else date.fromordinal(period_start.toordinal() + 1)
                paused = f"{_plural(calendar.working_days_in(first, on), 'working day')}; "
            sentences.append(
                f"Fee received on {_long(on)}: working days from {_long(notice_on)} through {_long(on)} "
                f"are not counted ({paused}{rules.fee_pause_law})."
            )
        elif kind == "clarification_requested":
            sentences.append(
                f"Clarification requested on {_long(on)}: the clock stopped until the requester answers ({rules.clarification_law})."
            )
        elif kind == "clarification_received":
            forgotten_pauses, was_extended = fact[2], fact[3]
            forgotten = []
            if forgotten_pauses:
                forgotten.append("fee pauses" if forgotten_pauses > 1 else "fee pause")
            if was_extended:
                forgotten.append("extension")
            sentence = (
                f"Clarification received on {_long(on)}: this is the new date of receipt (day 0) and a fresh "
                f"{deadline.base_working_days}-working-day period runs from it ({rules.clarification_law}; ICO LTT137)."
            )
            if forgotten:
                verb = "is" if forgotten == ["fee pause"] or forgotten == ["extension"] else "are"
                sentence += f" The earlier {' and '.join(forgotten)} {verb} forgotten."
            sentences.append(sentence)
        elif kind == "pit_extension":
            days, limit = fact[2], fact[3]
            sentences.append(
                f"Public interest extension of {_plural(days, 'working day')} notified on {_long(on)} "
                f"({rules.extension.law if rules.extension else ''}): the limit is now {limit} working days."
            )
        elif kind == "eir_extension":
            sentences.append(
                f"Extension notified on {_long(on)} for a complex and voluminous request "
                f"({rules.extension.law if rules.extension else ''}): the limit is now {rules.extension.working_days if rules.extension else ''} working days."
            )
    sentences.append(_closing_sentence(deadline))
    return sentences


def _closing_sentence(deadline: Deadline) -> str:
    regime = deadline.regime
    if deadline.due_on is None:
        assert deadline.lapses_on is not None
        if deadline.stopped_reason == AWAITING_FEE:
            return (
                f"No due date while awaiting the fee: counting resumes the day after it is received; "
                f"unpaid, the request lapses on {_long(deadline.lapses_on)}: {lapse_period(regime, AWAITING_FEE)}."
            )
        return (
            f"No due date while awaiting clarification: a fresh {deadline.base_working_days}-working-day period "
            f"starts when it arrives; unanswered, the request can be closed as lapsed on {_long(deadline.lapses_on)}."
        )
    if deadline.stage is Stage.INTERNAL_REVIEW:
        after = f"after the review was requested ({regime.rules.review_law})"
    elif deadline.effective_received_on != _first_fact_day(deadline):
        after = f"after the clarification arrived ({regime.rules.time_limit_law})"
    else:
        after = f"after receipt ({regime.rules.time_limit_law})"
    sentence = f"Due on {_long(deadline.due_on)}: the {_ordinal(deadline.working_days_limit)} working day {after}"
    if deadline.paused_periods:
        sentence += ", not counting the fee period" + ("s" if len(deadline.paused_periods) > 1 else "")
    sentence += "."
    if deadline.extended and deadline.original_due_on is not None:
        sentence += f" Without the extension it would have been due on {_long(deadline.original_due_on)}."
    return sentence


def _warning(deadline: Deadline, fact: tuple[Any, ...]) -> str:
    flag = fact[0]
    regime = deadline.regime
    if flag == FLAG_EXTENSION_NOTIFIED_LATE:
        on, due_before = fact[1], fact[2]
        law = regime.rules.extension.notice_law if regime.rules.extension else ""
        return (
            f"The extension was notified on {_long(on)}, after the date it extended ({_long(due_before)}): "
            f"an extension must be notified by the due date ({law})."
        )
    if flag == FLAG_PIT_OVER_40:
        if deadline.stage is Stage.INTERNAL_REVIEW:
            return (
                f"The internal review now has {fact[1]} working days; the s.45 Code allows at most "
                f"{REASONABLE_MAXIMUM_WORKING_DAYS}, and only in exceptional cases."
            )
        return (
            f"Public interest extensions bring the limit to {fact[1]} working days: the ICO expects no more than "
            f"{REASONABLE_MAXIMUM_WORKING_DAYS} in total (FOIA s.10(3))."
        )
    if flag == FLAG_FEE_NOTICE_LATE:
        return (
            f"The fees notice of {_long(fact[1])} came after the due date ({_long(fact[2])}): a fees notice "
            f"must be given within the time for compliance ({regime.rules.fee_notice_law})."
        )
    if flag == FLAG_FEE_PAID_AFTER_LAPSE:
        period = regime.rules.fee_lapse.short_words
        return (
            f"The fee arrived on {_long(fact[1])}, more than {period} after the fees notice of "
            f"{_long(fact[2])}: the request had lapsed on {_long(fact[3])}."
        )
    if flag == FLAG_CLARIFICATION_AFTER_LAPSE:
        return (
            f"The clarification arrived on {_long(fact[1])}, more than three months after it was asked for on "
            f"{_long(fact[2])}: the request could have been closed as lapsed on {_long(fact[3])}; it was "
            "treated as a new date of receipt."
        )
    return flag
