"""Working-day calendars (FOIA s.10(6), FOISA s.73). Dates checked by hand against GOV.UK's bank
holiday lists and the installed `holidays` package, never against the calendar under test."""

from __future__ import annotations

from datetime import date, datetime

import holidays
import pytest

from app.domain.deadlines import (
    CalendarCorrection,
    CalendarKind,
    Nation,
    build_calendar,
    calendar_kind_for,
    good_friday,
)
from app.domain.errors import InvalidInput
from app.domain.regimes import Regime

UK = build_calendar(CalendarKind.UK)
SCOTLAND = build_calendar(CalendarKind.SCOTLAND)


def test_enum_values_are_stable_for_storage():
    assert [n.value for n in Nation] == ["ENG", "WLS", "SCT", "NIR"]
    assert [k.value for k in CalendarKind] == ["uk", "scotland"]


def test_each_regime_counts_on_its_statutory_calendar():
    assert calendar_kind_for(Regime.FOIA) is CalendarKind.UK
    assert calendar_kind_for("eir") is CalendarKind.UK
    assert calendar_kind_for(Regime.FOISA) is CalendarKind.SCOTLAND


def test_unknown_regime_names_the_field():
    with pytest.raises(InvalidInput) as caught:
        calendar_kind_for("gdpr")
    assert caught.value.field == "regime"


def test_built_calendars_are_cached():
    assert build_calendar("uk") is UK
    assert build_calendar(CalendarKind.SCOTLAND, ()) is SCOTLAND


# -- one-off days appointed by proclamation ---------------------------------------------------

ONE_OFF_DAYS = [
    (date(2022, 6, 3), "Platinum Jubilee", (Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR)),
    (date(2022, 9, 19), "State Funeral", (Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR)),
    (date(2023, 5, 8), "Coronation", (Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR)),
    (date(2026, 6, 15), "FIFA World Cup", (Nation.SCT,)),
]


@pytest.mark.parametrize(("day", "name", "nations"), ONE_OFF_DAYS)
def test_installed_holidays_package_has_the_one_off_day(day, name, nations):
    for nation in nations:
        package = holidays.country_holidays("GB", subdiv=nation.value, years=day.year)
        assert day in package, (
            f"holidays {holidays.__version__} lacks {day} ({name}) for {nation.label}: update the package "
            f"or add CalendarCorrection(day={day!r}, nation=Nation.{nation.name}, change='add', ...)"
        )


@pytest.mark.parametrize(("day", "name", "nations"), ONE_OFF_DAYS)
def test_one_off_days_are_not_working_days_under_foia(day, name, nations):
    assert not UK.is_working_day(day)
    reason = UK.non_working_reason(day)
    assert reason is not None
    expected_nations = ", ".join(nation.label for nation in nations)
    assert f"({expected_nations})" in reason


def test_one_off_days_under_foisa():
    for day in (date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8), date(2026, 6, 15)):
        assert not SCOTLAND.is_working_day(day)


def test_jubilee_moved_the_spring_bank_holiday_2022():
    assert UK.is_working_day(date(2022, 5, 30))  # the usual last Monday of May was a working day
    assert not UK.is_working_day(date(2022, 6, 2))
    assert not UK.is_working_day(date(2022, 6, 3))


