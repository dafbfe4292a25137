"""An e-mail taken in, read into the facts intake acts on: who sent it, what it says, when our server
received it, what it answers, and whether a person wrote it at all.

Pure: bytes in, facts out. `app/services/intake.py` decides what to do with them (a new request, a
reply filed on one, a bounce marking a notice undelivered, or nothing).

What counts as automatic follows RFC 3834 (section 5: a responder must not answer a message with
`Auto-Submitted` other than "no", and should not answer `Precedence: bulk|junk|list` or list mail),
and the de facto `X-Autoreply`/`X-Autorespond` headers. Microsoft's `X-Auto-Response-Suppress` is
a request to *recipients* not to auto-reply (MS-OXCMAIL 2.1.3.2.20), which Outlook, Exchange and
list servers put on ordinary mail too; alone it never marks a message automatic. Exchange's own
out-of-office replies carry it as "All" with an "Automatic reply:" or "Out of Office" subject,
and that pair is taken as an automatic reply. A bounce is a delivery status notification
(RFC 3464, `multipart/report; report-type=delivery-status`) or, from older servers, a message from
the null sender or MAILER-DAEMON with a failure subject.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any

from app.domain.errors import DomainError
from app.domain.references import parse_reference
from app.domain.regimes import Regime

MAX_MESSAGE_ID = 300  # the column that keys intake
WHOLE_MESSAGE = "message.txt"  # the document that keeps a message too long for a request's text


class UnreadableMessage(DomainError):
    """The input is not an e-mail message at all (empty, or no header fields)."""

    status_code = 422


class Kind(StrEnum):
    MESSAGE = "message"  # written by a person: a request, or a reply
    AUTO_REPLY = "auto_reply"
    LOOP = "loop"  # sent by this tracker itself
    BOUNCE = "bounce"  # our message could not be delivered
    DELIVERY_NOTICE = "delivery_notice"  # a DSN that is not a failure: delayed, delivered, relayed


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Bounce:
    original_message_id: str | None  # the Message-ID of the message that could not be delivered
    reason: str  # the status and the server's diagnostic, as the DSN gives them


@dataclass(frozen=True)
class InboundFacts:
    message_id: str  # "<...>"; a message without one gets a stable id from a hash of its bytes
    sender_name: str
    sender_address: str  # lower case; "" when the message has none
    subject: str
    text: str
    attachments: tuple[Attachment, ...]
    received_at: datetime  # UTC
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    kind: Kind
    why: str = ""  # for anything but MESSAGE: why it is not a person's message, in words
    bounce: Bounce | None = None
    whatdotheyknow: bool = False
    cited_references: tuple[str, ...] = ()  # request references named in the subject, canonical
    auto_response_suppress: frozenset[str] = field(default_factory=frozenset)  # "oof", "autoreply", "all"…

    @property
    def threads(self) -> tuple[str, ...]:
        """The ids it answers, nearest first: In-Reply-To, then References from the newest."""
        seen: dict[str, None] = dict.fromkeys(self.in_reply_to)
        seen.update(dict.fromkeys(reversed(self.references)))
        return tuple(seen)

    @property
    def requester_name(self) -> str:
        """Who to call the requester: the sender's name, or the local part of their address."""
        return self.sender_name or visible(self.sender_address.partition("@")[0])

    @property
    def asks_for_review(self) -> bool:
        """Whether the subject or the first lines the sender wrote (not what they quote) ask for an
        internal review: "internal review", "review" or "reconsider"."""
        return bool(_REVIEW_WORDS.search(self.subject) or _REVIEW_WORDS.search("\n".join(_first_own_lines(self.text))))


# WhatDoTheyKnow runs Alaveteli (github.com/mysociety/alaveteli): each request has its own address,
# INCOMING_EMAIL_PREFIX + "request-" + id + "-" + the first 8 hex digits of a SHA-1 @ the site's
# domain; whatdotheyknow.com's prefix is "foi+".
_WHATDOTHEYKNOW = re.compile(r"^(?:[a-z0-9._-]+\+)?request-\d+-[0-9a-f]{8}@whatdotheyknow\.com$")
_WHATDOTHEYKNOW_SUBJECT = re.compile(r"^\s*(?:(?:re|fwd?)\s*:\s*)*freedom of information request\s*[-:–]\s*", re.IGNORECASE)

