"""Officer pages: the request list, logging a request, and working a request through its lifecycle."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from app.domain.dates import parse_date, time_of_day
from app.domain.errors import Conflict, DomainError, Forbidden, IllegalTransition, InvalidInput, InvalidInputs, sentence
from app.domain.lifecycle import (
    APPROVAL_ACTIONS,
    OPEN_STATUSES,
    Action,
    ApprovalStage,
    ApprovalState,
    Status,
    Step,
    Who,
    action_named,
    allowed_actions,
    approval_state,
    approver_problem,
)
from app.domain.notices import Notice, notice_for
from app.domain.regimes import Regime
from app.domain.timeliness import timeliness_facts
from app.services import batches as batch_service
from app.services import correspondence
from app.services import departments as department_service
from app.services import documents as document_service
from app.services import requests as service
from app.services import users as user_service
from app.services.clock import today_in
from app.services.deadline_views import deadline_view, working_days_left_for
from app.services.inputs import ActionIn, NoticeIn, declared_params, parse_page, read_form
from app.services.publication import PUBLISHABLE
from app.services.search import similar_disclosures
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import RECEIPT_DATES, STEP_DATE, action_form_params, as_list, form_data, read_dates

OPEN_FILTER = "open"
PER_PAGE = 25
# in the session: the step form last refused (or drafted) without JavaScript, shown again by the request's
# page at the address the refusal redirected to (`?step=ACTION&attempt=ID`), until a step is taken
STEP_FORM_KEY = "step_form"
MAX_KEPT_CHARS = 120_000  # of one field kept there: more than the longest a notice's text may be (100,000)
MAX_KEPT_FIELDS = 300  # fields, and values of one field (a form has a few dozen at most)
# the new request form's box for the time it arrived, as its label names it
RECEIVED_TIME_LABEL = "Time received"


def new_request_from_form(values: dict[str, Any], zone: ZoneInfo) -> service.NewRequest:
    """The new request form read into the API's body type: the requester's fields into `requester`,
    and the time it arrived, when given, with its date into `received_at`."""
    requester = {
        "name": values.get("requester_name", ""),
        "email": values.get("requester_email") or None,
        "address": values.get("requester_address") or None,
    }
    fields = {key: values.get(key, "") for key in ("regime", "title", "body", "channel")}
    data = read_form(service.NewRequest, {**values, **fields, "requester": requester})
    clock = time_of_day(values.get("received_time"), "received_time", RECEIVED_TIME_LABEL)
    if data.received_on and clock:
        data.received_at = datetime.combine(data.received_on, clock, tzinfo=zone)
    return data


def _field_label(action: str, field: str, regime: Regime) -> str:
    """A step's field by the name its form gives it ("Response sent", not "response")."""
    names = {
        "note": "Note",
        "on": "Date it happened",
        "action": "Step",
        "notice": "Notice to the requester",
        "notice.by": "How to send the notice",
        "notice.text": "Text of the notice",
        "notice.subject": "Subject of the notice",
        "notice.documents": "Documents to attach",
        "exemptions": f"{regime.rules.exemptions_heading} relied on",
    }
    try:
        spec = Action(action).spec
    except ValueError:
        spec = None
    declared = next((param.label for param in spec.params if param.name == field), None) if spec else None
    if field == "note" and spec is not None:
        declared = spec.note_label
    elif declared is not None and declared.startswith("Exemptions relied on"):
        declared = None  # in the words of the request's law ("Exceptions relied on")
    label = declared or names.get(field) or field.replace("_", " ").capitalize()
    return label.split(" (")[0]  # "Exemptions relied on (a refusal names ...)": the words before the hint


