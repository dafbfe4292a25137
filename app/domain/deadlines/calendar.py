"""Working-day calendars of the UK access-to-information regimes.

FOIA s.10(6), which EIR reg 2(1) adopts: a working day is any day other than a Saturday, a Sunday,
Christmas Day, Good Friday or a day that is a bank holiday under the Banking and Financial Dealings
Act 1971 *in any part of the United Kingdom*. So the FOIA/EIR calendar is the union of the bank
holidays of England, Wales, Scotland and Northern Ireland.

FOISA s.73: any day other than a Saturday, a Sunday, Christmas Day or a bank holiday *in Scotland*.

Bank holidays come from the `holidays` package, one subdivision at a time (the bare "GB" calendar
lacks Easter Monday and the Scottish and Northern Irish days, so it is never used). The package can
run ahead of or behind royal proclamations, so an authority can add or remove a day
(`CalendarCorrection`); every calendar carries a `version` naming the package release and the
corrections, so a stored due date can say which calendar it came from.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Literal

import holidays

from app.domain.dates import spoken_date
from app.domain.deadlines import package_corrections
from app.domain.errors import InvalidInput
from app.domain.regimes import Regime

FIRST_YEAR = 1990
LAST_YEAR = 2060


class Nation(StrEnum):
    ENG = "ENG"
    WLS = "WLS"
    SCT = "SCT"
    NIR = "NIR"

    @property
    def label(self) -> str:
        return _NATION_LABELS[self]


_NATION_LABELS = {
    Nation.ENG: "England",
    Nation.WLS: "Wales",
    Nation.SCT: "Scotland",
    Nation.NIR: "Northern Ireland",
}


class CalendarKind(StrEnum):
    UK = "uk"
    """FOIA s.10(6) and EIR reg 2(1): bank holidays anywhere in the United Kingdom."""
    SCOTLAND = "scotland"
    """FOISA s.73: bank holidays in Scotland only."""

    @property
    def nations(self) -> tuple[Nation, ...]:
        return _KIND_NATIONS[self]

    @property
    def statute(self) -> str:
        return "FOISA s.73" if self is CalendarKind.SCOTLAND else "FOIA s.10(6)"


_KIND_NATIONS = {
    CalendarKind.UK: (Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR),
    CalendarKind.SCOTLAND: (Nation.SCT,),
}


def calendar_kind_for(regime: Regime | str) -> CalendarKind:
    """The calendar a regime declares (`RegimeRules.calendar`): UK-wide working days for FOIA and
    EIR (s.10(6), reg 2(1)), Scottish ones for FOISA and EISR (s.73)."""
    try:
        return CalendarKind(Regime(regime).rules.calendar.value)
    except ValueError:
        raise InvalidInput("regime", f"unknown regime '{regime}'; choose one of {', '.join(Regime)}") from None


@dataclass(frozen=True)
class CalendarCorrection:
    """An authority's own correction to the package: a proclamation the package does not have
    yet ("add"), or a day it has wrongly ("remove"). Applies to one nation."""

    day: date
    nation: Nation
    change: Literal["add", "remove"]
    name: str
    reason: str = ""

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.day.isoformat(), str(self.nation), self.change, self.name, self.reason)


class WorkingCalendar:
    """Working days of one regime's calendar between FIRST_YEAR and LAST_YEAR.

    Built once by `build_calendar` (cached). The working days are kept as a sorted list of date
    ordinals so that adding or counting working days is a binary search, not a day-by-day walk.
    """

    __slots__ = (
        "_first_ordinal",
        "_holiday_ordinals",
        "_holiday_reasons",
        "_is_working",
        "_working",
        "corrections",
        "first_day",
        "kind",
        "last_day",
        "version",
    )

    def __init__(
        self,
        kind: CalendarKind,
        corrections: tuple[CalendarCorrection, ...],
        version: str,
        first_day: date,
        last_day: date,
        holiday_reasons: dict[date, str],
    ) -> None:
        self.kind = kind
        self.corrections = corrections
        self.version = version
        self.first_day = first_day
        self.last_day = last_day
        self._first_ordinal = first_day.toordinal()
        last_ordinal = last_day.toordinal()
        self._holiday_reasons = {day.toordinal(): reason for day, reason in holiday_reasons.items()}
        self._holiday_ordinals = sorted(self._holiday_reasons)
        is_working = bytearray(last_ordinal - self._first_ordinal + 1)
        working: list[int] = []
        for ordinal in range(self._first_ordinal, last_ordinal + 1):
            # Ordinal 1 (1 January AD 1) was a Monday, so the weekday is (ordinal - 1) % 7.
            if (ordinal - 1) % 7 < 5 and ordinal not in self._holiday_reasons:
                is_working[ordinal - self._first_ordinal] = 1
                working.append(ordinal)
        self._is_working = bytes(is_working)
        self._working = working

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.version!r})"

    # -- single days -------------------------------------------------------------------------

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def _ordinal(self, day: date) -> int:
        if not (self.first_day <= day <= self.last_day):
            raise ValueError(f"{spoken_date(day)} is outside the calendar ({spoken_date(self.first_day)} to {spoken_date(self.last_day)})")
        return day.toordinal()

    def is_working_day(self, day: date) -> bool:
        return bool(self._is_working[self._ordinal(day) - self._first_ordinal])

    def non_working_reason(self, day: date) -> str | None:
        """Why `day` is not a working day ("Saturday", "St Andrew's Day (Scotland)", ...), or None."""
        ordinal = self._ordinal(day)
        holiday = self._holiday_reasons.get(ordinal)
        weekday = (ordinal - 1) % 7
        if weekday >= 5:
            weekend = "Saturday" if weekday == 5 else "Sunday"
            return f"{weekend}; {holiday}" if holiday else weekend
        return holiday

    # -- counting ----------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int, disregarding: Iterable[tuple[date, date]] = ()) -> date:
        """The n-th working day strictly after `start` (n >= 1); `start` itself never counts.

        Working days inside the `disregarding` periods (first and last day inclusive, sorted by
        first day) are skipped, as FOIA s.10(2) does for the days between a fees notice and payment.
        """
        if n < 1:
            raise ValueError(f"n must be 1 or more, not {n}")
        working = self._working
        index = bisect_right(working, self._ordinal(start))
        remaining = n
        for first, last in disregarding:
            period_start = bisect_left(working, first.toordinal())
            period_end = bisect_right(working, last.toordinal())
            if period_end <= index:
                continue
            if period_start > index:
                available = period_start - index
                if remaining <= available:
                    break
                remaining -= available
            index = period_end
        target = index + remaining - 1
        if target >= len(working):
            raise ValueError(f"the result falls after the end of the calendar ({spoken_date(self.last_day)})")
        return date.fromordinal(working[target])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; negative (the count for end < d <= start) when
        `end` is before `start`, which reads naturally as "days overdue"."""
        working = self._working
        return bisect_right(working, self._ordinal(end)) - bisect_right(working, self._ordinal(start))

    def working_days_in(self, first: date, last: date) -> int:
        """Working days from `first` through `last`, both included."""
        if last < first:
            return 0
        working = self._working
        return bisect_right(working, self._ordinal(last)) - bisect_left(working, self._ordinal(first))

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Holidays (bank holidays, Christmas Day, Good Friday, authority additions) from `start`
        through `end`, also those falling on a weekend, with the reason for each."""
        ordinals = self._holiday_ordinals
        lo = bisect_left(ordinals, self._ordinal(start))
        hi = bisect_right(ordinals, self._ordinal(end))
        return [(date.fromordinal(o), self.non_working_reason(date.fromordinal(o)) or "") for o in ordinals[lo:hi]]


def build_calendar(kind: CalendarKind | str, corrections: Sequence[CalendarCorrection] = ()) -> WorkingCalendar:
    """The working-day calendar of `kind` with the authority's corrections applied (cached)."""
    try:
        kind = CalendarKind(kind)
    except ValueError:
        raise InvalidInput("calendar", f"unknown calendar '{kind}'; choose one of {', '.join(CalendarKind)}") from None
    # Corrections for nations outside this calendar are dropped so they do not change its version.
    relevant = tuple(c for c in _normalise_corrections(corrections) if c.nation in kind.nations)
    return _build_cached(kind, relevant)


