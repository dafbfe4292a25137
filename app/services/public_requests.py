"""Requests the public make on the web form (`/request`): the spam rules, then a `new` request.

Spam is kept out without third-party services, by three rules, each of which refuses with a message
that says why and what to do, and writes nothing (the unit of work rolls back): a hidden field that
only robots fill in (the message does not give the trick away, but says the request was not made
and how else to ask); a form sent sooner than a person could fill it in, timed by a token signed
with the app's secret when the form was issued (a plain hidden time could be forged); and more
requests from one address in an hour or a day than a person would make, counted in the store
table (`StoreItem`, as the sign-in throttle counts) under a row lock, so that submissions racing
each other are counted one after the other. No request is ever dropped silently.

The signed token doubles as the form's identity: a form sent twice (a double click, a reload of the
answer page) makes one request, and the second sending is told its reference (`AlreadySent`). A form
shown again by the browser's Back button is a new page with a new token (the form is `no-store`), but
with what was typed kept: it is recognised by what it asks and who asks it, the same text from the
same person within a day, remembered under a key made with the app's secret (`CONTENT_NAMESPACE`, no
personal data in clear). Both are claimed by the store table's unique key, so two sendings at once,
from any process or host, make one request. A sending recognised is told so before the pace rule is
applied: it was sent, so "not sent yet, too quick" would be false.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from advanced_alchemy.operations import OnConflictUpsert
from msgspec import Struct
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.domain.errors import Conflict, DomainError, InvalidInput
from app.domain.outcomes import Channel
from app.domain.regimes import Regime
from app.models import FoiRequest, StoreItem
from app.services.requests import MAX_BODY, NewRequest, RequesterDetails, create_request
from app.services.unit_of_work import UnitOfWork
from app.services.users import normalise_email

logger = logging.getLogger("app.public_requests")

# store_items namespaces: one row per address (hashed) with the times of its recent requests, and
# one per form token sent and one per request's content (the request each made)
ADDRESS_NAMESPACE = "request_form_address"
TOKEN_NAMESPACE = "request_form_token"
CONTENT_NAMESPACE = "request_form_content"
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
TITLE_LENGTH = 80


@dataclass(frozen=True)
class FormLimits:
    """How the spam rules are tuned. An address may be shared by many people (an office, a library,
    a mobile network), so the per-address limits are generous: they stop floods, not people."""

    min_fill_seconds: float = 3.0  # a person needs longer than this to fill in a name and a request
    max_age: timedelta = DAY  # a form open longer than this is issued again (the text is kept)
    per_hour: int = 10
    per_day: int = 30


DEFAULT_LIMITS = FormLimits()


class PreferredFormat(StrEnum):
    """The forms FOIA s.11(1) lets a requester ask for, as the form offers them."""

    EMAIL = "email"
    PAPER = "paper"
    INSPECT = "inspect"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    PreferredFormat.EMAIL: "By e-mail",
    PreferredFormat.PAPER: "A paper copy by post",
    PreferredFormat.INSPECT: "To inspect the records in person",
    PreferredFormat.OTHER: "In another format",
}


class WebRequestForm(Struct):
    """The public form as sent (each field as typed; all checked by `take_web_request`)."""

    name: str = ""
    email: str = ""
    address: str = ""
    request: str = ""
    preferred_format: str = ""
    format_other: str = ""  # the format wanted, when `preferred_format` is "other"
    environmental: bool = False  # the requester says it is about the environment: the EIR apply
    form_token: str = ""  # signed when the form was issued (`issue_form_token`)
    website: str = ""  # the hidden field: a person never sees it, a robot fills it in


# ---------------------------------------------------------------- refusals


class WebRequestRefused(DomainError):
    """The form did not become a request. `problems` are by field (the form's field names), or under
    "form" for a spam rule; each message says why and what to do, and never repeats what was typed."""

    status_code: ClassVar[int] = 422

    def __init__(self, problems: dict[str, str], rule: str = "fields") -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems
        self.rule = rule  # "fields", "honeypot", "too_fast", "expired", "too_many"


class TooManyWebRequests(WebRequestRefused):
    status_code: ClassVar[int] = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__({"form": message}, "too_many")
        self.retry_after = retry_after  # seconds


class AlreadySent(Conflict):
    """This form was sent before and made a request: nothing new is made (a double click, a reload).
    Carries what the answer page shows, read while the session was open."""

    def __init__(self, request: FoiRequest) -> None:
        super().__init__(f"this form was already sent: request {request.reference}")
        self.reference = request.reference
        self.regime = request.regime
        self.due_on = request.due_on


# ---------------------------------------------------------------- the signed form token


@dataclass(frozen=True)
class FormToken:
    issued_at: datetime
    nonce: str

    @property
    def text(self) -> str:
        return f"{int(self.issued_at.timestamp())}.{self.nonce}"


def _signature(settings: Settings, payload: str) -> str:
    digest = hmac.new(settings.secret_key.encode(), f"request-form|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue_form_token(settings: Settings, now: datetime) -> str:
    """A token for a new form: when it was issued and a random identity, signed with the app's secret."""
    token = FormToken(now.replace(microsecond=0), secrets.token_urlsafe(12))
    return f"{token.text}.{_signature(settings, token.text)}"


def read_form_token(text: str, settings: Settings) -> FormToken | None:
    """The token's contents when its signature is ours; None for anything else (missing, edited, forged)."""
    parts = (text or "").strip().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 12 or not re.fullmatch(r"[A-Za-z0-9_-]{8,40}", parts[1]):
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _signature(settings, payload)):
        return None
    return FormToken(datetime.fromtimestamp(int(parts[0]), UTC), parts[1])


