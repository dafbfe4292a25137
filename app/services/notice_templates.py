"""The authority's notice texts: the newest saved version of each notice under each regime, or the
shipped text (app/domain/notices) where none was saved or the last save was a reset.

Every save is a new version (kind, regime, version unique), so nothing an admin wrote is ever lost
and the history says who changed what. Two admins saving the same notice at once both aim for the
next number: the unique constraint lets one win and the other hears that a newer version exists.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import Conflict, InvalidInput
from app.domain.notices import NoticeKind, NoticeText, check_text, shipped_text
from app.domain.regimes import Regime
from app.models import NoticeTemplate, User
from app.services.unit_of_work import UnitOfWork

MAX_SUBJECT = 300  # the column's size
MAX_BODY = 50_000  # ten times the longest shipped text: room to write, not a place to store files

NEWER_VERSION = "someone else saved a newer version of this notice; reload to see it"


async def current_text(session: AsyncSession, kind: NoticeKind, regime: Regime) -> tuple[NoticeText, int | None]:
    """The text a notice is drafted from now, and the saved version's id (None: the shipped text)."""
    row = await session.scalar(
        select(NoticeTemplate)
        .where(NoticeTemplate.kind == kind.value, NoticeTemplate.regime == regime.value)
        .order_by(NoticeTemplate.version.desc())
        .limit(1)
    )
    if row is None or row.is_shipped:
        return shipped_text(kind, regime), row.id if row else None
    return NoticeText(subject=row.subject, body=row.body), row.id


class TextRefused(InvalidInput):
    """An edited text with problems: every one, by field ("subject", "body"), in an admin's words."""

    def __init__(self, problems: dict[str, str]) -> None:
        field, message = next(iter(problems.items()))
        super().__init__(field, message)
        self.problems = problems

    def details(self) -> dict[str, object]:
        return {"field": self.field, "problems": self.problems}


def _tidy(text: NoticeText) -> NoticeText:
    # one form of text: a browser sends CRLF, the API LF; leading and trailing blank space means nothing
    def tidy(value: str) -> str:
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()

    return NoticeText(subject=tidy(text.subject), body=tidy(text.body))


def problems_with(kind: NoticeKind, text: NoticeText) -> dict[str, str]:
    """Everything wrong with a text an admin wants to save, by field; {} when it can be saved."""
    text = _tidy(text)
    problems = {}
    if len(text.subject) > MAX_SUBJECT:
        problems["subject"] = f"the subject is {len(text.subject):,} characters long; it can be at most {MAX_SUBJECT}"
    if len(text.body) > MAX_BODY:
        problems["body"] = f"the text is {len(text.body):,} characters long; it can be at most {MAX_BODY:,}"
    if problems:  # too long to be worth drafting for every sample case
        return problems
    return check_text(kind, text)


async def _latest(session: AsyncSession, kind: NoticeKind, regime: Regime) -> NoticeTemplate | None:
    return await session.scalar(
        select(NoticeTemplate)
        .where(NoticeTemplate.kind == kind.value, NoticeTemplate.regime == regime.value)
        .order_by(NoticeTemplate.version.desc())
        .limit(1)
    )


def _same(one: NoticeText, other: NoticeText) -> bool:
    return _tidy(one) == _tidy(other)


def _check_based_on(latest: NoticeTemplate | None, based_on: int | None) -> None:
    if based_on is not None and based_on != (latest.version if latest else 0):
        raise Conflict(NEWER_VERSION)


async def _add_version(
    uow: UnitOfWork, kind: NoticeKind, regime: Regime, text: NoticeText, *, after: NoticeTemplate | None
) -> NoticeTemplate:
    row = NoticeTemplate(
        kind=kind.value,
        regime=regime.value,
        version=(after.version if after else 0) + 1,
        subject=text.subject,
        body=text.body,
        # a text saved as the product ships it is the shipped text, and follows it when the product changes it
        is_shipped=_same(text, shipped_text(kind, regime)),
        created_by_id=uow.staff.id,
        created_at=uow.now,
    )
    uow.session.add(row)
    try:
        await uow.session.flush()
    except IntegrityError:
        # another admin's save took this number since we read the last one: the unit of work rolls back
        raise Conflict(NEWER_VERSION) from None
    return row