def _normalise_corrections(corrections: Sequence[CalendarCorrection]) -> tuple[CalendarCorrection, ...]:
    """Validated, de-duplicated and sorted, so that equal sets of corrections share one cache
    entry and one version."""
    checked: list[CalendarCorrection] = []
    for i, correction in enumerate(corrections):
        where = f"corrections[{i}]"
        day = correction.day
        if not isinstance(day, date) or hasattr(day, "hour"):
            raise InvalidInput(f"{where}.day", "give a calendar date")
        if not (FIRST_YEAR <= day.year <= LAST_YEAR):
            raise InvalidInput(f"{where}.day", f"must be between {FIRST_YEAR} and {LAST_YEAR}")
        try:
            nation = Nation(correction.nation)
        except ValueError:
            raise InvalidInput(f"{where}.nation", f"unknown nation '{correction.nation}'; choose one of {', '.join(Nation)}") from None
        if correction.change not in ("add", "remove"):
            raise InvalidInput(f"{where}.change", f"must be 'add' or 'remove', not '{correction.change}'")
        name = correction.name.strip() if isinstance(correction.name, str) else ""
        if correction.change == "add" and not name:
            raise InvalidInput(f"{where}.name", "name the holiday being added")
        reason = correction.reason.strip() if isinstance(correction.reason, str) else ""
        checked.append(CalendarCorrection(day, nation, correction.change, name, reason))
    unique = sorted(set(checked), key=CalendarCorrection.sort_key)
    changes: dict[tuple[date, Nation], str] = {}
    for correction in unique:
        key = (correction.day, correction.nation)
        if changes.setdefault(key, correction.change) != correction.change:
            raise InvalidInput(
                "corrections",
                f"{spoken_date(correction.day)} is both added and removed for {correction.nation.label}",
            )
    return tuple(unique)