def token_for_retry(text: str, settings: Settings, now: datetime, limits: FormLimits = DEFAULT_LIMITS) -> str:
    """The token a refused form is shown again with: the same one while it is valid, so the time spent
    filling it in still counts and a second sending is still recognised; a new one otherwise."""
    token = read_form_token(text, settings)
    if token is not None and timedelta(0) <= now - token.issued_at <= limits.max_age:
        return text.strip()
    return issue_form_token(settings, now)


# ---------------------------------------------------------------- checking the form


def other_ways_to_ask(settings: Settings) -> str:
    """How else to make a request, from the settings (nothing invented when they are not set)."""
    ways = []
    if settings.correspondence.request_email:
        ways.append(f"e-mail it to {settings.correspondence.request_email}")
    if settings.correspondence.postal_lines:
        ways.append(f"post it to {', '.join(settings.correspondence.postal_lines)}")
    return f"You can also {' or '.join(ways)}." if ways else "You can also send your request to us by e-mail or by post."


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # every control character but tab and newline


def _text(value: str) -> str:
    """Text as a person meant it: one kind of line ending, no invisible control characters (a NUL
    would be refused by PostgreSQL), no space around it."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def check_form(form: WebRequestForm) -> dict[str, str]:
    """Every problem with the fields at once, by the form's field names, in the GOV.UK way of saying it."""
    problems: dict[str, str] = {}
    name, email, address, body = _text(form.name), _text(form.email), _text(form.address), _text(form.request)
    if not name:
        problems["name"] = "Enter your name"
    elif len(name) > 200:
        problems["name"] = "Your name must be 200 characters or fewer"
    if email:
        try:
            normalise_email(email)
        except InvalidInput:
            problems["email"] = "Enter an e-mail address in the correct format, like name@example.com"
        else:
            if len(email) > 254:
                problems["email"] = "Your e-mail address must be 254 characters or fewer"
    if len(address) > 1000:
        problems["address"] = "Your postal address must be 1,000 characters or fewer"
    if not email and not address and "email" not in problems:
        # FOIA s.8(1)(b): a request gives an address for correspondence
        problems["email"] = "Enter an e-mail address or a postal address, so that we can reply"
    if not body:
        problems["request"] = "Enter the information you are asking for"
    elif len(body) > MAX_BODY:
        problems["request"] = f"Your request must be {MAX_BODY:,} characters or fewer (it has {len(body):,})"
    chosen = _text(form.preferred_format)
    if chosen and chosen not in set(PreferredFormat):
        problems["preferred_format"] = "Choose one of the formats listed, or none"
    elif chosen == PreferredFormat.OTHER:
        other = _text(form.format_other)
        if not other:
            problems["format_other"] = "Say which format you would like, or choose another option"
        elif len(other) > 400:
            problems["format_other"] = "The format must be 400 characters or fewer"
    # in the order the form asks, so the error summary reads down the page
    return {field: problems[field] for field in _FORM_ORDER if field in problems}


_FORM_ORDER = ("request", "preferred_format", "format_other", "name", "email", "address")


_SALUTATION = re.compile(r"^(dear|to whom it may concern|hello|hi|good (morning|afternoon|evening))\b", re.IGNORECASE)


def title_from(body: str) -> str:
    """A title for staff to recognise the request by: its first line that is not a greeting, cut at a
    word within 80 characters. Staff can change it (the request page's "Edit details")."""
    lines = [" ".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line]
    first = next((line for line in lines if not _SALUTATION.match(line)), lines[0] if lines else "")
    if len(first) <= TITLE_LENGTH:
        return first
    cut = first[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] if " " in first[: TITLE_LENGTH - 1] else first[: TITLE_LENGTH - 1]
    return cut.rstrip(" ,.;:-") + "…"