class RequestPages(Controller):
    path = "/staff/requests"
    guards = [requires_officer]

    @get("/")
    async def list_page(self, request: HTMXRequest, db: Db, settings: AppSettings, user: CurrentUser) -> Template:
        params = request.query_params
        status_choice = params.get("status", OPEN_FILTER)
        # "all": any status; anything else a status, which the service refuses when it is not one
        statuses = (
            sorted(s.value for s in OPEN_STATUSES) if status_choice == OPEN_FILTER else [] if status_choice == "all" else [status_choice]
        )
        assignee = params.get("assignee") or None
        errors: dict[str, str] = {}
        try:
            due_before = parse_date(params.get("due_before"), "due_before")
        except InvalidInput as problem:
            errors[problem.field], due_before = problem.message, None
        regime = (params.get("regime") or "").strip().lower() or None
        filters = service.RequestFilters(
            status=statuses,
            regime=regime,
            department=params.get("department") or None,
            assignee=user.email if assignee == "me" else assignee,
            overdue=params.get("overdue") == "1",
            due_before=due_before,
            q=(params.get("q") or "").strip() or None,
            requester=(params.get("requester") or "").strip() or None,
        )
        # a filter of a value none of its choices (a link mistyped, a department since removed) is said
        # by its box, and the list shown without it: the requests open, of any law, department, officer
        refused = await service.filter_problems(db, filters)
        errors |= {refusal.field: refusal.message for refusal in refused}
        if refused:
            dropped = {refusal.field for refusal in refused}
            if "status" in dropped:
                status_choice, filters.status = OPEN_FILTER, sorted(s.value for s in OPEN_STATUSES)
            if "regime" in dropped:
                regime = filters.regime = None
            if "department" in dropped:
                filters.department = None
            if "assignee" in dropped:
                assignee = filters.assignee = None
        try:
            page_number = parse_page(params.get("page"))
        except InvalidInput as problem:
            errors[problem.field], page_number = problem.message, 1
        today = today_in(settings.zone)
        result = await service.list_requests(db, filters, today=today, page=page_number, per_page=PER_PAGE)
        days_left = await working_days_left_for(db, result.rows, today)
        chosen = {
            "status": status_choice,
            "regime": regime or "",
            "department": filters.department or "",
            "assignee": assignee or "",
            "overdue": "1" if filters.overdue else "",
            "due_before": params.get("due_before", ""),
            "q": filters.q or "",
            "requester": filters.requester or "",
        }
        query_without_page = urlencode({k: v for k, v in chosen.items() if v})
        context = {
            "result": result,
            "days_left": days_left,
            "chosen": chosen,
            "query": query_without_page,
            "errors": errors,
            "today": today,
            "departments": await department_service.list_departments(db),
            "staff": [u for u in await user_service.list_users(db) if u.is_active],
            "user": user,
            "open_batches": await batch_service.open_batches(db),
            "message": (params.get("done") or "")[:300] or None,
        }
        if request.htmx and request.htmx.target == "results":
            return Template("staff/requests/_results.html", context=context)
        # a refused filter answers as the API does (422, docs/contract.md); answered in place it is a 200,
        # which htmx swaps in
        return Template("staff/requests/list.html", context=context, status_code=422 if refused else 200)

    @get("/similar")
    async def similar(self, db: Db, title: FromQuery[str] = "", regime: FromQuery[str] = "") -> Template:
        """Published requests like the one being logged (an htmx fragment beside the title field), with
        the provision of the chosen law that lets the requester be pointed to them."""
        hits = await similar_disclosures(db, title[:300]) if len(title.strip()) >= 3 else []
        rules = Regime(regime).rules if regime in set(Regime) else None
        return Template("staff/requests/_similar.html", context={"similar": hits, "rules": rules})

    @get("/new")
    async def new_form(self, db: Db, settings: AppSettings, user: CurrentUser) -> Template:
        values = {"regime": "foia", "channel": "email", "received_on": today_in(settings.zone).isoformat()}
        return await self._new_form(db, user, values, {}, 200)

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], db: Db, uow: Uow, settings: AppSettings, user: CurrentUser) -> Redirect:
        values = await form_data(request)
        joined, date_errors = read_dates(values, RECEIPT_DATES, today=today_in(settings.zone))
        try:  # a wrong time is said with the date's problems, not once they are put right
            time_of_day(values.get("received_time"), "received_time", RECEIVED_TIME_LABEL)
        except InvalidInput as problem:
            joined, date_errors = {**joined, "received_time": ""}, {**date_errors, problem.field: problem.message}
        try:
            data = new_request_from_form(joined, settings.zone)
        except InvalidInput as problem:
            raise Refusal(await self._new_form(db, user, values, {problem.field: problem.message, **date_errors}, 422)) from problem
        # a date refused as typed is said as typed (the service would only find it missing)
        errors = {**service.check_new_request(data, settings.zone), **date_errors}
        if not errors:
            try:
                created = await service.create_request(uow.session, data, uow.staff, uow.zone)
            except InvalidInput as problem:
                errors = {problem.field: problem.message}
            else:
                return Redirect(f"/staff/requests/{created.reference}?created=1", status_code=303)
        raise Refusal(await self._new_form(db, user, values, errors, 422))

    async def _new_form(self, db: Db, user: CurrentUser, values: dict[str, Any], errors: dict[str, str], status_code: int) -> Template:
        return Template(
            "staff/requests/new.html",
            context={
                "values": values,
                "errors": errors,
                "departments": await department_service.list_departments(db),
                "staff": [u for u in await user_service.list_users(db) if u.is_active],
                "user": user,
            },
            status_code=status_code,
        )

    @get("/{reference:str}")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        db: Db,
        settings: AppSettings,
        user: CurrentUser,
        reference: FromPath[str],
        created: FromQuery[str | None] = None,
        done: FromQuery[str | None] = None,
        problem: FromQuery[str | None] = None,
        notice_problem: FromQuery[str | None] = None,
        step: FromQuery[str | None] = None,
        attempt: FromQuery[str | None] = None,
    ) -> Template:
        context = await self._detail_context(db, settings, user, reference)
        if step:
            # the step's own address: its form open; after a refusal (or a draft) without JavaScript, as it was sent
            context["open_step"] = step
            self._show_step_form(context, _step_form(request), reference, step, attempt)
        if notice_problem:
            context["notice_problem"] = notice_problem[:500]
        if created:
            context["message"] = f"Request {context['case'].reference} logged."
        elif done:
            context["message"] = done[:300]
        if problem:
            context["problem"] = problem[:500]
        return Template("staff/requests/detail.html", context=context)

    @post("/{reference:str}/actions")
    async def act(
        self, request: HTMXRequest, db: Db, uow: Uow, settings: AppSettings, user: CurrentUser, reference: FromPath[str]
    ) -> Template | Redirect:
        """Takes the step with its notice; or, with "Draft the notice", takes it only to draft the
        notice from the case as the step would leave it, then rolls it back and shows the draft to edit."""
        values = await form_data(request)
        joined, date_errors = read_dates(values, (STEP_DATE,), today=today_in(settings.zone))
        action = str(values.get("action", ""))
        drafting = bool(values.get("draft_notice"))
        error: str | None = None
        # every field at fault, each named by its field's label once the request's law is known
        unfilled: list[InvalidInput] = []
        drafted: Notice | None = None
        try:
            # the date as typed and the notice's choice are checked with the step's own fields, so the
            # form says everything wrong at once (a step taken only to find its problems is rolled back)
            unfilled = [InvalidInput(STEP_DATE.name, message) for message in date_errors.values()]
            try:
                notice = notice_from_form(action, values, drafting=drafting)
            except InvalidInput as problem:
                notice = None
                unfilled.append(problem)
            # the form read into the API's body type, so a step is taken from either with the same values
            try:
                step = read_form(ActionIn, {**joined, **action_form_params(joined)})
            except InvalidInput as problem:
                raise InvalidInputs([*InvalidInputs.of(problem), *unfilled]) from problem
            try:
                await correspondence.take_step(
                    uow,
                    settings,
                    reference,
                    action=step.action,
                    params=declared_params(step),
                    notice=None if drafting or unfilled else notice,
                    on=None if date_errors else step.on,
                    note=step.note,
                    actor=uow.staff,
                )
            except InvalidInput as problem:
                taken = InvalidInputs.of(problem)
                # a date the step refuses ("must be after the date received") is one the form read
                unfilled = [*taken, *(found for found in unfilled if found.field not in {t.field for t in taken})]
            if unfilled:
                raise InvalidInputs(unfilled)
            if drafting:
                drafted = await correspondence.draft_after_step(
                    uow, settings, reference, action, note=step.note or "", documents=_document_ids(values)
                )
        except InvalidInput as problem:
            unfilled, error = InvalidInputs.of(problem), problem.message
        except IllegalTransition as problem:
            unfilled, error = [], _transition_words(problem)
        except (Conflict, Forbidden) as problem:
            unfilled, error = [], str(problem)
        except DomainError:
            raise
        if error is None and not drafting and not request.htmx:
            if _step_form(request) is not None:
                request.set_session({k: v for k, v in request.session.items() if k != STEP_FORM_KEY})
            done = quote_plus(f"{Action(action).past_label}.{_notice_words(notice)}")
            return Redirect(f"/staff/requests/{reference.upper()}?done={done}#timeline", status_code=303)
        if not request.htmx:
            # without JavaScript, the refused (or drafted) form is shown at an address of its own that a
            # reload or a bookmark opens again (POST, redirect, GET): a reload never sends the step again
            raise Refusal(self._redirect_to_step_form(request, reference, action, values, error, unfilled, drafted))
        # after a refusal or a draft, a fresh read of what stays; after the step, the unit of work that holds it
        context = await self._detail_context(db if error or drafting else uow.session, settings, user, reference)
        if error:
            kept = [(found.field, found.message) for found in unfilled]
            context["action_error"] = _step_error(action, Regime(context["case"].regime), error, kept)
            context["action_values"] = values
        elif drafting:
            context["action_drafted"] = {"action": action}
            assert drafted is not None
            context["action_values"] = {**values, "notice_subject": drafted.subject, "notice_text": drafted.body}
        else:
            context["message"] = f"{Action(action).past_label}.{_notice_words(notice)}"
        # htmx 2 does not swap 4xx answers by default, so the partial carries its error with 200
        page = Template("staff/requests/_workspace.html", context=context)
        if error or drafting:
            raise Refusal(page)  # a draft leaves the case as it was: the step taken to draft it is rolled back
        return page

    @staticmethod
    def _redirect_to_step_form(
        request: Request[Any, Any, Any],
        reference: str,
        action: str,
        values: dict[str, Any],
        error: str | None,
        unfilled: list[InvalidInput],
        drafted: Notice | None,
    ) -> Redirect:
        """Keeps the form as sent (with its problem, or the drafted notice) in the session, and sends the
        browser to the step's own address, where the request's page shows it again (`_show_step_form`)."""
        attempt = secrets.token_urlsafe(9)
        kept = {name: _kept(value) for name, value in list(values.items())[:MAX_KEPT_FIELDS] if not name.startswith("_csrf")}
        if drafted is not None:
            kept = {**kept, "notice_subject": drafted.subject, "notice_text": drafted.body}
        form = {
            "attempt": attempt,
            "reference": reference.upper(),
            "action": action,
            "values": kept,
            "error": None if error is None else {"message": error, "fields": [[found.field, found.message] for found in unfilled]},
            "drafted": drafted is not None,
        }
        session = request.session if isinstance(request.session, dict) else {}
        request.set_session({**session, STEP_FORM_KEY: form})
        query = urlencode({"step": action, "attempt": attempt})
        return Redirect(f"/staff/requests/{reference.upper()}?{query}#step-{quote_plus(action)}", status_code=303)

    @staticmethod
    def _show_step_form(context: dict[str, Any], form: dict[str, Any] | None, reference: str, step: str, attempt: str | None) -> None:
        """The form kept by `_redirect_to_step_form` for this address, as the step's POST left it."""
        if form is None or not attempt or form.get("attempt") != attempt:
            return
        if form.get("reference") != reference.upper() or form.get("action") != step:
            return
        values = form.get("values") if isinstance(form.get("values"), dict) else {}
        error = form.get("error")
        if isinstance(error, dict):
            fields = error.get("fields")
            pairs = fields if isinstance(fields, list) else []
            kept = [(str(pair[0]), str(pair[1])) for pair in pairs if isinstance(pair, list) and len(pair) == 2]
            context["action_error"] = _step_error(step, Regime(context["case"].regime), str(error.get("message") or ""), kept)
            context["action_values"] = values
        elif form.get("drafted"):
            context["action_drafted"] = {"action": step}
            context["action_values"] = values

    async def _detail_context(self, db: Db, settings: AppSettings, user: CurrentUser, reference: FromPath[str]) -> dict[str, Any]:
        detail = await service.get_request(db, reference)
        request = detail.request
        today = today_in(settings.zone)
        allowed = allowed_actions(Status(request.status), Regime(request.regime), limit_extended=service.limit_extended(request))
        approval = approval_state(
            Step(e.action, e.actor_id, e.details or {}, e.note) for e in reversed(detail.events) if e.action in APPROVAL_ACTIONS
        )
        # approving is offered only to whoever may do it; the others are told why
        acting = service.acting_as(user)
        approval_refusals = {}
        for action in allowed:
            problem = approver_problem(action, acting, approval) if action.spec.by is Who.APPROVER else None
            if problem is not None:
                approval_refusals[action.value] = str(problem)
        return {
            "case": request,
            "detail": detail,
            "documents": await document_service.list_documents(db, request.id),
            "publishable": request.status in PUBLISHABLE,
            "max_upload_mb": settings.max_upload_bytes // (1024 * 1024),
            "similar": await similar_disclosures(db, request.title, exclude_id=request.id),
            "deadline": await deadline_view(db, request, today),
            "allowed": [a for a in allowed if a.value not in approval_refusals],
            "approval": _approval_view(approval, detail.events),
            "approval_refusals": approval_refusals,
            "prefill": _prefill(approval),
            "timeliness": timeliness_facts(
                responded_on=request.responded_on,
                response_base_due_on=request.response_base_due_on,
                response_due_on=request.response_due_on,
                extension_late=request.extension_late,
                review_completed_on=request.review_completed_on,
                review_due_on=request.review_due_on,
            ),
            "staff": [u for u in await user_service.list_users(db) if u.is_active],
            # the notice each step sent, for the timeline
            "notices_by_event": {c.event_id: c for c in detail.correspondence if c.event_id is not None},
            "today": today,
            "user": user,
        }