# -- each nation's own days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "uk_reason", "working_under_foisa"),
    [
        (date(2025, 3, 17), "St Patrick's Day (Northern Ireland)", True),
        (date(2026, 3, 17), "St Patrick's Day (Northern Ireland)", True),
        (date(2027, 7, 12), "Battle of the Boyne (Northern Ireland)", True),
        (date(2025, 7, 14), "Battle of the Boyne (substitute day) (Northern Ireland)", True),
        (date(2026, 7, 13), "Battle of the Boyne (substitute day) (Northern Ireland)", True),
        (date(2025, 1, 2), "New Year Holiday (Scotland)", False),
        (date(2026, 1, 2), "New Year Holiday (Scotland)", False),
        (date(2027, 1, 4), "New Year Holiday (substitute day) (Scotland)", False),
        (date(2025, 8, 4), "Summer Bank Holiday (Scotland)", False),
        (date(2026, 8, 3), "Summer Bank Holiday (Scotland)", False),
        (date(2026, 11, 30), "St Andrew's Day (Scotland)", False),
        (date(2025, 12, 1), "St Andrew's Day (substitute day) (Scotland)", False),
        (date(2026, 4, 6), "Easter Monday (England, Wales, Northern Ireland)", True),
        (date(2025, 4, 21), "Easter Monday (England, Wales, Northern Ireland)", True),
        (date(2025, 8, 25), "Late Summer Bank Holiday (England, Wales, Northern Ireland)", True),
        (date(2026, 8, 31), "Late Summer Bank Holiday (England, Wales, Northern Ireland)", True),
        (date(2026, 4, 3), "Good Friday (England, Wales, Scotland, Northern Ireland)", False),
        (date(2026, 12, 28), "Boxing Day (substitute day) (England, Wales, Scotland, Northern Ireland)", False),
        (date(2027, 12, 27), "Christmas Day (substitute day) (England, Wales, Scotland, Northern Ireland)", False),
        (date(2027, 12, 28), "Boxing Day (substitute day) (England, Wales, Scotland, Northern Ireland)", False),
    ],
)
def test_bank_holidays_of_every_nation_stop_the_foia_clock(day, uk_reason, working_under_foisa):
    assert not UK.is_working_day(day)
    assert UK.non_working_reason(day) == uk_reason
    assert SCOTLAND.is_working_day(day) is working_under_foisa
    if working_under_foisa:
        assert SCOTLAND.non_working_reason(day) is None


def test_foisa_reasons_name_scotland_only():
    assert SCOTLAND.non_working_reason(date(2026, 4, 3)) == "Good Friday (Scotland)"
    assert SCOTLAND.non_working_reason(date(2026, 11, 30)) == "St Andrew's Day (Scotland)"


def test_ordinary_days_around_holidays_are_working_days():
    for day in (date(2025, 11, 28), date(2026, 12, 29), date(2027, 12, 29), date(2025, 7, 15), date(2025, 9, 9)):
        assert UK.is_working_day(day), day
        assert UK.non_working_reason(day) is None


def test_weekends():
    assert UK.non_working_reason(date(2025, 10, 4)) == "Saturday"
    assert UK.non_working_reason(date(2025, 10, 5)) == "Sunday"
    assert not SCOTLAND.is_working_day(date(2025, 10, 4))
    # A holiday on a weekend is named but changes nothing.
    assert UK.non_working_reason(date(2025, 7, 12)) == "Saturday; Battle of the Boyne (Northern Ireland)"
    assert SCOTLAND.non_working_reason(date(2025, 7, 12)) == "Saturday"


def test_shared_day_with_two_names_lists_both():
    # 2023-01-02: New Year's Day substitute everywhere and Scotland's own 2 January holiday.
    reason = UK.non_working_reason(date(2023, 1, 2))
    assert reason is not None
    assert "New Year's Day (substitute day) (England, Wales, Scotland, Northern Ireland)" in reason
    assert "New Year Holiday (Scotland)" in reason


def test_christmas_day_and_good_friday_every_year():
    for year in range(1990, 2061):
        assert not UK.is_working_day(date(year, 12, 25)), year
        assert not SCOTLAND.is_working_day(date(year, 12, 25)), year
        assert not UK.is_working_day(good_friday(year)), year


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, date(2000, 4, 21)),
        (2025, date(2025, 4, 18)),
        (2026, date(2026, 4, 3)),
        (2027, date(2027, 3, 26)),
        (2038, date(2038, 4, 23)),
    ],
)
def test_good_friday(year, expected):
    assert good_friday(year) == expected


def test_good_friday_agrees_with_the_package_for_every_year():
    package = holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2061))
    named = {day for day, name in package.items() if name == "Good Friday"}
    assert named == {good_friday(year) for year in range(1990, 2061)}