def _preferred_format(form: WebRequestForm) -> str | None:
    chosen = _text(form.preferred_format)
    if not chosen:
        return None
    if chosen == PreferredFormat.OTHER:
        return _text(form.format_other)
    return PreferredFormat(chosen).label


def _check_rules(form: WebRequestForm, settings: Settings, now: datetime, limits: FormLimits) -> FormToken:
    """The rules that need no database: a valid token, an empty hidden field, then the fields (a person
    who sends an empty form at once hears what is missing). The pace is `_check_pace`, once the form is
    known not to have been sent before."""
    token = read_form_token(form.form_token, settings)
    if token is None or now - token.issued_at > limits.max_age:
        raise WebRequestRefused(
            {
                "form": "Your request has not been sent: this form had been open for more than a day, or it could not be "
                "checked. Please check your request and send it again."
            },
            "expired",
        )
    if form.website.strip():
        raise WebRequestRefused(
            {"form": f"Sorry, we could not accept your request from this form, so it has not been sent. {other_ways_to_ask(settings)}"},
            "honeypot",
        )
    problems = check_form(form)
    if problems:
        raise WebRequestRefused(problems)
    return token


def _check_pace(token: FormToken, now: datetime, limits: FormLimits) -> None:
    if (now - token.issued_at).total_seconds() < limits.min_fill_seconds:
        raise WebRequestRefused(
            {
                "form": "Your request has not been sent yet: the form was sent very quickly after it was opened, as automated "
                "spam is. Please check your request and send it again."
            },
            "too_fast",
        )


# ---------------------------------------------------------------- the store rows


def _upsert(session: AsyncSession, values: dict[str, Any], update_columns: list[str]) -> Any:
    dialect = session.get_bind().dialect.name
    return OnConflictUpsert.create_upsert(
        table=StoreItem.__table__,  # type: ignore[arg-type]
        values=values,
        conflict_columns=["key", "namespace"],
        update_columns=update_columns,
        dialect_name=dialect,
    )


async def _claim(session: AsyncSession, key: str, namespace: str, expires_at: datetime) -> None:
    """Marks the form (its token, or its content) as sent; raises `AlreadySent` when it was (a
    concurrent second sending waits on the row's unique key until the first commits, or takes its
    place if the first was refused)."""
    values = {"key": key, "namespace": namespace, "value": b"", "expires_at": expires_at}
    claimed = await session.execute(_upsert(session, values, []).returning(StoreItem.key))
    if claimed.first() is not None:
        return
    reference = await session.scalar(select(StoreItem.value).where(StoreItem.key == key, StoreItem.namespace == namespace))
    request = await session.scalar(select(FoiRequest).where(FoiRequest.reference == (reference or b"").decode()))
    if request is None:  # claimed but not (yet) made: cannot happen once the claimer has committed
        raise WebRequestRefused({"form": "This form is being sent already. Please wait a moment, then reload the page."}, "expired")
    raise AlreadySent(request)


def _content_key(settings: Settings, form: WebRequestForm) -> str:
    """What the form asks and who asks it, as the store keeps it: keyed with the app's secret, so the
    table holds nothing that was typed. The e-mail address as `normalise_email` writes it; the rest as
    kept on the request."""
    email = _text(form.email)
    content = [_text(form.name), normalise_email(email) if email else "", _text(form.address), _text(form.request)]
    return hmac.new(settings.secret_key.encode(), f"request-form-content|{json.dumps(content)}".encode(), hashlib.sha256).hexdigest()


def _address_key(settings: Settings, address: str) -> str:
    """The address as the store keeps it: keyed with the app's secret, so the table holds no IP address."""
    return hmac.new(settings.secret_key.encode(), f"request-form-address|{address}".encode(), hashlib.sha256).hexdigest()


