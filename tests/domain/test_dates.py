"""The one reader of typed dates (app/domain/dates.py): the same spelling accepted everywhere, and
refusals that name the field and say what to type."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.domain.dates import (
    boxes_at_fault,
    check_period,
    date_from_parts,
    parse_date,
    parse_local_datetime,
    read_iso_date,
    spoken_date,
    time_of_day,
)
from app.domain.errors import InvalidInput
from app.domain.imports import parse_date as parse_csv_date

LONDON = ZoneInfo("Europe/London")


def _refusal(call: object) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as refused:
        call()  # type: ignore[operator]
    return refused.value.field, refused.value.message


def test_a_date_is_yyyy_mm_dd_and_nothing_else() -> None:
    assert parse_date(" 2026-02-28 ", "on") == date(2026, 2, 28)
    assert parse_date(date(2026, 1, 5), "on") == date(2026, 1, 5)
    assert parse_date(datetime(2026, 1, 5, 14, 0), "on") == date(2026, 1, 5)
    # Python 3.11's fromisoformat takes these; a person told "YYYY-MM-DD" would not expect them to work
    for other in ("20260228", "2026-W09-6", "2026-02-28T10:00", "28/02/2026"):
        assert read_iso_date(other) is None
        assert _refusal(lambda other=other: parse_date(other, "received_on")) == (
            "received_on",
            f"'{other}' is not a date (use YYYY-MM-DD)",
        )
    assert _refusal(lambda: parse_date("2026-02-30", "on")) == ("on", "'2026-02-30' is not a date (use YYYY-MM-DD)")


def test_empty_is_nothing_unless_required() -> None:
    for empty in (None, "", "   "):
        assert parse_date(empty, "due_before") is None
        assert _refusal(lambda empty=empty: parse_date(empty, "on", required=True)) == ("on", "give a date as YYYY-MM-DD")
    assert _refusal(lambda: parse_date("", "received_on", required=True, missing="give the date the request was received")) == (
        "received_on",
        "give the date the request was received",
    )


def test_a_value_of_another_kind_is_refused_by_name_and_a_long_one_is_not_repeated_whole() -> None:
    assert _refusal(lambda: parse_date(20250910, "received_on")) == ("received_on", "must be a date (YYYY-MM-DD)")
    assert _refusal(lambda: parse_date(["2026-01-01"], "on")) == ("on", "must be a date (YYYY-MM-DD)")
    assert _refusal(lambda: parse_date("x" * 500, "on")) == ("on", f"'{'x' * 30}' is not a date (use YYYY-MM-DD)")


def test_a_local_date_and_time_is_in_the_authoritys_zone() -> None:
    assert parse_local_datetime("2026-07-01T09:30", "at", LONDON) == datetime(2026, 7, 1, 9, 30, tzinfo=LONDON)
    assert parse_local_datetime("2026-12-01 09:00:15", "at", LONDON) == datetime(2026, 12, 1, 9, 0, 15, tzinfo=LONDON)
    assert parse_local_datetime("", "publish_at", LONDON) is None
    assert _refusal(lambda: parse_local_datetime(" ", "at", LONDON, required=True, missing="give the date and time to publish")) == (
        "at",
        "give the date and time to publish",
    )
    for wrong in ("soon", "2026-02-30 09:00", "2026-07-01", "2026-07-01 25:00", "2026-07-01T09:30+02:00"):
        field, message = _refusal(lambda wrong=wrong: parse_local_datetime(wrong, "publish_at", LONDON))
        assert field == "publish_at" and f"'{wrong}'" in message and "give a date and time, like 2026-03-02 09:30" in message


def test_the_csv_import_also_reads_uk_dates_and_the_same_iso_dates() -> None:
    assert parse_csv_date("31/03/2024") == date(2024, 3, 31)
    assert parse_csv_date(" 2024-03-31 ") == date(2024, 3, 31)
    assert parse_csv_date("31/02/2024") is None
    assert parse_csv_date("2024-02-31") is None
    assert parse_csv_date("20240331") is None


# ---------------------------------------------------------------- messages in GOV.UK style (issue 13)


def test_a_year_typed_short_names_the_date_and_marks_the_year_box_only() -> None:
    field, message = _refusal(lambda: date_from_parts("received_on", "Date the request was received", "2", "3", "26"))
    assert (field, message) == ("received_on", "Date the request was received must include a year with 4 numbers")
    # the error summary links to the year box, which alone is marked
    assert boxes_at_fault(message) == ("year",)


@pytest.mark.parametrize(
    ("message", "boxes"),
    [
        ("Released from must include a month", ("month",)),
        ("Released from must include a day and month", ("day", "month")),
        ("Date received must include a month and year", ("month", "year")),
        ("Date to publish must include a time", ("time",)),
        ("Date to publish must be a real date", ("day", "month", "year")),
        ("Enter the date the request was received", ("day", "month", "year")),
        ("Time to publish must be a real time, like 09:30 or 14:30", ("time",)),
        # both at once: every box at fault is marked
        ("Date to publish must be a real date. Time to publish must be a real time, like 09:30 or 14:30", ("day", "month", "year", "time")),
        ("Date to publish must include a month. Time to publish must be a real time, like 09:30 or 14:30", ("month", "time")),
    ],
)
def test_the_boxes_a_message_finds_fault_with(message: str, boxes: tuple[str, ...]) -> None:
    assert boxes_at_fault(message) == boxes


def test_dates_in_messages_are_written_as_people_write_them() -> None:
    assert spoken_date(date(2026, 12, 1)) == "1 December 2026"
    assert spoken_date(date(2027, 1, 31)) == "31 January 2027"


def test_a_time_of_day_is_read_or_refused_by_its_label() -> None:
    assert time_of_day(" 9:30 ", "received_time", "Time received") == time(9, 30)
    assert time_of_day("14.05", "received_time", "Time received") == time(14, 5)
    assert time_of_day("", "received_time", "Time received") is None
    for typed in ("25:00", "9", "half past", "12:60"):
        assert _refusal(lambda typed=typed: time_of_day(typed, "received_time", "Time received")) == (
            "received_time",
            "Time received must be a real time, like 09:30 or 14:30",
        )


def test_a_period_that_ends_before_it_starts_is_refused_in_the_form_s_labels() -> None:
    check_period(date(2026, 1, 1), date(2026, 1, 1), field="to", from_label="Released from", to_label="Released to")
    check_period(None, date(2026, 1, 1), field="to", from_label="Released from", to_label="Released to")
    field, message = _refusal(
        lambda: check_period(date(2026, 5, 1), date(2026, 1, 1), field="to", from_label="Released from", to_label="Released to")
    )
    assert (field, message) == ("to", "The \u2018Released to\u2019 date must be the same as or after the \u2018Released from\u2019 date")