def _step_error(action: str, regime: Regime, message: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    """A refused step for its form: `errors`, each field's problem as a sentence naming it by its label
    (said beside the field and listed, in the form's order, in the error summary), or else `message`
    (a step the request's state does not allow, which no field is at fault for)."""
    said: dict[str, str] = {}
    for field, problem in problems:
        said.setdefault(field, sentence(_field_label(action, field, regime), problem))
    return {"action": action, "message": message, "errors": dict(sorted(said.items(), key=lambda item: _form_place(action, item[0])))}


def _form_place(action: str, field: str) -> int:
    """Where a step's field comes on its form: its parameters as declared, the date, the note, the notice."""
    try:
        order = [param.name for param in Action(action).spec.params]
    except ValueError:
        order = []
    order += ["on", "note", "notice", "notice.by", "notice.subject", "notice.text", "notice.documents"]
    return order.index(field) if field in order else len(order)


def _kept(value: Any) -> str | list[str]:
    """A value of a refused form as the session keeps it: text (cut at a length beyond any field's limit,
    so an over-long text is still said to be too long), never a file or anything else a session cannot hold."""
    if isinstance(value, list):
        return [item[:MAX_KEPT_CHARS] for item in value[:MAX_KEPT_FIELDS] if isinstance(item, str)]
    return value[:MAX_KEPT_CHARS] if isinstance(value, str) else ""


def _step_form(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    session = request.session if isinstance(request.session, dict) else {}
    form = session.get(STEP_FORM_KEY)
    return form if isinstance(form, dict) else None


def _notice_words(notice: NoticeIn | None) -> str:
    """What became of the step's notice, after the step's own confirmation."""
    if notice is None or not notice.send:
        return ""
    if notice.by == "post":
        return " The letter to the requester is ready to print, under Correspondence."
    return " The notice to the requester is being sent by e-mail: Correspondence shows when it has gone."


def _transition_words(problem: IllegalTransition) -> str:
    """A step the request's state does not allow, in the words of the page (the API keeps the names)."""
    step = action_named(problem.action)
    named = f"“{step.label}”" if step else "That step"
    why = f" ({problem.reason})" if problem.reason else ""
    allowed = [found.label for name in problem.allowed if (found := action_named(name)) is not None]
    now = f"; what can be done now: {', '.join(allowed)}" if allowed else ""
    return f"{named} cannot be taken while the request is {Status(problem.status).label.lower()}{why}{now}"


def notice_from_form(action: str, values: dict[str, Any], *, drafting: bool) -> NoticeIn | None:
    """The notice choice of a step's form: by e-mail, by post, or none. A step that has a notice must
    say which (the API records it without one when left out; a person is asked)."""
    if notice_for(action) is None:
        return None
    choice = str(values.get("notice_send") or "")
    if not choice:
        if drafting:
            return None
        raise InvalidInput("notice", "Select whether to send the notice to the requester by e-mail, by post, or not now")
    if choice == "none":
        return NoticeIn(send=False)
    return NoticeIn(
        send=True,
        by=choice,
        text=str(values.get("notice_text") or "") or None,
        subject=str(values.get("notice_subject") or "") or None,
        documents=_document_ids(values),
    )


def _document_ids(values: dict[str, Any]) -> list[int]:
    """The released documents ticked to go with a notice (ids; anything else is not an id)."""
    return [int(v) for v in as_list(values.get("notice_documents")) if str(v).isdigit() and len(str(v)) < 18]


def _approval_view(approval: ApprovalState, events: list[Any]) -> dict[str, Any] | None:
    """The draft awaiting (or given) approval, for the page: who submitted it, and what it says."""
    if approval.stage is ApprovalStage.NONE:
        return None
    submitter = next((e.actor for e in events if e.action == Action.SUBMIT_FOR_APPROVAL), None)
    return {
        "stage": approval.stage.value,
        "submitted_by": submitter.name if submitter else None,
        "draft": approval.draft,
        "returned_note": approval.returned_note,
    }


def _prefill(approval: ApprovalState) -> dict[str, dict[str, Any]]:
    """Forms filled in from the approval: the approved draft is what gets sent; a returned draft is
    the starting point of the next one."""
    if approval.draft is None:
        return {}
    values = {**approval.draft, "exemptions": list(approval.draft.get("exemptions") or [])}
    if approval.stage is ApprovalStage.APPROVED:
        return {Action.RESPOND.value: values}
    if approval.stage is ApprovalStage.RETURNED:
        return {Action.SUBMIT_FOR_APPROVAL.value: values}
    return {}
