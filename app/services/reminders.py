"""Reminders (for cron): each officer's requests due within three working days or overdue, and a
digest for each manager; every message kept in the outbox whether it went or not.

Messages carry references, titles (with the requester's name, email and address taken out), due
dates and links; never the requester's personal data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.domain.regimes import Regime
from app.domain.timeliness import AGEING_BUCKETS, due_window, working_days_overdue
from app.models import FoiRequest, OutboxMessage, User
from app.models.base import table
from app.services.clock import now_utc
from app.services.deadlines import Calendars
from app.services.mail import Mail, MailSettings, send_all
from app.services.reports.common import REVIEW_STAGE, open_condition, safe_titles
from app.services.reports.overdue import OverdueFilters, overdue_report
from app.services.unit_of_work import unit_of_work
from app.services.users import Role

REMINDER_WORKING_DAYS = 3
MAX_LISTED = 50
KIND_REMINDER = "officer_reminder"
KIND_DIGEST = "manager_digest"
R = table(FoiRequest).c


@dataclass
class Outgoing:
    kind: str
    mail: Mail


@dataclass
class RunResult:
    planned: list[Outgoing] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # addresses already sent to today
    errors: dict[int, str] = field(default_factory=dict)  # outbox id -> error

    @property
    def sent(self) -> int:
        return len(self.planned) - len(self.errors)


def _when(day: date | None) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}" if day else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


async def officer_reminders(session: AsyncSession, today: date, settings: MailSettings) -> list[Outgoing]:
    """One message per active member of staff with open work assigned that is overdue or due in the
    next three working days (clock running; internal reviews included)."""
    calendars = await Calendars.load(session)
    windows = {regime.value: due_window(calendars.for_regime(regime), today, REMINDER_WORKING_DAYS) for regime in Regime}
    latest = max(w.soon_before for w in windows.values())
    due_soon = or_(*(and_(R.regime == regime, R.due_on < window.soon_before) for regime, window in windows.items()))
    rows = (
        await session.execute(
            select(R.id, R.reference, R.title, R.public_title, R.regime, R.due_on, R.deadline_stage, User.email, User.name)
            .join(User, User.id == R.assignee_id)
            .where(open_condition(), R.clock_stopped.is_(False), R.due_on < latest, due_soon, User.is_active.is_(True))
            .order_by(User.email, R.due_on, R.id)
        )
    ).all()
    titles = await safe_titles(session, [(row.id, row.title, row.public_title) for row in rows])
    by_officer: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        by_officer[(row.email, row.name)].append(row)

    messages = []
    for (email, name), found in by_officer.items():
        overdue = [r for r in found if r.due_on < today]
        soon = [r for r in found if r.due_on >= today]
        lines = [f"Hello {name},", "", f"Your open FOI work as of {_when(today)}:", ""]
        for heading, group in (("Overdue", overdue), (f"Due in the next {REMINDER_WORKING_DAYS} working days", soon)):
            if not group:
                continue
            lines.append(f"{heading} ({len(group)}):")
            for row in group[:MAX_LISTED]:
                calendar = calendars.for_regime(Regime(row.regime))
                if row.due_on < today:
                    when = f"due {_when(row.due_on)}, {_plural(working_days_overdue(row.due_on, today, calendar), 'working day')} overdue"
                else:
                    left = calendar.working_days_between(today, row.due_on)
                    when = f"due {_when(row.due_on)} ({'today' if left == 0 else _plural(left, 'working day') + ' left'})"
                stage = " [internal review]" if row.deadline_stage == REVIEW_STAGE else ""
                lines += [
                    f"- {row.reference}{stage}: {titles[row.id]}",
                    f"  {when}",
                    f"  {settings.base_url}/staff/requests/{row.reference}",
                ]
            if len(group) > MAX_LISTED:
                lines.append(f"... and {len(group) - MAX_LISTED} more: {settings.base_url}/staff/requests?assignee=me")
            lines.append("")
        lines += [f"Your list: {settings.base_url}/staff/requests?assignee=me", "", "(Sent by the FOI case tracker.)"]
        parts = [f"{len(overdue)} overdue"] if overdue else []
        if soon:
            parts.append(f"{len(soon)} due soon")
        messages.append(Outgoing(KIND_REMINDER, Mail(email, f"FOI reminder: {', '.join(parts)}", "\n".join(lines))))
    return messages


async def manager_digests(session: AsyncSession, today: date, settings: MailSettings) -> list[Outgoing]:
    """The same digest for every active manager: totals, ageing, departments, oldest overdue."""
    managers = (
        await session.execute(
            select(User.email, User.name).where(User.role == Role.MANAGER.value, User.is_active.is_(True)).order_by(User.email)
        )
    ).all()
    if not managers:
        return []
    report = await overdue_report(session, OverdueFilters(limit=10), today, lists=("overdue",))
    t = report.totals
    body = [
        f"Open FOI work as of {_when(today)}:",
        "",
        f"Overdue: {_plural(t.overdue, 'request')} and {_plural(t.overdue_reviews, 'internal review')}",
        f"Due in the next 5 working days: {t.due_soon + t.due_soon_reviews}",
        f"Waiting for a fee or clarification (clock stopped): {t.clock_stopped}",
        "",
        "Overdue by working days late:",
        *(f"  {b.label}: {t.ageing[b.key] + t.ageing_reviews[b.key]}" for b in AGEING_BUCKETS),
        "",
    ]
    if report.by_department:
        body.append("By department (overdue / due soon / clock stopped):")
        body += [f"  {c.name}: {c.total_overdue} / {c.due_soon + c.due_soon_reviews} / {c.clock_stopped}" for c in report.by_department]
        body.append("")
    unassigned = next((c for c in report.by_officer if c.key == "none"), None)
    if unassigned and unassigned.total_overdue:
        body += [f"Overdue and assigned to nobody: {unassigned.total_overdue}", ""]
    if report.overdue:
        body.append("Oldest overdue:")
        for row in report.overdue:
            stage = " [internal review]" if row.is_review else ""
            body += [
                f"- {row.reference}{stage}: {row.title}",
                f"  due {_when(row.due_on)}, {_plural(row.working_days or 0, 'working day')} overdue; {row.assignee or 'assigned to nobody'}",
                f"  {settings.base_url}/staff/requests/{row.reference}",
            ]
        body.append("")
    body += [
        f"Dashboard: {settings.base_url}/staff/dashboard",
        f"Overdue report: {settings.base_url}/staff/reports/overdue",
        "",
        "(Sent by the FOI case tracker.)",
    ]
    subject = f"FOI digest {_when(today)}: {t.total_overdue} overdue, {t.due_soon + t.due_soon_reviews} due soon"
    return [Outgoing(KIND_DIGEST, Mail(email, subject, f"Hello {name},\n\n" + "\n".join(body))) for email, name in managers]


async def _already_sent_today(session: AsyncSession, today: date, zone: ZoneInfo) -> set[tuple[str, str]]:
    since = datetime.combine(today, time(0, 0), tzinfo=zone).astimezone(UTC)
    rows = await session.execute(
        select(OutboxMessage.kind, OutboxMessage.to_address).where(
            OutboxMessage.sent_at.is_not(None),
            OutboxMessage.created_at >= since,
            OutboxMessage.kind.in_([KIND_REMINDER, KIND_DIGEST]),
        )
    )
    return {(kind, address) for kind, address in rows}


async def send_reminders(
    sessions: async_sessionmaker[AsyncSession],
    today: date,
    zone: ZoneInfo,
    settings: MailSettings,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> RunResult:
    """Plans every reminder and digest, keeps each in the outbox, sends them, records the outcome.

    Two units of work with the sending between them: the outbox rows are committed before anything
    is sent, so a crash mid-way leaves a record of what was due to go; the outcomes come after.
    Safe to run more than once a day: whoever was sent a message of the same kind today is skipped
    (unless `force`)."""
    result = RunResult()
    async with unit_of_work(sessions, zone=zone) as uow:
        session = uow.session
        planned = await officer_reminders(session, today, settings) + await manager_digests(session, today, settings)
        if not force:
            done = await _already_sent_today(session, today, zone)
            result.skipped = [o.mail.to for o in planned if (o.kind, o.mail.to) in done]
            planned = [o for o in planned if (o.kind, o.mail.to) not in done]
        result.planned = planned
        if dry_run or not planned:
            return result
        rows = [OutboxMessage(to_address=o.mail.to, subject=o.mail.subject[:300], body=o.mail.body, kind=o.kind) for o in planned]
        session.add_all(rows)
        await session.flush()
    outcomes = await send_all(settings, [o.mail for o in planned])
    sent_at = now_utc()
    async with unit_of_work(sessions, zone=zone) as uow:
        for row, error in zip(rows, outcomes, strict=True):
            values = {"sent_at": sent_at, "error": None} if error is None else {"error": error}
            await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
            if error is not None:
                result.errors[row.id] = error
    return result


@dataclass
class OutboxPage:
    rows: list[OutboxMessage]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_last_page(self) -> bool:
        """A page number beyond the last page (a link kept from a longer list): the page says how many
        pages there are and links to the last, instead of an empty page."""
        return self.total > 0 and self.page > self.pages


async def list_outbox(session: AsyncSession, page: int = 1, per_page: int = 50, failed_only: bool = False) -> OutboxPage:
    from sqlalchemy import func

    conditions = [OutboxMessage.error.is_not(None)] if failed_only else []
    total = await session.scalar(select(func.count(OutboxMessage.id)).where(*conditions)) or 0
    rows = list(
        await session.scalars(
            select(OutboxMessage).where(*conditions).order_by(OutboxMessage.id.desc()).limit(per_page).offset((max(page, 1) - 1) * per_page)
        )
    )
    return OutboxPage(rows, total, max(page, 1), per_page)