def test_never_the_bare_gb_calendar():
    # The bare "GB" calendar lacks Easter Monday; ours has it (England, Wales, NI).
    assert date(2026, 4, 6) not in holidays.country_holidays("GB", years=2026)
    assert not UK.is_working_day(date(2026, 4, 6))


# -- counting ---------------------------------------------------------------------------------


def test_add_working_days_counts_strictly_after_start():
    assert UK.add_working_days(date(2025, 9, 9), 1) == date(2025, 9, 10)
    assert UK.add_working_days(date(2025, 9, 9), 20) == date(2025, 10, 7)
    assert UK.add_working_days(date(2025, 10, 4), 1) == date(2025, 10, 6)  # Saturday start


def test_add_working_days_skips_each_calendars_own_holidays():
    # Friday before the Boyne substitute (Mon 14 July 2025).
    assert UK.add_working_days(date(2025, 7, 11), 1) == date(2025, 7, 15)
    assert SCOTLAND.add_working_days(date(2025, 7, 11), 1) == date(2025, 7, 14)
    # Thursday before Good Friday and Easter Monday 2026.
    assert UK.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert SCOTLAND.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 6)


def test_add_working_days_rejects_zero():
    with pytest.raises(ValueError):
        UK.add_working_days(date(2025, 9, 9), 0)


def test_add_working_days_disregarding_periods():
    # Fee period Fri 12 to Tue 16 September 2025: three working days disregarded.
    periods = [(date(2025, 9, 12), date(2025, 9, 16))]
    assert UK.add_working_days(date(2025, 9, 9), 20, periods) == date(2025, 10, 10)
    assert UK.add_working_days(date(2025, 9, 9), 2, periods) == date(2025, 9, 11)
    assert UK.add_working_days(date(2025, 9, 9), 3, periods) == date(2025, 9, 17)


def test_working_days_between():
    assert UK.working_days_between(date(2025, 9, 9), date(2025, 10, 7)) == 20
    assert UK.working_days_between(date(2025, 10, 7), date(2025, 9, 9)) == -20
    assert UK.working_days_between(date(2025, 9, 9), date(2025, 9, 9)) == 0
    assert UK.working_days_between(date(2025, 10, 4), date(2025, 10, 6)) == 1
    # Christmas 2026: 24 Dec (Thu) counted, 25 Dec and 28 Dec (substitute) not, 29 Dec counted.
    assert UK.working_days_between(date(2026, 12, 23), date(2026, 12, 29)) == 2


def test_working_days_in_is_inclusive():
    assert UK.working_days_in(date(2025, 9, 12), date(2025, 9, 16)) == 3
    assert UK.working_days_in(date(2025, 9, 13), date(2025, 9, 14)) == 0
    assert UK.working_days_in(date(2025, 9, 16), date(2025, 9, 12)) == 0


def test_holidays_between_for_the_admin_page():
    uk_2026 = [day for day, _ in UK.holidays_between(date(2026, 1, 1), date(2026, 12, 31))]
    assert uk_2026 == [
        date(2026, 1, 1), date(2026, 1, 2), date(2026, 3, 17), date(2026, 4, 3), date(2026, 4, 6),
        date(2026, 5, 4), date(2026, 5, 25), date(2026, 6, 15), date(2026, 7, 12), date(2026, 7, 13),
        date(2026, 8, 3), date(2026, 8, 31), date(2026, 11, 30), date(2026, 12, 25), date(2026, 12, 26),
        date(2026, 12, 28),
    ]  # fmt: skip
    scotland_2026 = [day for day, _ in SCOTLAND.holidays_between(date(2026, 1, 1), date(2026, 12, 31))]
    assert scotland_2026 == [
        date(2026, 1, 1), date(2026, 1, 2), date(2026, 4, 3), date(2026, 5, 4), date(2026, 5, 25),
        date(2026, 6, 15), date(2026, 8, 3), date(2026, 11, 30), date(2026, 12, 25), date(2026, 12, 26),
        date(2026, 12, 28),
    ]  # fmt: skip
    assert dict(UK.holidays_between(date(2026, 12, 28), date(2026, 12, 28))) == {
        date(2026, 12, 28): "Boxing Day (substitute day) (England, Wales, Scotland, Northern Ireland)"
    }