_PREFIXES = sorted({regime.reference_prefix for regime in Regime}, key=len, reverse=True)
_REFERENCE_IN_TEXT = re.compile(r"(?<![A-Z0-9])(?:" + "|".join(map(re.escape, _PREFIXES)) + r")-\d{4}-\d{5,}(?!\d)", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_MESSAGE_ID_IN_TEXT = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)

_PRECEDENCE_AUTOMATIC = {"bulk", "junk", "list"}
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Auto-Reply")
_OUT_OF_OFFICE_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[- ]?re(?:ply|sponse)|out of (?:the )?office|auto)\s*:|^\s*out of (?:the )?office\b",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery (?:status notification|failure|has failed)|failure notice|mail delivery (?:failed|system)"
    r"|returned mail|non-?deliver|could not be delivered",
    re.IGNORECASE,
)
_DAEMON_SENDERS = {"mailer-daemon", "postmaster"}
_REVIEW_WORDS = re.compile(r"\b(?:review|reconsider(?:ation)?)\b", re.IGNORECASE)
_REVIEW_LINES = 5
# where a reply's own words end: the quoted message it answers (Outlook, Gmail, Apple Mail)
_QUOTE_STARTS = re.compile(r"^\s*(?:>|-{2,}\s*original message|_{5,}|from:\s|on .{0,200}wrote:\s*$)", re.IGNORECASE)


def read_message(raw: bytes, *, now: datetime, own_addresses: Iterable[str] = ()) -> InboundFacts:
    """The facts of one RFC 5322 message. Raises UnreadableMessage for input that is not one; any
    other oddity (a missing header, a broken part, a wrong charset) reads as what can be read."""
    message = parse(raw)
    own = {address.strip().lower() for address in own_addresses if address and address.strip()}
    sender_name, sender_address = _sender(message)
    subject = visible(_header(message, "Subject"))
    body_part = _body_part(message)
    text = _text_of(body_part) if body_part is not None else ""
    attachments = tuple(_attachments(message, body_part))
    received_at = _received_at(message, now)
    in_reply_to = _ids(_header(message, "In-Reply-To"))
    references = _ids(_header(message, "References"))
    whatdotheyknow = bool(_WHATDOTHEYKNOW.match(sender_address))
    kind, why, bounce = _classify(message, sender_address, subject, own)
    return InboundFacts(
        message_id=message_id_of(raw, message),
        sender_name=visible(sender_name)[:200],
        sender_address=sender_address,
        subject=subject,
        text=text,
        attachments=attachments,
        received_at=received_at,
        in_reply_to=in_reply_to,
        references=references,
        kind=kind,
        why=why,
        bounce=bounce,
        whatdotheyknow=whatdotheyknow,
        cited_references=cited_references(subject),
        auto_response_suppress=frozenset(
            token.strip().lower() for token in _header(message, "X-Auto-Response-Suppress").split(",") if token.strip()
        ),
    )


def parse(raw: bytes) -> EmailMessage:
    if not raw or not raw.strip():
        raise UnreadableMessage("the input is empty: give one e-mail message (RFC 5322)")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnreadableMessage("the input is not an e-mail message: it has no header fields (RFC 5322)")
    return message


def message_id_of(raw: bytes, message: Message | None = None) -> str:
    """The message's own Message-ID, or one made from a hash of its bytes (line endings made one
    kind first, so the same message read from IMAP (CRLF) or a pipe (LF) gets the same id)."""
    message = message if message is not None else parse(raw)
    found = _ids(_header(message, "Message-ID"))
    if found and len(found[0]) <= MAX_MESSAGE_ID:
        return found[0]
    digest = hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()
    return f"<sha256-{digest}@message-id.invalid>"


def cited_references(text: str) -> tuple[str, ...]:
    """Request references named in a text, canonical ("foi-2026-042" is not one; "FOI-2026-00042" is)."""
    found: dict[str, None] = {}
    for match in _REFERENCE_IN_TEXT.finditer(text):
        found[str(parse_reference(match.group(0)))] = None
    return tuple(found)


