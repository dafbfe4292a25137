"""The web server's access log, without query strings.

A query string can carry what someone typed into a search box: a requester's name, an e-mail
address. Paths alone say what was asked for; the log keeps those and never the rest.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from uvicorn.config import LOGGING_CONFIG


class DropQueryStrings(logging.Filter):
    """Uvicorn logs (client, method, path with query, HTTP version, status); the path loses its query."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """Uvicorn's own logging configuration, with the filter on its access logger."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query_strings"] = {"()": "app.access_log.DropQueryStrings"}
    config["handlers"]["access"].setdefault("filters", []).append("drop_query_strings")
    return config
