"""Drafting a notice from its text: sandboxed Jinja, plain text (an e-mail body or a letter), with
the case's facts, the regime's words (`law`), the letterhead and a few filters.

An admin's text can be wrong in three ways: it does not parse, it names a field that does not
exist, or it reaches for something the sandbox refuses (`__class__`, a huge repetition). Each is
reported by `check_text` in words, with its line, before the text is saved; `render_notice`
raises `NoticeTextError` (a 422 with the same words) for a text that was never checked.
"""

from __future__ import annotations

import difflib
import operator
import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from types import TracebackType
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from app.domain.errors import InvalidInput
from app.domain.exemptions import BY_CODE
from app.domain.notices.facts import CaseFacts, Letterhead, Notice, NoticeText
from app.domain.notices.kinds import NoticeKind
from app.domain.notices.law import Commissioner, Law, law_for
from app.domain.outcomes import Outcome, ReviewOutcome

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MAX_REPEAT = 10_000
"""The longest string or list a text may build by repetition ('-' * 40 is fine; a billion is not)."""


class NoticeTextError(InvalidInput):
    """A notice's text that cannot be drafted: the field is "subject" or "body"."""


@dataclass(frozen=True)
class ExemptionView:
    """One exemption or exception relied on, as a text reads it."""

    code: str
    provision: str
    """In words: "section 40", "regulation 12(5)(e)"."""
    title: str
    absolute: bool
    """Wholly absolute: no public interest test (FOIA s.2(3), FOISA s.2(2)); every EIR/EISR exception is qualified."""
    absolute_in_part: str = ""
    """For an exemption only part of which is absolute, which part, citing s.2 ("subsection (2) ... is absolute
    (section 2(2)(c))"); the rest is qualified, so `qualified` is true."""

    @property
    def qualified(self) -> bool:
        """Wholly or partly subject to the public interest test."""
        return not self.absolute

    @property
    def label(self) -> str:
        """ "section 40 (Personal information)"."""
        return f"{self.provision} ({self.title})" if self.title else self.provision


def exemption_views(codes: tuple[str, ...]) -> tuple[ExemptionView, ...]:
    """The case's codes as a text reads them; a code the product does not know is kept as written."""
    views = []
    for code in codes:
        exemption = BY_CODE.get(code) or BY_CODE.get(_upper_codes().get(code.strip().upper(), ""))
        if exemption is None:
            views.append(ExemptionView(code=code, provision=code, title="", absolute=False))
            continue
        views.append(
            ExemptionView(
                code=exemption.code,
                provision=_in_words(exemption.provision),
                title=exemption.title,
                absolute=exemption.absolute,
                absolute_in_part=exemption.absolute_in_part,
            )
        )
    return tuple(views)


@lru_cache(maxsize=1)
def _upper_codes() -> dict[str, str]:
    return {code.upper(): code for code in BY_CODE}


def _in_words(provision: str) -> str:
    """ "s.40" -> "section 40", "reg. 12(5)(e)" -> "regulation 12(5)(e)"."""
    if provision.startswith("s."):
        return "section " + provision[2:]
    if provision.startswith("reg. "):
        return "regulation " + provision[5:]
    return provision


# -- filters ------------------------------------------------------------------------------------


def date_words(value: date | None) -> str:
    """ "6 December 2026"; nothing for no date."""
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def weekday_date_words(value: date | None) -> str:
    """ "Sunday 6 December 2026"."""
    if not isinstance(value, date):
        return date_words(value)
    return f"{_WEEKDAYS[value.weekday()]} {date_words(value)}"


def money_words(value: object) -> str:
    """ "£1,250.00" from "1250", "1250.5" or "£1,250.50"; text that is not an amount stays as it is."""
    if value is None:
        return ""
    text = str(value).strip()
    try:
        amount = Decimal(text.replace("£", "").replace(",", "").strip())
    except InvalidOperation:
        return text
    if not amount.is_finite():
        return text
    return f"£{amount.quantize(Decimal('0.01')):,}"


_LOWER_FIRST_WORDS = frozenset({"A", "An", "As", "By", "In", "On", "The", "To", "Via"})


def phrase_words(value: object) -> str:
    """A label or a requester's words, to follow a colon mid-sentence: "By e-mail" -> "by e-mail", "A paper copy
    by post." -> "a paper copy by post"; "PDF files" and "Microsoft Word" keep their capitals."""
    if value is None:
        return ""
    text = " ".join(str(value).split()).rstrip(".;,")
    first, _, rest = text.partition(" ")
    if first in _LOWER_FIRST_WORDS:
        return f"{first.lower()} {rest}".rstrip()
    return text