def title_from(facts: InboundFacts, limit: int = 300) -> str:
    """A request's title: the subject (without WhatDoTheyKnow's "Freedom of Information request -"
    and reply prefixes), else the first line of the text."""
    subject = facts.subject
    if facts.whatdotheyknow:
        subject = _WHATDOTHEYKNOW_SUBJECT.sub("", subject)
    subject = re.sub(r"^\s*(?:(?:re|fwd?|fw)\s*:\s*)+", "", subject, flags=re.IGNORECASE).strip()
    if not subject:
        subject = next((visible(line) for line in facts.text.splitlines() if visible(line)), "")
    return shorten(subject, limit) or "Request by e-mail"


def request_text(text: str, limit: int) -> tuple[str, bool]:
    """A message's text as a request's text of at most `limit` characters, and whether it was cut:
    a longer one keeps its first part, cut at a line (or a word, when no line ends near the limit),
    and ends with a line saying the whole message is the document WHOLE_MESSAGE."""
    if len(text) <= limit:
        return text, False
    note = (
        f"\n\n[The e-mail is longer ({len(text):,} characters) than a request's text can be: this is its first part. "
        f'The whole message is kept as the attached document "{WHOLE_MESSAGE}".]'
    )
    room = limit - len(note)
    near = room - room // 10  # a line or word ending further back would lose too much
    head = text[: room + 1]  # a line or word may end just at the limit
    cut = head.rfind("\n")
    if cut < near:
        cut = max(head.rfind(" "), head.rfind("\t"))
    if cut < near:
        cut = room  # one endless word: cut it anywhere
    return text[:cut].rstrip() + note, True


def whole_message(text: str) -> Attachment:
    """The document WHOLE_MESSAGE, kept with a request whose text `request_text` cut: the whole text
    under a line saying what it is. That line has no comma, semicolon, tab or bar, so the upload rules
    always read the file as plain text: a text whose lines all hold one comma would otherwise look
    like CSV, and one starting with a tag like HTML."""
    caption = "The whole e-mail this request was made in (the request's text is its first part only):"
    return Attachment(WHOLE_MESSAGE, "text/plain", f"{caption}\n\n{text}\n".encode())


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


def message_id_variants(message_id: str) -> tuple[str, str]:
    """A Message-ID as stored with its angle brackets and without: whoever stored it chose one."""
    bare = message_id.strip().strip("<>")
    return f"<{bare}>", bare


# ---------------------------------------------------------------- headers


def _header(message: Message, name: str) -> str:
    """A header's decoded value, or "" when it is missing or cannot be read at all."""
    try:
        value = message.get(name)
    except Exception:  # the parser's header classes can fail on hostile input; the raw value is enough
        value = _raw_header(message, name)
    if value is None:
        return ""
    try:
        return str(value)
    except Exception:
        return _raw_header(message, name) or ""


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _ids(value: str) -> tuple[str, ...]:
    found = _MESSAGE_ID.findall(value)
    if not found and "@" in value and len(value.split()) == 1:
        found = [value.strip()]  # an id written without its angle brackets
    return tuple(dict.fromkeys(f"<{one}>" for one in found if len(one) + 2 <= MAX_MESSAGE_ID))


def _sender(message: Message) -> tuple[str, str]:
    for name in ("From", "Sender", "Reply-To"):
        value = _header(message, name)
        if not value:
            continue
        display, address = email.utils.parseaddr(value)
        address = _clean(address, single_line=True).lower()
        if "@" in address:
            return display, address
    return "", ""


def _return_path_is_null(message: Message) -> bool:
    value = _header(message, "Return-Path").strip()
    return value in {"<>", ""} and bool(_raw_header(message, "Return-Path") is not None)


def _received_at(message: Message, now: datetime) -> datetime:
    """When our server received it: the date of the top Received: header (the last hop, ours),
    else Date:, else now; never later than now (a sender's clock ahead of ours)."""
    moments: list[str] = []
    received = _all(message, "Received")
    if received:
        moments.append(received[0].rpartition(";")[2])
    moments.append(_header(message, "Date"))
    for text in moments:
        moment = _date(text)
        if moment is not None:
            return min(moment, now.astimezone(UTC))
    return now.astimezone(UTC)