def _calendar_version(kind: CalendarKind, corrections: tuple[CalendarCorrection, ...]) -> str:
    version = f"{kind.value}/holidays-{holidays.__version__}+{package_corrections.VERSION}"
    if corrections:
        text = "\n".join("|".join(c.sort_key()) for c in corrections)
        version += "/c-" + hashlib.sha256(text.encode()).hexdigest()[:6]
    return version


@lru_cache(maxsize=32)
def _build_cached(kind: CalendarKind, corrections: tuple[CalendarCorrection, ...]) -> WorkingCalendar:
    names = {nation: {day: list(day_names) for day, day_names in _package_holidays(nation).items()} for nation in kind.nations}
    for nation_days in names.values():
        _ensure_christmas_and_good_friday(nation_days)
    removals: dict[date, list[str]] = {}
    for day, nation_code, why in package_corrections.REMOVED:
        nation = Nation(nation_code)
        if nation in names and names[nation].pop(day, None) is not None:
            removals.setdefault(day, []).append(f"not a bank holiday in {nation.label} ({why})")
    for correction in corrections:
        nation_days = names[correction.nation]
        if correction.change == "add":
            nation_days.setdefault(correction.day, []).append(f"{correction.name} (authority correction)")
        elif nation_days.pop(correction.day, None) is not None:
            why = f": {correction.reason}" if correction.reason else ""
            removals.setdefault(correction.day, []).append(f"not a holiday in {correction.nation.label} (authority correction{why})")
    reasons: dict[date, str] = {}
    all_days = set().union(*(set(days) for days in names.values())) | set(removals) | _statutory_days(kind)
    for day in sorted(all_days):
        reason = _holiday_reason(day, names, kind)
        if reason is None:
            continue  # a removed day that no other nation keeps: a working day again
        if day in removals:
            reason += "; " + "; ".join(removals[day])
        reasons[day] = reason
    return WorkingCalendar(
        kind=kind,
        corrections=corrections,
        version=_calendar_version(kind, corrections),
        first_day=date(FIRST_YEAR, 1, 1),
        last_day=date(LAST_YEAR, 12, 31),
        holiday_reasons=reasons,
    )


@lru_cache(maxsize=4)
def _package_holidays(nation: Nation) -> dict[date, tuple[str, ...]]:
    """The package's holidays for one nation (cached: it is the slow part of a build, and each set
    of corrections starts again from it). Callers must copy before changing anything."""
    package = holidays.country_holidays("GB", subdiv=nation.value, observed=True, years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: tuple(_tidy_name(name) for name in package.get_list(day)) for day in package}


def _tidy_name(name: str) -> str:
    # GOV.UK's wording: "St Andrew's Day", "Boxing Day (substitute day)".
    return name.replace(" (observed)", " (substitute day)").replace("Saint ", "St ")


def _ensure_christmas_and_good_friday(nation_days: dict[date, list[str]]) -> None:
    # The package has both for every nation; the statute makes them non-working whatever it says.
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in ((date(year, 12, 25), "Christmas Day"), (good_friday(year), "Good Friday")):
            day_names = nation_days.setdefault(day, [])
            if name not in day_names:
                day_names.append(name)


@lru_cache(maxsize=2)
def _statutory_days(kind: CalendarKind) -> frozenset[date]:
    """Days the statute names itself, so no correction can make them working days: Christmas
    Day (FOIA s.10(6), FOISA s.73) and, under FOIA/EIR only, Good Friday."""
    days = {date(year, 12, 25) for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    if kind is CalendarKind.UK:
        days |= {good_friday(year) for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    return frozenset(days)


def _holiday_reason(day: date, names: dict[Nation, dict[date, list[str]]], kind: CalendarKind) -> str | None:
    nations_by_name: dict[str, list[Nation]] = {}
    for nation, nation_days in names.items():
        for name in nation_days.get(day, ()):
            nations_by_name.setdefault(name, []).append(nation)
    if nations_by_name:
        return "; ".join(f"{name} ({', '.join(n.label for n in nations)})" for name, nations in nations_by_name.items())
    if day in _statutory_days(kind):
        name = "Christmas Day" if (day.month, day.day) == (12, 25) else "Good Friday"
        return f"{name} (never a working day: {kind.statute})"
    return None


def good_friday(year: int) -> date:
    """Good Friday of `year` (Gregorian computus, anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own names)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    easter_sunday = date(year, month, day + 1)
    return date.fromordinal(easter_sunday.toordinal() - 2)
