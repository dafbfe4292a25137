"""Checking import rows: every problem reported by line, column and reason; history through the lifecycle."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.imports import COLUMNS, ImportContext, ImportFileError, RowState, check_file, decode, parse_date

CONTEXT = ImportContext(today=date(2025, 6, 30), departments=frozenset({"corporate-services", "highways"}))
HEADER = ",".join(COLUMNS)


def row(**cells: str) -> str:
    values = {
        "reference": "",
        "regime": "foia",
        "received_on": "2024-03-04",
        "title": "Pothole repairs 2023",
        "body": "How many potholes were repaired in 2023?",
        "requester_name": "Ann Example",
        "requester_email": "ann@example.org",
        "requester_address": "",
        "department": "highways",
        "status": "responded",
        "outcome": "granted_in_full",
        "responded_on": "2024-03-28",
        "exemptions": "",
        "response": "We repaired 1,204 potholes.",
        "posted_on": "",
    }
    values.update(cells)
    return ",".join(_quote(values[column]) for column in COLUMNS)


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


def check(*rows: str, header: str = HEADER) -> list:
    return check_file("\n".join([header, *rows]) + "\n", CONTEXT)


def test_a_responded_row_plans_its_history_through_the_lifecycle() -> None:
    [result] = check(row(outcome="granted_in_part", exemptions="foia-s40; FOIA-s43", responded_on="28/03/2024"))
    assert result.state is RowState.READY and result.line == 2
    plan = result.plan
    assert plan.status == "responded" and plan.outcome == "granted_in_part"
    assert plan.exemptions == ("FOIA-s40", "FOIA-s43")
    assert plan.responded_on == date(2024, 3, 28)
    assert [(e.action, e.from_status, e.to_status, e.on) for e in plan.events] == [
        ("respond", "new", "responded", date(2024, 3, 28)),
    ]


@pytest.mark.parametrize(
    ("cells", "actions", "final"),
    [
        ({"status": "new", "outcome": "", "responded_on": "", "response": ""}, [], "new"),
        ({"status": "in progress", "outcome": "", "responded_on": "", "response": ""}, ["start"], "in_progress"),
        ({"status": "withdrawn", "outcome": "", "responded_on": "2024-03-10", "response": ""}, ["withdraw"], "withdrawn"),
        ({"status": "lapsed", "outcome": "", "responded_on": "2024-06-10", "response": ""}, ["request_clarification", "lapse"], "lapsed"),
        ({"status": "", "outcome": "not_held"}, ["respond"], "responded"),  # the outcome says it was answered
        ({"status": "", "outcome": "", "responded_on": "", "response": ""}, [], "new"),
    ],
)
def test_each_status_maps_to_events(cells: dict[str, str], actions: list[str], final: str) -> None:
    [result] = check(row(**cells))
    assert result.state is RowState.READY, result.message
    assert [event.action for event in result.plan.events] == actions
    assert result.plan.status == final
    if final != "responded":
        assert result.plan.responded_on is None  # a withdrawal or lapse is dated by its event only


def test_every_problem_of_every_row_is_reported_with_line_and_column() -> None:
    results = check(
        row(),
        row(regime="fooa", received_on="31/02/2024", requester_email="not an email"),
        row(status="responded", outcome="", responded_on=""),
        row(outcome="granted_in_full", exemptions="FOIA-s40", responded_on="2024-03-01"),
        row(status="internal_review"),
        row(department="parks", reference="EIR-2019-00001"),
        row(title="", body="", requester_name=""),
        row(received_on="2025-07-01", outcome="", status="new", responded_on="", response=""),
        row(status="withdrawn", outcome="refused_in_full", response=""),
        row(exemptions="FOIA-s99"),
    )
    by_line = {r.line: r for r in results}
    assert by_line[2].state is RowState.READY
    assert [(e.column, e.reason) for e in by_line[3].errors] == [
        ("regime", "'fooa' is not one of foia, eir, foisa, eisr"),
        ("received_on", "'31/02/2024' is not a date (use YYYY-MM-DD, or DD/MM/YYYY)"),
        ("requester_email", "is not a valid email address"),
    ]
    assert {e.column for e in by_line[4].errors} == {"outcome", "responded_on"}
    # every problem of the row at once: the date and, beside it, the exemption a full grant cannot rely on
    assert [str(e) for e in by_line[5].errors] == [
        "responded_on: must be the same as or after the date the request was received (4 March 2024)",
        "exemptions: an outcome of 'Granted in full' relies on no exemption",
    ]
    assert by_line[5].state is RowState.INVALID
    assert by_line[6].errors[0].column == "status" and "internal_review cannot be imported" in by_line[6].errors[0].reason
    assert [e.column for e in by_line[7].errors] == ["reference", "department"]
    assert "eir reference but the regime is foia" in by_line[7].errors[0].reason
    assert [e.column for e in by_line[8].errors] == ["title", "body", "requester_name"]
    assert by_line[9].errors[0].reason == "must be today or in the past (it is 1 July 2025)"
    assert [str(e) for e in by_line[10].errors] == ["outcome: only a responded request has an outcome (status is withdrawn)"]
    assert by_line[11].errors[0].column == "exemptions" and "FOIA-s99" in by_line[11].errors[0].reason


def test_messages_never_repeat_personal_data_or_texts() -> None:
    secret_name, secret_email = "Zebedee Quux", "zq@@example"
    results = check(row(requester_name=secret_name * 20, requester_email=secret_email, title="T" * 400))
    text = " ".join(r.message for r in results)
    assert "Zebedee" not in text and "zq@" not in text and "TTTT" not in text
    assert "requester_name: is 240 characters long; at most 200" in text


def test_a_repeated_row_is_imported_once_and_a_repeated_reference_is_an_error() -> None:
    results = check(
        row(reference="FOI-2024-00042"),
        row(reference="foi-2024-00042 "),  # the same row, written differently
        row(reference="FOI-2024-00042", title="Another title"),
        row(received_on="04/03/2024"),
        row(),
    )
    states = [(r.line, r.state) for r in results]
    assert states == [(2, RowState.READY), (3, RowState.DUPLICATE), (4, RowState.INVALID), (5, RowState.READY), (6, RowState.DUPLICATE)]
    assert results[1].same_as_line == 2 and results[4].same_as_line == 5
    assert results[2].errors[0].reason == "FOI-2024-00042 is also given on line 2"


def test_the_import_key_is_the_normalised_row() -> None:
    [a] = check(row(title="Pothole  repairs 2023", requester_email="Ann@Example.org", exemptions=""))
    [b] = check(row(title=" Pothole repairs 2023", requester_email="ann@example.org"))
    [c] = check(row(title="Pothole repairs 2024"))
    assert a.plan.import_key == b.plan.import_key != c.plan.import_key
    assert len(a.plan.import_key) == 64


def test_lines_are_rows_as_a_spreadsheet_shows_them_and_blank_rows_are_skipped() -> None:
    results = check(row(body="First line\nsecond line\nthird"), "", row(regime="x"))
    assert [(r.line, r.file_line) for r in results] == [(2, 2), (4, 6)]
    assert results[1].errors[0].column == "regime"
    assert results[1].where == "line 4 (line 6 in a text editor)" and results[0].where == "line 2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        (HEADER + "\n", "the file has a header but no requests"),
        (HEADER + ",channel\n", "unknown column 'channel' in the header"),
        ("regime,title\n", "the header lacks the required columns received_on, body, requester_name"),
        ("regime,regime,received_on,title,body,requester_name\n", "column regime appears more than once"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(text: str, message: str) -> None:
    with pytest.raises(ImportFileError) as raised:
        check_file(text, CONTEXT)
    assert message in raised.value.message


def test_optional_columns_may_be_left_out_and_cells_must_match_the_header() -> None:
    header = "regime,received_on,title,body,requester_name"
    results = check_file(f"{header}\nfoia,2024-01-08,Library hours,When do you open?,Bo Brown\nfoia,2024-01-08,Too few cells\n", CONTEXT)
    assert results[0].state is RowState.READY and results[0].plan.status == "new"
    assert str(results[1].errors[0]) == "has 3 cells; the header has 5"


def test_only_utf8_is_read() -> None:
    assert decode("\ufeffregime".encode()) == "regime"
    with pytest.raises(ImportFileError) as raised:
        decode("regime\nCaf\xe9".encode("latin-1"))
    assert "not UTF-8" in raised.value.message and "(line 2, byte 11)" in raised.value.message


def test_dates() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("1/3/2024") == date(2024, 3, 1)
    assert parse_date("2023-02-29") is None and parse_date("03/31/2024") is None and parse_date("yesterday") is None


def test_a_multi_line_address_is_kept_and_never_repeated_in_a_message() -> None:
    address = "Flat 2\r\n14 Orchard Row\r\nLeeds LS6 2AB"
    [kept] = check(row(requester_address=f"  {address}  "))
    assert kept.state is RowState.READY and kept.plan.requester_address == "Flat 2\n14 Orchard Row\nLeeds LS6 2AB"
    [none] = check(row(requester_address=""))
    assert none.plan.requester_address is None
    assert kept.plan.import_key != none.plan.import_key  # the address is part of what makes a row itself

    [too_long] = check(row(requester_address="9 Orchard Row LS6 2AB\n" * 60))
    assert [str(e) for e in too_long.errors] == ["requester_address: is 1,319 characters long; at most 1,000"]
    assert "Orchard" not in too_long.message and "LS6" not in too_long.message


def test_a_row_without_an_address_keeps_the_key_it_had_before_the_column_existed() -> None:
    header_without = ",".join(c for c in COLUMNS if c != "requester_address")
    without_column = row().replace(",,highways", ",highways")  # the empty address cell taken out
    [old] = check(without_column, header=header_without)
    [new] = check(row())
    assert old.state is RowState.READY and old.plan.import_key == new.plan.import_key


def test_a_historic_refusal_must_name_its_grounds_and_explain_itself() -> None:
    no_exemption, no_words, cost, eir = check(
        row(outcome="refused_in_full", exemptions="", response="We cannot release this."),
        row(outcome="neither_confirm_nor_deny", exemptions="FOIA-s40", response=""),
        row(outcome="refused_cost", exemptions="", response="Over the appropriate limit (s.12)."),
        row(regime="eir", outcome="granted_in_part", exemptions="", response="Some withheld."),
    )
    assert [(e.column, e.reason) for e in no_exemption.errors] == [
        ("exemptions", "a refusal must name the exemption it relies on (FOIA s.17(1))")
    ]
    assert [(e.column, e.reason) for e in no_words.errors] == [
        ("response", "Enter the response: a refusal must tell the requester why (FOIA s.17(1))")
    ]
    assert cost.state is RowState.READY
    assert [(e.column, e.reason) for e in eir.errors] == [("exemptions", "a refusal must name the exception it relies on (EIR reg 14)")]


def test_a_posted_row_keeps_the_day_it_arrived_and_its_posting_date():
    # the file gives the day it arrived, so FOISA s.74(2)(a)'s presumption does not arise
    [result] = check(row(regime="foisa", received_on="2025-03-11", posted_on="2025-03-06", responded_on="2025-03-31"))
    assert result.state is RowState.READY, result.errors
    assert result.plan.received_on == date(2025, 3, 11)
    assert result.plan.posted_on == date(2025, 3, 6)
    [late] = check(row(regime="foisa", received_on="2025-03-11", posted_on="2025-03-12", responded_on="2025-03-31"))
    assert [error.column for error in late.errors] == ["posted_on"]