def _all(message: Message, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except Exception:
        return [str(value) for key, value in message.raw_items() if key.lower() == name.lower()]


def _date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": the zone is unknown, the time is UTC (RFC 5322 3.3)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# ---------------------------------------------------------------- classification


def _classify(message: Message, sender: str, subject: str, own: set[str]) -> tuple[Kind, str, Bounce | None]:
    report = _delivery_report(message)
    if report is not None:
        return report
    local_part = sender.partition("@")[0]
    from_daemon = local_part in _DAEMON_SENDERS or _return_path_is_null(message)
    if from_daemon and _BOUNCE_SUBJECT.search(subject):
        return Kind.BOUNCE, "a message that could not be delivered", Bounce(_original_id(message), _first_line_reason(message))
    if sender and sender in own:
        return Kind.LOOP, "sent by this tracker's own address (a mail loop)", None
    auto_submitted = _header(message, "Auto-Submitted").strip()
    if auto_submitted and auto_submitted.split(";")[0].strip().lower() != "no":
        return Kind.AUTO_REPLY, f"an automatic reply (Auto-Submitted: {auto_submitted.split(';')[0].strip()})", None
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in _PRECEDENCE_AUTOMATIC:
        return Kind.AUTO_REPLY, f"an automatic or bulk message (Precedence: {precedence})", None
    for name in _AUTO_HEADERS:
        if _raw_header(message, name) is not None:
            return Kind.AUTO_REPLY, f"an automatic reply ({name})", None
    if _raw_header(message, "List-Id") is not None:
        return Kind.AUTO_REPLY, "a mailing list message (List-Id)", None
    suppress = {token.strip().lower() for token in _header(message, "X-Auto-Response-Suppress").split(",")}
    if "all" in suppress and _OUT_OF_OFFICE_SUBJECT.search(subject):
        return Kind.AUTO_REPLY, "an automatic reply (an out-of-office subject, X-Auto-Response-Suppress: All)", None
    if from_daemon:
        return Kind.AUTO_REPLY, "a message from a mail system (MAILER-DAEMON or the null sender)", None
    return Kind.MESSAGE, "", None


def _delivery_report(message: Message) -> tuple[Kind, str, Bounce | None] | None:
    """A delivery status notification (RFC 3464): a failure is a bounce; delayed, delivered,
    relayed or expanded are notices that ask nothing of anyone."""
    if message.get_content_type() != "multipart/report":
        return None
    if _content_param(message, "report-type").lower() != "delivery-status":
        return None
    actions: list[str] = []
    reasons: list[str] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _status_blocks(part):
            action = str(block.get("Action", "") or "").strip().lower()
            if action:
                actions.append(action)
            status = str(block.get("Status", "") or "").strip()
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "") or "").split())
            if status or diagnostic:
                reasons.append(" ".join(piece for piece in (status, diagnostic) if piece))
    reason = "; ".join(dict.fromkeys(reasons))[:1000] or _first_line_reason(message)
    if actions and "failed" not in actions:
        words = ", ".join(dict.fromkeys(actions))
        return Kind.DELIVERY_NOTICE, f"a delivery status notice ({words}), not a failure", None
    return Kind.BOUNCE, "a message that could not be delivered", Bounce(_original_id(message), reason)


def _content_param(message: Message, name: str) -> str:
    try:
        value = message.get_param(name, "", header="content-type")
    except Exception:
        return ""
    return value if isinstance(value, str) else ""


def _status_blocks(part: Message) -> list[Message]:
    payload: Any = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = payload if isinstance(payload, str) else ""
    return [email.message_from_string(block.strip() + "\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


def _original_id(message: Message) -> str | None:
    """The Message-ID a bounce is about: from its returned message (message/rfc822) or headers
    (text/rfc822-headers), else a Message-ID: line quoted in its text."""
    for part in message.walk():
        content_type = part.get_content_type()
        original: Message | None = None
        if content_type == "message/rfc822":
            payload: Any = part.get_payload()
            original = payload[0] if isinstance(payload, list) and payload else None
        elif content_type == "text/rfc822-headers":
            original = email.message_from_string(_part_text(part))
        if original is not None:
            found = _ids(_header(original, "Message-ID"))
            if found:
                return found[0]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            match = _MESSAGE_ID_IN_TEXT.search(_part_text(part))
            if match:
                return match.group(1)
    return None


def _first_line_reason(message: Message) -> str:
    body = _body_part(message)
    text = _text_of(body) if body is not None else ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:3])[:500]


