"""The web server's access log, without query strings, and one line per answer whatever was asked.

A query string can carry what someone typed into a search box: a requester's name, an e-mail
address. Paths alone say what was asked for; the log keeps those and never the rest.

A path or method is written as the client sent it, and a client can send a line break in it (`%0A`
decodes to one): every control character is written escaped (`\\n`, `\\x00`), so no one can add a
line of their own making to the log. The error log (app/web/errors.py) writes through `printable` too.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators a log viewer may break at
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` for one line of a log: control characters (and the backslash that escapes them) escaped."""
    return _CONTROL.sub(lambda found: _NAMED.get(found.group(), f"\\x{ord(found.group()):02x}"), text.replace("\\", "\\\\"))


class DropQueryStrings(logging.Filter):
    """Uvicorn logs (client, method, path with query, HTTP version, status); the path loses its query,
    and what the client sent is written escaped."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path = args[2].split("?", 1)[0] + "?…" if "?" in args[2] else args[2]
            record.args = tuple(printable(arg) if isinstance(arg, str) else arg for arg in (*args[:2], path, *args[3:]))
        return True


def log_config() -> dict[str, Any]:
    """Uvicorn's own logging configuration, with the filter on its access logger."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query_strings"] = {"()": "app.access_log.DropQueryStrings"}
    config["handlers"]["access"].setdefault("filters", []).append("drop_query_strings")
    return config