async def _count_request_from(session: AsyncSession, key: str, settings: Settings, now: datetime, limits: FormLimits) -> None:
    """Counts one more request from this address, or refuses it past the limits. The row is locked
    first (the upsert, then SELECT ... FOR UPDATE; SQLite's write transactions are serial already),
    so concurrent submissions from one address are counted one after another."""
    await session.execute(
        _upsert(session, {"key": key, "namespace": ADDRESS_NAMESPACE, "value": b"[]", "expires_at": now + DAY}, ["expires_at"])
    )
    stored = await session.scalar(
        select(StoreItem.value).where(StoreItem.key == key, StoreItem.namespace == ADDRESS_NAMESPACE).with_for_update()
    )
    try:
        times = [float(t) for t in json.loads(stored or b"[]")]
    except (ValueError, TypeError):
        times = []
    moment = now.timestamp()
    times = sorted(t for t in times if moment - DAY.total_seconds() < t <= moment)
    last_hour = [t for t in times if moment - t < HOUR.total_seconds()]
    if len(last_hour) >= limits.per_hour:
        _refuse_too_many(settings, now, limits.per_hour, "hour", datetime.fromtimestamp(last_hour[-limits.per_hour], UTC) + HOUR)
    if len(times) >= limits.per_day:
        _refuse_too_many(settings, now, limits.per_day, "day", datetime.fromtimestamp(times[-limits.per_day], UTC) + DAY)
    times.append(moment)
    await session.execute(
        update(StoreItem)
        .where(StoreItem.key == key, StoreItem.namespace == ADDRESS_NAMESPACE)
        .values(value=json.dumps(times).encode(), expires_at=now + DAY)
    )


def _refuse_too_many(settings: Settings, now: datetime, limit: int, period: str, again_at: datetime) -> None:
    local = again_at.astimezone(settings.zone)
    when = f"{local:%H:%M}" + ("" if local.date() == now.astimezone(settings.zone).date() else f" on {local.day} {local:%B}")
    raise TooManyWebRequests(
        f"Your request has not been sent: {limit} requests have already been made from your internet connection in the last "
        f"{period} (it may be shared, as in an office or a library), which is as many as this form takes. Please send it again "
        f"after {when}. {other_ways_to_ask(settings)}",
        retry_after=max(1, int((again_at - now).total_seconds()) + 1),
    )


async def _forget_expired(session: AsyncSession, now: datetime) -> None:
    """Old counters, tokens and contents go: the table keeps no trace of an address or a request for
    longer than a day."""
    await session.execute(
        delete(StoreItem).where(
            StoreItem.namespace.in_([ADDRESS_NAMESPACE, TOKEN_NAMESPACE, CONTENT_NAMESPACE]), StoreItem.expires_at < now
        )
    )


# ---------------------------------------------------------------- the use case


async def take_web_request(
    uow: UnitOfWork,
    form: WebRequestForm,
    settings: Settings,
    client_address: str,
    now: datetime,
    limits: FormLimits = DEFAULT_LIMITS,
) -> FoiRequest:
    """Makes a `new` request from the public form: channel web, received `now` in the authority's zone,
    under the EIR when the requester says it is about the environment and FOIA otherwise (the form
    has no Scottish regimes: no setting says the authority is Scottish), titled from its first line.

    Raises `WebRequestRefused` (by field, or a spam rule), `TooManyWebRequests` (429) or `AlreadySent`
    (this form, or the same request from the same person, was sent within a day: before the pace rule,
    which would say it was not); each leaves the database as it was once the unit of work rolls back."""
    token = _check_rules(form, settings, now, limits)
    session = uow.session
    await _forget_expired(session, now)
    content = _content_key(settings, form)
    await _claim(session, token.nonce, TOKEN_NAMESPACE, token.issued_at + limits.max_age + HOUR)
    await _claim(session, content, CONTENT_NAMESPACE, now + DAY)
    _check_pace(token, now, limits)
    await _count_request_from(session, _address_key(settings, client_address), settings, now, limits)

    body = _text(form.request)
    email = _text(form.email)
    data = NewRequest(
        regime=(Regime.EIR if form.environmental else Regime.FOIA).value,
        title=title_from(body),
        body=body,
        requester=RequesterDetails(
            name=_text(form.name), email=normalise_email(email) if email else None, address=_text(form.address) or None
        ),
        channel=Channel.WEB.value,
        received_at=now.astimezone(uow.zone),
        preferred_format=_preferred_format(form),
    )
    request = await create_request(session, data, None, uow.zone, recorded_at=now)
    for key, namespace in ((token.nonce, TOKEN_NAMESPACE), (content, CONTENT_NAMESPACE)):
        await session.execute(
            update(StoreItem).where(StoreItem.key == key, StoreItem.namespace == namespace).values(value=request.reference.encode())
        )

    # ---- the acknowledgement, sent in this unit of work (issue 12, point 3: app/services/correspondence.py)
    if settings.correspondence.auto_acknowledge:
        from app.services.correspondence import acknowledge_new_request

        await acknowledge_new_request(uow, request, settings)

    logger.info("web request %s made", request.reference)  # the reference only: nothing about who asked
    return request
