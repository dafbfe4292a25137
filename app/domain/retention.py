"""Records management: which closed requests have been kept long enough to lose their requester data.

A request is due when it is closed (a final state: `Status.is_open` is false, so a request under
internal review is never due), it closed more than the retention period ago (whole years, counted
from the day it closed: the day its latest step into its present state happened, or failing that
the day of its response or review), it has not been anonymised already, and no legal hold keeps it
(an open complaint, an appeal to the Commissioner or the tribunal, litigation). A request whose
closing day cannot be told is never due: removing data is not undone, so doubt keeps it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.domain.errors import InvalidInput
from app.domain.lifecycle import Status

DEFAULT_RETENTION_YEARS = 6
MAX_HOLD_REASON = 1000


class Verdict(StrEnum):
    DUE = "due"
    OPEN = "open"
    NOT_YET = "not_yet"
    HELD = "held"
    ANONYMISED = "anonymised"
    UNKNOWN = "unknown"  # closed, but on no day the record shows


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(today: date, years: int) -> date:
    """Requests closed before this day were closed more than `years` years ago."""
    if years < 1:
        raise ValueError("the retention period is at least one year")
    return years_before(today, years)


def closed_on(status: str, closing_step_on: date | None, responded_on: date | None, review_completed_on: date | None) -> date | None:
    """The day a closed request closed: its latest step into its present state, else the day its
    response or review was recorded; None for an open request or one with no such day."""
    if Status(status).is_open:
        return None
    if closing_step_on is not None:
        return closing_step_on
    if status == Status.REVIEW_COMPLETED:
        return review_completed_on or responded_on
    if status == Status.RESPONDED:
        return responded_on
    return None


def verdict(*, status: str, closed: date | None, held: bool, anonymised: bool, cutoff: date) -> Verdict:
    """Whether a request's requester data is due for removal, and if not why not."""
    if anonymised:
        return Verdict.ANONYMISED
    if Status(status).is_open:
        return Verdict.OPEN
    if closed is None:
        return Verdict.UNKNOWN
    if closed >= cutoff:
        return Verdict.NOT_YET
    if held:
        return Verdict.HELD
    return Verdict.DUE


def hold_reason(text: str | None) -> str:
    """A legal hold's reason, as typed: required (what keeps the record: a complaint, an appeal)."""
    reason = " ".join((text or "").split())
    if not reason:
        raise InvalidInput("reason", "say why the request is held (an open complaint, an appeal to the Commissioner, litigation)")
    if len(reason) > MAX_HOLD_REASON:
        raise InvalidInput("reason", f"the reason can be at most {MAX_HOLD_REASON} characters")
    return reason