def test_outside_the_calendar_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        UK.is_working_day(date(1989, 12, 29))
    with pytest.raises(ValueError):
        UK.add_working_days(date(2060, 12, 20), 20)
    assert UK.covers(date(1990, 1, 1)) and UK.covers(date(2060, 12, 31))
    assert not UK.covers(date(2061, 1, 1))


# -- corrections ------------------------------------------------------------------------------


def test_version_names_kind_package_and_the_shipped_corrections():
    assert UK.version == f"uk/holidays-{holidays.__version__}+p1"
    assert SCOTLAND.version == f"scotland/holidays-{holidays.__version__}+p1"


# -- the package's Scottish substitutes for 2 January (app/domain/deadlines/package_corrections.py) --
# Source: no royal proclamation was made for Mon 4 January 2010 nor Tue 4 January 2011 (the Scottish
# Government via the Privy Council Office, the Crown Office and the Edinburgh Gazette, January 2014;
# dracos.co.uk/wrote/bad-bank-holidays). The 1971 Act, Schedule 1, moves a Scottish 1 or 2 January
# only from a Sunday, to 3 January.


@pytest.mark.parametrize("calendar", [UK, SCOTLAND], ids=["uk", "scotland"])
@pytest.mark.parametrize("day", [date(2010, 1, 4), date(2011, 1, 4)])
def test_scottish_4_january_2010_and_2011_are_working_days(calendar, day):
    assert calendar.is_working_day(day)
    assert calendar.non_working_reason(day) is None


def test_the_statutory_and_proclaimed_january_days_stay_holidays():
    # 3 January 2011: 2 January was a Sunday, so the Act itself moves it (Schedule 1)
    assert not SCOTLAND.is_working_day(date(2011, 1, 3))
    # 4 January 2005: appointed by the 2004 proclamation in place of Saturday 1 January
    assert not SCOTLAND.is_working_day(date(2005, 1, 4))
    # 4 January 2016, 2021, 2027: "2nd January (substitute day)" on GOV.UK's list, from the proclamations
    for year in (2016, 2021, 2027):
        assert not SCOTLAND.is_working_day(date(year, 1, 4)), year


def test_a_foisa_request_over_new_year_2010_counts_4_january():
    # FOISA, received Thu 31 Dec 2009: Fri 1 Jan is a holiday, Mon 4 Jan 2010 is day 1 (not a holiday);
    # 20 working days later: Fri 29 January 2010 (no other Scottish holiday in between).
    from app.domain.deadlines import compute_deadline

    deadline = compute_deadline("foisa", "initial", date(2009, 12, 31), [], SCOTLAND)
    assert deadline.due_on == date(2010, 1, 29)  # with the package's 4 January it would be Mon 1 February


def test_adding_a_day_makes_it_non_working_and_changes_the_version():
    extra = CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "Proclaimed holiday", "Proclamation of 1 Sept")
    corrected = build_calendar(CalendarKind.UK, [extra])
    assert UK.is_working_day(date(2025, 9, 15))
    assert not corrected.is_working_day(date(2025, 9, 15))
    assert corrected.non_working_reason(date(2025, 9, 15)) == "Proclaimed holiday (authority correction) (England)"
    assert corrected.version.startswith(f"uk/holidays-{holidays.__version__}+p1/c-")
    assert corrected.version != UK.version
    assert corrected.add_working_days(date(2025, 9, 9), 20) == date(2025, 10, 8)


def test_removing_a_day_makes_it_a_working_day():
    withdrawn = CalendarCorrection(date(2026, 6, 15), Nation.SCT, "remove", "", "proclamation withdrawn")
    for kind in CalendarKind:
        corrected = build_calendar(kind, [withdrawn])
        assert corrected.is_working_day(date(2026, 6, 15)), kind
        assert corrected.non_working_reason(date(2026, 6, 15)) is None
        assert corrected.add_working_days(date(2026, 6, 1), 20) == date(2026, 6, 29)