# -- the environment ----------------------------------------------------------------------------


class _NoticeEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, which refuses attributes such as `__class__` and unsafe calls, also refusing
    repetitions and powers that would exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise SecurityError("a power that large is not allowed in a notice")
            return operator.pow(left, right)
        if operator_name == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int) and len(sequence) * count > _MAX_REPEAT:
                    raise SecurityError("a repetition that long is not allowed in a notice")
        return super().call_binop(context, operator_name, left, right)


def _finalize(value: Any) -> Any:
    # an optional field left empty prints nothing, never "None"
    return "" if value is None else value


_ENV = _NoticeEnvironment(
    undefined=StrictUndefined,
    autoescape=False,  # plain text: an e-mail body or a letter, never HTML
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    finalize=_finalize,
)
_ENV.filters["date"] = date_words
_ENV.filters["weekday_date"] = weekday_date_words
_ENV.filters["money"] = money_words
_ENV.filters["phrase"] = phrase_words


@lru_cache(maxsize=256)
def _compile(source: str) -> Any:
    problems = _costly(_ENV.parse(source))
    if problems:
        raise _TooCostly(problems[0])
    return _ENV.from_string(source)


class _TooCostly(Exception):
    pass


def _costly(tree: nodes.Template) -> list[str]:
    """Constructs a notice never needs that could keep the server busy for hours on an admin's text:
    a loop inside a loop (100,000 × 100,000 turns), a recursive loop, a macro (which a loop can call)."""
    problems = []
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            problems.append(f"line {loop.lineno}: a recursive loop is not allowed in a notice")
        inner = next(iter(loop.find_all(nodes.For)), None)
        if inner is not None:
            problems.append(f"line {inner.lineno}: a loop inside a loop is not allowed in a notice (it could take too long to draft)")
    for macro in (*tree.find_all(nodes.Macro), *tree.find_all(nodes.CallBlock)):
        problems.append(f"line {macro.lineno}: macros are not allowed in a notice; write the text out")
    return problems


# -- what a text may read -------------------------------------------------------------------------

_FACT_HELP = {
    "reference": "the request's reference (FOI-2026-00042)",
    "regime": "the law the request is handled under: foia, eir, foisa or eisr",
    "title": "the request's title",
    "body": "the request as the requester wrote it",
    "requester_name": "the requester's name, as they gave it",
    "received_on": "the date the request was received (a date: write {{ received_on | date }})",
    "due_on": "the date the response is due, if there is one now",
    "due_explanation": "how the due date was worked out, in words",
    "today": "the notice's date",
    "outcome": "a response's outcome: " + ", ".join(outcome.value for outcome in Outcome),
    "exemptions": "the exemptions or exceptions relied on; each has .provision, .title, .label, .absolute (wholly absolute), "
    ".absolute_in_part (for one only partly absolute, which part, citing the law), .qualified (wholly or partly qualified) and .code",
    "response": "the officer's text: the answer, or why the information is withheld",
    "public_interest": "the officer's public interest reasons, when recorded apart from the response (empty otherwise)",
    "responded_on": "the date of our response (for a review outcome, the response reviewed)",
    "fee_amount": "the fee, as typed (write {{ fee_amount | money }})",
    "estimated_date": "an extension's estimated date for the decision",
    "review_outcome": "an internal review's outcome: " + ", ".join(outcome.value for outcome in ReviewOutcome),
    "note": "the step's note (what needs clarifying, how to pay, why more time is needed, the reviewer's reasons)",
    "channel": "how the request arrived: email, post, web, phone or in_person",
    "whatdotheyknow": "true when the request came through WhatDoTheyKnow, where the reply is published",
    "preferred_format": "the format the requester asked for, if any: a label such as 'By e-mail' or their own words "
    "(write {{ preferred_format | phrase }} after a colon)",
    "documents": "the titles of the documents sent with the notice",
    "review_due_by": "the last day to ask for an internal review",
    "fee_due_by": "the last day to pay the fee before the request lapses",
    "reply_by": "the last day to answer a request for clarification before the request may be closed",
}
_EXTRA_HELP = {
    "kind": "the notice: " + ", ".join(kind.value for kind in NoticeKind),
    "outcome_label": "the outcome in words (Granted in part)",
    "review_outcome_label": "the review's outcome in words (Original decision upheld)",
    "qualified_exemptions": "the exemptions or exceptions relied on that need a public interest test, wholly or in part",
    "absolute_exemptions": "the wholly absolute exemptions relied on (no public interest test)",
    "law": "the law's words: law.title, law.short_name, law.word (exemption or exception), law.words, law.time_limit_days, "
    "law.review_ask_days, law.review_ask_law, law.review_days, law.review_law, law.fee_lapse, law.clarification_lapse, "
    "law.fee_lapse_law, law.fee_pause_law, law.clarification_law, law.refusal_law (citations such as FOIA s.9(2)), "
    "law.environmental, law.commissioner",
    "law.commissioner": "who to complain to: .name, .office, .address, .website, .complaint_url, .phone, .email, .law, .when",
    "letterhead": "the authority's details: letterhead.authority_name, .postal_address, .request_email, .signature, .contact, .base_url, "
    ".write_to (the e-mail and postal address on one line)",
}
_FILTER_HELP = {
    "| date": "a date in words: 6 December 2026",
    "| weekday_date": "a date with its day: Sunday 6 December 2026",
    "| money": "an amount in pounds: £25.00",
    "| phrase": "a label to follow a colon mid-sentence: 'By e-mail' prints as 'by e-mail'",
}