async def save_text(
    uow: UnitOfWork, kind: NoticeKind, regime: Regime, text: NoticeText, *, based_on: int | None = None
) -> NoticeTemplate | None:
    """Saves `text` as the notice's next version, used from the next notice drafted; None when it is
    the text in use already (nothing is written).

    `based_on` is the version the admin was editing (0: the shipped text, never saved): a save over a
    newer one is refused (Conflict), as is one that loses a race for the next number. A text with
    problems is refused with all of them (`TextRefused`), and nothing is written."""
    text = _tidy(text)
    problems = problems_with(kind, text)
    if problems:
        raise TextRefused(problems)
    latest = await _latest(uow.session, kind, regime)
    _check_based_on(latest, based_on)
    in_use = shipped_text(kind, regime) if latest is None or latest.is_shipped else NoticeText(latest.subject, latest.body)
    if _same(in_use, text):
        return None
    return await _add_version(uow, kind, regime, text, after=latest)


async def reset_text(uow: UnitOfWork, kind: NoticeKind, regime: Regime, *, based_on: int | None = None) -> NoticeTemplate | None:
    """Goes back to the shipped text, as a new version (the edits stay in the history); None when
    the shipped text is in use already."""
    latest = await _latest(uow.session, kind, regime)
    _check_based_on(latest, based_on)
    if latest is None or latest.is_shipped:
        return None
    return await _add_version(uow, kind, regime, _tidy(shipped_text(kind, regime)), after=latest)


@dataclass(frozen=True)
class Version:
    """One saved version, with who saved it and what it changed from the one before."""

    id: int
    version: int
    text: NoticeText
    is_shipped: bool
    """A reset to the shipped text."""
    at: datetime
    by: str
    """The admin's name ("" if the account is gone)."""
    changes: tuple[str, ...]
    """A unified diff from the version before (the shipped text before the first)."""


def diff_lines(before: NoticeText, after: NoticeText) -> tuple[str, ...]:
    """What changed, line by line ("-" taken out, "+" put in, " " around them), subject first."""
    lines = difflib.unified_diff(
        [f"Subject: {before.subject}", "", *before.body.splitlines()],
        [f"Subject: {after.subject}", "", *after.body.splitlines()],
        fromfile="before",
        tofile="after",
        lineterm="",
        n=1,
    )
    return tuple(line for line in lines if not line.startswith(("---", "+++")))


async def history(session: AsyncSession, kind: NoticeKind, regime: Regime) -> list[Version]:
    """Every saved version of the notice, newest first, with who saved it and what it changed."""
    rows = (
        await session.execute(
            select(NoticeTemplate, User.name)
            .outerjoin(User, User.id == NoticeTemplate.created_by_id)
            .where(NoticeTemplate.kind == kind.value, NoticeTemplate.regime == regime.value)
            .order_by(NoticeTemplate.version)
        )
    ).all()
    versions = []
    before = shipped_text(kind, regime)
    for row, name in rows:
        text = NoticeText(subject=row.subject, body=row.body)
        versions.append(
            Version(
                id=row.id,
                version=row.version,
                text=text,
                is_shipped=row.is_shipped,
                at=row.created_at,
                by=name or "",
                changes=diff_lines(before, text),
            )
        )
        before = text
    return versions[::-1]


@dataclass(frozen=True)
class Entry:
    """One notice under one regime, as the overview shows it."""

    kind: NoticeKind
    regime: Regime
    version: int
    """The newest version's number (0: never saved)."""
    edited: bool
    """The authority's own text is in use (False: the shipped text, never saved or reset)."""
    changed_at: datetime | None
    changed_by: str


async def overview(session: AsyncSession) -> list[Entry]:
    """Each notice under each regime: the authority's text or the shipped one, the last change and who."""
    newest = (
        select(NoticeTemplate.kind, NoticeTemplate.regime, func.max(NoticeTemplate.version).label("version"))
        .group_by(NoticeTemplate.kind, NoticeTemplate.regime)
        .subquery()
    )
    rows = (
        await session.execute(
            select(NoticeTemplate, User.name)
            .join(
                newest,
                (newest.c.kind == NoticeTemplate.kind)
                & (newest.c.regime == NoticeTemplate.regime)
                & (newest.c.version == NoticeTemplate.version),
            )
            .outerjoin(User, User.id == NoticeTemplate.created_by_id)
        )
    ).all()
    latest = {(row.kind, row.regime): (row, name) for row, name in rows}
    entries = []
    for kind in NoticeKind:
        for regime in Regime:
            found = latest.get((kind.value, regime.value))
            if found is None:
                entries.append(Entry(kind, regime, 0, False, None, ""))
                continue
            row, name = found
            entries.append(Entry(kind, regime, row.version, not row.is_shipped, row.created_at, name or ""))
    return entries