def test_removing_a_day_one_nation_still_keeps_is_explained():
    corrected = build_calendar(CalendarKind.UK, [CalendarCorrection(date(2026, 4, 6), Nation.ENG, "remove", "", "test")])
    assert not corrected.is_working_day(date(2026, 4, 6))
    assert corrected.non_working_reason(date(2026, 4, 6)) == (
        "Easter Monday (Wales, Northern Ireland); not a holiday in England (authority correction: test)"
    )


def test_statutory_days_cannot_be_corrected_away():
    every_nation = [CalendarCorrection(date(2026, 4, 3), n, "remove", "") for n in Nation]
    uk = build_calendar(CalendarKind.UK, every_nation)
    assert not uk.is_working_day(date(2026, 4, 3))
    assert (uk.non_working_reason(date(2026, 4, 3)) or "").startswith("Good Friday (never a working day: FOIA s.10(6))")
    christmas = [CalendarCorrection(date(2026, 12, 25), Nation.SCT, "remove", "")]
    assert not build_calendar(CalendarKind.SCOTLAND, christmas).is_working_day(date(2026, 12, 25))


def test_good_friday_is_only_a_bank_holiday_under_foisa():
    # FOISA s.73 names Christmas Day but not Good Friday: it is non-working as a Scottish bank holiday.
    scotland = build_calendar(CalendarKind.SCOTLAND, [CalendarCorrection(date(2026, 4, 3), Nation.SCT, "remove", "")])
    assert scotland.is_working_day(date(2026, 4, 3))


def test_correction_order_and_duplicates_do_not_change_the_version():
    a = CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "A")
    b = CalendarCorrection(date(2025, 10, 15), Nation.NIR, "add", "B")
    assert build_calendar("uk", [a, b]) is build_calendar("uk", [b, a, a])
    assert build_calendar("uk", [a, b]).version == build_calendar("uk", [b, a]).version


def test_corrections_for_other_nations_leave_the_scottish_calendar_alone():
    northern_ireland_only = CalendarCorrection(date(2025, 9, 15), Nation.NIR, "add", "NI day")
    assert build_calendar("scotland", [northern_ireland_only]) is SCOTLAND
    assert build_calendar("uk", [northern_ireland_only]).version != UK.version


def test_reason_text_changes_the_version():
    a = CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "A", "one")
    b = CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "A", "two")
    assert build_calendar("uk", [a]).version != build_calendar("uk", [b]).version


@pytest.mark.parametrize(
    ("correction", "field"),
    [
        (CalendarCorrection(date(2025, 9, 15), Nation.ENG, "change", "A"), "corrections[0].change"),  # type: ignore[arg-type]
        (CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "  "), "corrections[0].name"),
        (CalendarCorrection(date(2025, 9, 15), "XYZ", "add", "A"), "corrections[0].nation"),  # type: ignore[arg-type]
        (CalendarCorrection(datetime(2025, 9, 15, 9), Nation.ENG, "add", "A"), "corrections[0].day"),
        (CalendarCorrection(date(1980, 9, 15), Nation.ENG, "add", "A"), "corrections[0].day"),
    ],
)
def test_bad_corrections_name_the_field(correction, field):
    with pytest.raises(InvalidInput) as caught:
        build_calendar("uk", [correction])
    assert caught.value.field == field


def test_contradictory_corrections_are_refused():
    with pytest.raises(InvalidInput) as caught:
        build_calendar(
            "uk",
            [
                CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "A"),
                CalendarCorrection(date(2025, 9, 15), Nation.ENG, "remove", ""),
            ],
        )
    assert caught.value.field == "corrections"


def test_nation_given_as_text_is_accepted():
    text = CalendarCorrection(date(2025, 9, 15), "ENG", "add", "A")  # type: ignore[arg-type]
    enum = CalendarCorrection(date(2025, 9, 15), Nation.ENG, "add", "A")
    assert build_calendar("uk", [text]) is build_calendar("uk", [enum])


def test_unknown_calendar_kind():
    with pytest.raises(InvalidInput) as caught:
        build_calendar("wales")
    assert caught.value.field == "calendar"