# what `check_text` can verify without rendering: the attributes of the objects every text gets
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "letterhead": frozenset({*(f.name for f in fields(Letterhead)), "write_to"}),
    "law": frozenset(f.name for f in fields(Law)),
    "law.commissioner": frozenset(f.name for f in fields(Commissioner)),
}


def _names() -> tuple[str, ...]:
    return (*_FACT_HELP, *(name for name in _EXTRA_HELP if "." not in name))


def template_fields() -> list[tuple[str, str]]:
    """Every name a notice's text can use, with what it is, for the admin page's help."""
    return [*_FACT_HELP.items(), *_EXTRA_HELP.items(), *_FILTER_HELP.items()]


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: in a name they can make a notice display text in another order than
it holds (a "Trojan Source" name), so they never reach one."""


def _without_bidi_controls(value: Any) -> Any:
    if isinstance(value, str):
        return _BIDI_CONTROLS.sub("", value)
    if isinstance(value, tuple):
        return tuple(_without_bidi_controls(item) for item in value)
    return value


def _context(kind: NoticeKind, facts: CaseFacts, letterhead: Letterhead) -> dict[str, Any]:
    context: dict[str, Any] = {f.name: _without_bidi_controls(getattr(facts, f.name)) for f in fields(CaseFacts)}
    views = exemption_views(tuple(context["exemptions"]))
    context.update(
        regime=facts.regime.value,
        exemptions=views,
        qualified_exemptions=tuple(view for view in views if view.qualified),
        absolute_exemptions=tuple(view for view in views if view.absolute),
        outcome_label=_label(Outcome, facts.outcome),
        review_outcome_label=_label(ReviewOutcome, facts.review_outcome),
        kind=kind.value,
        law=law_for(facts.regime),
        letterhead=letterhead,
    )
    return context


def _label(enum: type[Outcome] | type[ReviewOutcome], value: str | None) -> str:
    if value is None:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return str(value)


# -- rendering ----------------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _tidy_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"


def _tidy_subject(text: str) -> str:
    # one line, whatever a field held: a subject with a line break would be a header injection
    return " ".join(_CONTROL.sub(" ", text).split())


def render_notice(kind: NoticeKind, text: NoticeText, facts: CaseFacts, letterhead: Letterhead) -> Notice:
    """The notice `text` drafts for this case. Raises NoticeTextError when the text cannot be drafted."""
    context = _context(kind, facts, letterhead)
    subject = _tidy_subject(_render("subject", text.subject, context))
    body = _tidy_body(_render("body", text.body, context))
    return Notice(kind=kind, subject=subject, body=body)


def _render(field_name: str, source: str, context: dict[str, Any]) -> str:
    try:
        template = _compile(source)
    except TemplateSyntaxError as error:
        raise NoticeTextError(field_name, _syntax_words(error)) from None
    except _TooCostly as problem:
        raise NoticeTextError(field_name, str(problem)) from None
    try:
        return str(template.render(context))
    except Exception as error:  # any failure of an admin's text is reported, never a 500
        raise NoticeTextError(field_name, _render_words(error)) from None


def _syntax_words(error: TemplateSyntaxError) -> str:
    return f"line {error.lineno}: this cannot be read as a notice text ({error.message})"


def _template_line(traceback: TracebackType | None) -> int | None:
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']*)'")


def _render_words(error: Exception) -> str:
    line = _template_line(error.__traceback__)
    where = f"line {line}: " if line is not None else ""
    if isinstance(error, SecurityError):
        return f"{where}this is not allowed in a notice ({error})"
    if isinstance(error, UndefinedError):
        message = str(error.message or "")
        missing = _NO_ATTRIBUTE.search(message)
        if missing:
            return f"{where}'{missing.group(1)}' is not a field you can use there"
        undefined = re.match(r"'([^']*)' is undefined", message)
        if undefined:
            return _unknown_name_words(undefined.group(1), line)
        return f"{where}{message}"
    return f"{where}this cannot be worked out ({error})"


def _unknown_name_words(name: str, line: int | None) -> str:
    where = f"line {line}: " if line is not None else ""
    names = _names()
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{where}'{name}' is not a field you can use{hint}; the fields are {', '.join(names)}"


# -- checking an admin's text ----------------------------------------------------------------------


def check_text(kind: NoticeKind, text: NoticeText) -> dict[str, str]:
    """Every problem with an edited text, by field ("subject", "body"), in words an admin knows;
    {} when the text drafts a notice for every regime and outcome of the sample cases."""
    from app.domain.notices.samples import sample_cases  # the samples render with this module

    problems: dict[str, list[str]] = {}
    for field_name, source in (("subject", text.subject), ("body", text.body)):
        if not source.strip():
            problems.setdefault(field_name, []).append(f"the {field_name} is empty")
            continue
        static = _static_problems(source)
        if static:
            problems[field_name] = static
            continue
        letterhead = _SAMPLE_LETTERHEAD
        for facts in sample_cases(kind):
            try:
                rendered = _render(field_name, source, _context(kind, facts, letterhead))
            except NoticeTextError as error:
                _add(problems, field_name, error.message)
                continue
            if field_name == "subject" and not _tidy_subject(rendered):
                _add(problems, field_name, "the subject comes out empty for the sample case")
    return {field_name: "; ".join(messages[:3]) for field_name, messages in problems.items() if messages}


def _add(problems: dict[str, list[str]], field_name: str, message: str) -> None:
    messages = problems.setdefault(field_name, [])
    if message not in messages:
        messages.append(message)


def _static_problems(source: str) -> list[str]:
    """What can be found without rendering: syntax, unknown names, unknown fields of letterhead and law."""
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as error:
        return [_syntax_words(error)]
    costly = _costly(tree)
    if costly:
        return costly
    known = set(_names()) | set(_ENV.globals)
    try:
        unknown = meta.find_undeclared_variables(tree) - known
    except TemplateSyntaxError as error:  # an unknown filter or test ("| dat"), found only when compiled
        return [_syntax_words(error)]
    problems = []
    for name in sorted(unknown, key=lambda n: _first_line(tree, n)):
        problems.append(_unknown_name_words(name, _first_line(tree, name)))
    for node in tree.find_all(nodes.Getattr):
        path = _dotted(node.node)
        if path in _ATTRIBUTES and node.attr not in _ATTRIBUTES[path]:
            allowed = ", ".join(sorted(_ATTRIBUTES[path]))
            problems.append(f"line {node.lineno}: '{node.attr}' is not a field of {path}; its fields are {allowed}")
    return problems


def _first_line(tree: nodes.Template, name: str) -> int:
    lines = [node.lineno for node in tree.find_all(nodes.Name) if node.name == name and node.ctx == "load"]
    return min(lines, default=0)


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        parent = _dotted(node.node)
        return f"{parent}.{node.attr}" if parent else None
    return None


_SAMPLE_LETTERHEAD = Letterhead(
    authority_name="Borsetshire County Council",
    postal_address="Information Governance Team\nCounty Hall\nFelpersham\nBS1 1AA",
    request_email="foi@borsetshire.example",
    signature="Information Governance Team",
    contact="Telephone 01632 960 000 (Monday to Friday, 9am to 5pm)",
    base_url="https://foi.borsetshire.example",
)


def sample_letterhead() -> Letterhead:
    """A fictional authority's letterhead, for previews."""
    return _SAMPLE_LETTERHEAD
