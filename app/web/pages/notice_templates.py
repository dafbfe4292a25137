"""Admin pages: the authority's own text for each notice under each law, edited with a preview drafted
from a sample case, saved as versions with who changed what, and reset to the shipped text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from app.config import Settings
from app.domain.errors import Conflict, NotFound
from app.domain.notices import Notice, NoticeKind, NoticeText, NoticeTextError, render_notice, sample_case, template_fields
from app.domain.notices.samples import sample_outcomes
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import Regime
from app.services import notice_templates as service
from app.services.correspondence import letterhead_of
from app.web.auth import requires_admin
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import form_data

# the settings a notice's letterhead and signature come from, as the page names them
LETTERHEAD_SETTINGS = (
    ("FOI_AUTHORITY_NAME", "the authority's name", "authority_name"),
    ("FOI_POSTAL_ADDRESS", "the postal address", "postal_address"),
    ("FOI_REQUEST_EMAIL", "the e-mail address for requests", "request_email"),
    ("FOI_NOTICE_SIGNATURE", "who signs", "signature"),
    ("FOI_NOTICE_CONTACT", "a telephone number or web address for questions", "contact"),
)


def _notice(kind: str, regime: str) -> tuple[NoticeKind, Regime]:
    try:
        return NoticeKind(kind), Regime(regime)
    except ValueError:
        raise NotFound(f"there is no notice '{kind[:40]}' under '{regime[:20]}'") from None


def _outcome_choices(kind: NoticeKind) -> list[tuple[str, str]]:
    """The outcomes a preview can be drafted for (a response's or a review's), with their labels."""
    labels = {o.value: o.label for o in Outcome} | {o.value: o.label for o in ReviewOutcome}
    return [(value, labels[value]) for value in sample_outcomes(kind) if value is not None]


def _chosen_outcome(kind: NoticeKind, outcome: str | None) -> str | None:
    choices = [value for value, _ in _outcome_choices(kind)]
    return outcome if outcome in choices else (choices[0] if choices else None)


def _version_sent(values: dict[str, Any]) -> int | None:
    text = str(values.get("version", ""))
    return int(text) if text.isdigit() and len(text) < 10 else None


@dataclass(frozen=True)
class Preview:
    """The notice drafted from the sample case, or why it cannot be; and what would stop a save."""

    notice: Notice | None
    problems: dict[str, str]


def preview_of(kind: NoticeKind, regime: Regime, text: NoticeText, outcome: str | None, settings: Settings) -> Preview:
    problems = service.problems_with(kind, text)
    try:
        notice = render_notice(kind, text, sample_case(regime, kind, outcome), letterhead_of(settings))
    except NoticeTextError as error:
        return Preview(None, problems or {error.field: error.message})
    return Preview(notice, problems)


class NoticeTemplatePages(Controller):
    path = "/staff/admin/notices"
    guards = [requires_admin]

    @get("/")
    async def overview(self, db: Db, user: CurrentUser) -> Template:
        entries = await service.overview(db)
        return Template(
            "staff/admin/notices.html",
            context={"entries": entries, "kinds": list(NoticeKind), "regimes": list(Regime), "user": user},
        )

    @get("/{kind:str}/{regime:str}")
    async def edit(
        self,
        db: Db,
        settings: AppSettings,
        user: CurrentUser,
        kind: FromPath[str],
        regime: FromPath[str],
        outcome: FromQuery[str | None] = None,
        done: FromQuery[str | None] = None,
    ) -> Template:
        notice_kind, notice_regime = _notice(kind, regime)
        text, _ = await service.current_text(db, notice_kind, notice_regime)
        return await self._page(db, settings, user, notice_kind, notice_regime, text, outcome=outcome, message=done)

    @post("/{kind:str}/{regime:str}")
    async def save(
        self, request: HTMXRequest, db: Db, uow: Uow, settings: AppSettings, user: CurrentUser, kind: FromPath[str], regime: FromPath[str]
    ) -> Redirect:
        notice_kind, notice_regime = _notice(kind, regime)
        values = await form_data(request)
        text = NoticeText(subject=str(values.get("subject", "")), body=str(values.get("body", "")))
        based_on = _version_sent(values)

        async def refused(errors: dict[str, str], status_code: int) -> Refusal:
            # the admin's text comes back as typed, with the version they were editing
            page = await self._page(
                db, settings, user, notice_kind, notice_regime, text,
                outcome=values.get("outcome"), based_on=based_on, errors=errors, status_code=status_code,
            )  # fmt: skip
            return Refusal(page)

        try:
            saved = await service.save_text(uow, notice_kind, notice_regime, text, based_on=based_on)
        except service.TextRefused as problems:
            raise await refused(problems.problems, 422) from problems
        except Conflict as conflict:
            raise await refused({"form": _sentence(conflict)}, 409) from conflict
        if saved is None:
            message = "Nothing was saved: this is the text in use already."
        else:
            message = f"Saved as version {saved.version}. The next {notice_kind.label.lower()} under {notice_regime.short_name} is drafted from it."
        return Redirect(f"{_url(notice_kind, notice_regime)}?done={quote_plus(message)}", status_code=303)

    @post("/{kind:str}/{regime:str}/preview")
    async def preview(
        self, request: HTMXRequest, db: Db, settings: AppSettings, user: CurrentUser, kind: FromPath[str], regime: FromPath[str]
    ) -> Template:
        """The notice the text being typed drafts for the sample case: the preview alone for htmx, the
        whole page (the text kept, not saved) without JavaScript."""
        notice_kind, notice_regime = _notice(kind, regime)
        values = await form_data(request)
        text = NoticeText(subject=str(values.get("subject", "")), body=str(values.get("body", "")))
        outcome = _chosen_outcome(notice_kind, values.get("outcome"))
        if request.htmx:
            return Template(
                "staff/admin/_notice_preview.html",
                context={
                    "preview": preview_of(notice_kind, notice_regime, text, outcome, settings),
                    **_preview_context(notice_kind, notice_regime, outcome),
                },
            )
        return await self._page(
            db, settings, user, notice_kind, notice_regime, text, outcome=outcome, based_on=_version_sent(values), unsaved=True
        )

    @get("/{kind:str}/{regime:str}/reset")
    async def confirm_reset(self, db: Db, user: CurrentUser, kind: FromPath[str], regime: FromPath[str]) -> Template:
        notice_kind, notice_regime = _notice(kind, regime)
        versions = await service.history(db, notice_kind, notice_regime)
        return Template(
            "staff/admin/notice_reset.html",
            context={
                "kind": notice_kind,
                "regime": notice_regime,
                "current": versions[0] if versions else None,
                "url": _url(notice_kind, notice_regime),
                "user": user,
            },
        )

    @post("/{kind:str}/{regime:str}/reset")
    async def reset(self, request: HTMXRequest, uow: Uow, kind: FromPath[str], regime: FromPath[str]) -> Redirect:
        notice_kind, notice_regime = _notice(kind, regime)
        values = await form_data(request)
        try:
            reset = await service.reset_text(uow, notice_kind, notice_regime, based_on=_version_sent(values))
        except Conflict as conflict:
            message = f"Not reset: {conflict}."
            raise Refusal(Redirect(f"{_url(notice_kind, notice_regime)}?done={quote_plus(message)}", status_code=303)) from conflict
        if reset is None:
            message = "Nothing changed: the shipped text is in use already."
        else:
            message = f"Reset to the shipped text (version {reset.version}). Your earlier versions are kept below."
        return Redirect(f"{_url(notice_kind, notice_regime)}?done={quote_plus(message)}", status_code=303)

    async def _page(
        self,
        db: Db,
        settings: Settings,
        user: CurrentUser,
        kind: NoticeKind,
        regime: Regime,
        text: NoticeText,
        *,
        outcome: str | None = None,
        based_on: int | None = None,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        unsaved: bool = False,
        status_code: int = 200,
    ) -> Template:
        versions = await service.history(db, kind, regime)
        newest = versions[0].version if versions else 0
        chosen = _chosen_outcome(kind, outcome)
        letterhead = letterhead_of(settings)
        return Template(
            "staff/admin/notice_edit.html",
            context={
                "kind": kind,
                "regime": regime,
                "text": text,
                # the version the admin is editing: kept from the form when the page comes back with an error
                "based_on": newest if based_on is None else based_on,
                "edited": bool(versions) and not versions[0].is_shipped,
                "versions": versions,
                "diffs": {v.version: _diff_view(v.changes) for v in versions},
                "errors": errors or {},
                "message": message,
                "unsaved": unsaved,
                "fields": template_fields(),
                "preview": preview_of(kind, regime, text, chosen, settings),
                "letterhead_settings": [(name, what, getattr(letterhead, attribute)) for name, what, attribute in LETTERHEAD_SETTINGS],
                "url": _url(kind, regime),
                "user": user,
                **_preview_context(kind, regime, chosen),
            },
            status_code=status_code,
        )


def _preview_context(kind: NoticeKind, regime: Regime, outcome: str | None) -> dict[str, Any]:
    return {"regime": regime, "outcomes": _outcome_choices(kind), "outcome": outcome, "sample": sample_case(regime, kind, outcome)}


def _sentence(problem: Exception) -> str:
    text = str(problem)
    return text[:1].upper() + text[1:] + "."


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _diff_view(lines: tuple[str, ...]) -> list[tuple[str, str]]:
    """A unified diff as (mark, line) for the page: "@" where a change is (in words), "+", "-" or " "."""
    view = []
    for line in lines:
        hunk = _HUNK.match(line)
        if hunk:
            # the diff's line 1 is the subject and line 2 a blank: the text's own lines start at 3
            start = int(hunk.group(1))
            view.append(("@", "Subject line and text:" if start <= 2 else f"Text, from line {start - 2}:"))
        else:
            view.append((line[:1], line))
    return view


def _url(kind: NoticeKind, regime: Regime) -> str:
    return f"/staff/admin/notices/{kind.value}/{regime.value}"