# ---------------------------------------------------------------- text and attachments


def _body_part(message: EmailMessage | Message) -> Message | None:
    if not isinstance(message, EmailMessage):
        return None
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except Exception:
        return None


def _text_of(part: Message) -> str:
    text = _part_text(part)
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return _clean(text)


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except Exception:  # an unknown or lying charset: read what can be read
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            return payload.decode("utf-8", errors="replace")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


def _attachments(message: Message, body: Message | None) -> Iterator[Attachment]:
    for part, within in _leaves(message, ""):
        if part is body:
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = visible(_filename(part))
        if disposition != "attachment" and not filename:
            continue  # the message's own alternative text, not a file
        embedded = within == "multipart/related" or disposition != "attachment"
        if embedded and _header(part, "Content-ID"):
            continue  # an image shown inside the HTML (a signature's logo), not something sent
        if part.get_content_type() == "message/rfc822":
            payload: Any = part.get_payload()
            data = payload[0].as_bytes() if isinstance(payload, list) and payload else b""
            filename = filename or "message.eml"
        else:
            decoded = part.get_payload(decode=True)
            data = decoded if isinstance(decoded, bytes) else b""
        yield Attachment(filename=filename or "attachment", content_type=part.get_content_type(), data=data)


def _leaves(message: Message, within: str) -> Iterator[tuple[Message, str]]:
    """Every part that is not a container, with the type of the container it is in; an attached
    message is one part, not opened."""
    if message.get_content_maintype() == "multipart":
        payload: Any = message.get_payload()
        for part in payload if isinstance(payload, list) else []:
            if isinstance(part, Message):
                yield from _leaves(part, message.get_content_type())
    else:
        yield message, within


def _filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        return ""


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# C1 controls in mail are Windows-1252 read as ISO-8859-1 (as the WHATWG Encoding Standard has it,
# that label means windows-1252): 0x92 is an apostrophe, not a control that the upload rules refuse
_C1_AS_WINDOWS_1252 = {code: bytes([code]).decode("cp1252", errors="ignore") or None for code in range(0x80, 0xA0)}


def visible(text: str) -> str:
    """One line of what a reader sees: without control characters or format characters (Unicode
    category Cf: the bidirectional overrides and isolates U+202A-U+202E and U+2066-U+2069, the marks
    U+200E/U+200F, zero-width spaces and joiners, tags), which could reverse or hide part of a name or
    a title where staff read it ("invoice", U+202E, "txt.exe" shows as "invoiceexe.txt")."""
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return _clean(text, single_line=True)


def _clean(text: str, single_line: bool = False) -> str:
    """One kind of line ending, no control characters (PostgreSQL refuses NUL in text)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).translate(_C1_AS_WINDOWS_1252)
    if single_line:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_BLOCKS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIPPED = {"script", "style", "head", "title", "template"}


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skipping = 0
        self.quote_depth = 0
        self.preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.pieces.append("\n")
            if tag == "li":
                self.pieces.append("- ")
            elif tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.preformatted += 1
        elif tag in {"td", "th"}:
            self.pieces.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "hr"}:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS and tag != "li":  # list items one to a line, the list apart
            self.pieces.append("\n")
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.preformatted:
            data = re.sub(r"\s+", " ", data)
        if self.quote_depth:
            # a quoted reply keeps its quoting, as a plain-text client would show it
            marker = "> " * self.quote_depth
            data = data.replace("\n", "\n" + marker)
            if not self.pieces or self.pieces[-1].endswith("\n"):
                data = marker + data.lstrip()
        self.pieces.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML e-mail, with its paragraphs and quoted replies (standard library only)."""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is forgiving; whatever it could not take is left out
        pass
    lines = [" ".join(line.split()) if not line.startswith(">") else line.rstrip() for line in "".join(parser.pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first_own_lines(text: str) -> list[str]:
    """The first lines a reply's sender wrote, before what it quotes."""
    lines: list[str] = []
    for line in text.splitlines():
        if _QUOTE_STARTS.match(line):
            break
        if line.strip():
            lines.append(line)
            if len(lines) == _REVIEW_LINES:
                break
    return lines
