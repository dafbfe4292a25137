"""The access log's filter: the path stays, the query string goes."""

from __future__ import annotations

import io
import logging
import logging.config

from app.access_log import DropQueryStrings, log_config


def access_record(path: str) -> logging.LogRecord:
    # the shape of uvicorn's access log call
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', ("10.0.0.1:5000", "GET", path, "1.1", 200), None
    )


def test_the_query_string_is_dropped_and_the_path_kept() -> None:
    record = access_record("/staff/requests?q=Rosa+Requester&status=open")
    assert DropQueryStrings().filter(record) is True
    assert record.getMessage() == '10.0.0.1:5000 - "GET /staff/requests?… HTTP/1.1" 200'


def test_a_path_without_a_query_is_left_alone() -> None:
    record = access_record("/disclosures/FOI-2025-00001")
    DropQueryStrings().filter(record)
    assert record.getMessage() == '10.0.0.1:5000 - "GET /disclosures/FOI-2025-00001 HTTP/1.1" 200'


def test_the_server_s_logging_configuration_applies_it() -> None:
    config = log_config()
    logging.config.dictConfig(config)
    handler = logging.getLogger("uvicorn.access").handlers[0]
    stream = io.StringIO()
    handler.setStream(stream)  # type: ignore[attr-defined]
    logging.getLogger("uvicorn.access").handle(access_record("/api/v1/requests?q=rosa%40example.org"))
    assert "/api/v1/requests?…" in stream.getvalue()
    assert "rosa" not in stream.getvalue()


def test_a_line_break_or_other_control_character_sent_in_a_path_is_written_escaped() -> None:
    record = access_record('/disclosures/x\n10.0.0.9:1 - "GET /admin HTTP/1.1" 200\r\x1b[2J\\n')
    DropQueryStrings().filter(record)
    written = record.getMessage()
    assert "\n" not in written and "\r" not in written and "\x1b" not in written
    assert written == '10.0.0.1:5000 - "GET /disclosures/x\\n10.0.0.9:1 - "GET /admin HTTP/1.1" 200\\r\\x1b[2J\\\\n HTTP/1.1" 200'
