"""The texts the product ships, one per notice and regime (`texts/<regime>/<kind>.j2`), each in its
own law's terms; an authority's edits replace them, and "reset" comes back here.

A text file is its subject line ("Subject: ..."), a blank line, then the body.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from app.domain.notices.facts import NoticeText
from app.domain.notices.kinds import NoticeKind
from app.domain.regimes import Regime

_SUBJECT = "Subject:"


@cache
def shipped_text(kind: NoticeKind, regime: Regime) -> NoticeText:
    """The product's own text for this notice under this regime."""
    source = files("app.domain.notices").joinpath("texts", Regime(regime).value, f"{NoticeKind(kind).value}.j2").read_text("utf-8")
    first, _, body = source.partition("\n")
    if not first.startswith(_SUBJECT):
        raise RuntimeError(f"texts/{regime}/{kind}.j2 does not start with its subject line")
    return NoticeText(subject=first[len(_SUBJECT) :].strip(), body=body.lstrip("\n"))
