"""Removes the requester's personal data from text before it is published.

Only forms that identify the person are matched: the full name (with or without a title, across
line breaks, as "J. Smith", as "Ms Smith"), the email address and a distinctive local part of
it, the address, its lines and its postcode. A surname alone is never matched: too many are
ordinary words ("Hill", "Wood", "Field"). An officer still reviews the text; find_personal_data
is there to warn when something identifying is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

REDACTED = "[redacted]"

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor")
# Mailbox names that many people share, so matching them alone would hide other people's words.
COMMON_LOCAL_PARTS = frozenset(
    """
    info admin enquiries enquiry contact mail email office hello help support sales accounts
    finance team reception post general foi webmaster postmaster noreply no-reply service
    services home work test user
    """.split()
)
MIN_ADDRESS_LINE_LENGTH = 6
MIN_LOCAL_PART_LENGTH = 4
_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_TITLE = r"(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?"
# A text is re-scanned after redaction because a replacement can bring two fragments together
# (e.g. "] x" around "[redacted]"); real data settles in one pass, this only bounds odd data.
_MAX_PASSES = 5


@dataclass(frozen=True)
class PersonalData:
    name: str | None
    email: str | None
    address: str | None


def _literal(text: str) -> str:
    """The text as a pattern: metacharacters escaped, any whitespace run matching any other."""
    return r"\s+".join(re.escape(part) for part in text.split())


def _is_word_char(char: str) -> bool:
    return re.match(r"\w", char) is not None


def _bounded(pattern: str, starts_with_word: bool, ends_with_word: bool) -> str:
    # Only the ends that are word characters are guarded, so "Ann" never matches inside "Annual"
    # while data such as "(Ltd)" still matches next to a letter.
    return (r"(?<!\w)" if starts_with_word else "") + pattern + (r"(?!\w)" if ends_with_word else "")


def _exact(text: str) -> str:
    return _bounded(_literal(text), _is_word_char(text[0]), _is_word_char(text[-1]))


def _name_patterns(name: str) -> list[str]:
    words = name.split()
    patterns = [_exact(name)]
    while len(words) > 1 and re.fullmatch(_TITLE, words[0], re.IGNORECASE):
        words = words[1:]
    if len(words) < 2:
        return patterns  # a lone word would be the surname alone
    given, surname = words[:-1], words[-1]
    given_starts_with_word = _is_word_char(given[0][0])
    optional_title = rf"(?:{_TITLE}\s+)?"

    def before_surname(start: str, starts_with_word: bool) -> str:
        return _bounded(start + re.escape(surname), starts_with_word, _is_word_char(surname[-1]))

    given_names = "".join(re.escape(word) + r"\s+" for word in given)
    patterns.append(before_surname(optional_title + given_names, given_starts_with_word))
    patterns.append(before_surname(_TITLE + r"\s+", True))  # "Dear Ms Smith"
    if len(given) > 1:  # "Jane Smith" for Jane Ann Smith
        patterns.append(before_surname(optional_title + re.escape(given[0]) + r"\s+", given_starts_with_word))
    if all(word[0].isalpha() for word in given):
        # Initials must be capitals: case-blind, "A Lee" would also be "a lee" in any sentence.
        capitals = [rf"(?-i:{re.escape(word[0].upper())})" for word in given]
        initial_then_gap = r"(?:\.\s*|\s+)"
        patterns.append(before_surname(optional_title + capitals[0] + initial_then_gap, True))  # J. Smith
        if len(capitals) > 1:
            all_initials = "".join(capital + initial_then_gap for capital in capitals)
            patterns.append(before_surname(optional_title + all_initials, True))  # J. A. Smith
            patterns.append(before_surname(optional_title + "".join(capitals) + r"\s+", True))  # JA Smith
    return patterns


def _email_patterns(email: str, name: str | None) -> list[str]:
    patterns = [_exact(email)]
    local_part = email.rpartition("@")[0].strip()
    name_words = {word.lower() for word in (name or "").split()}
    if (
        len(local_part) >= MIN_LOCAL_PART_LENGTH
        and any(char.isalpha() for char in local_part)
        and local_part.lower() not in COMMON_LOCAL_PARTS
        and local_part.lower() not in name_words  # "wood@…" alone is the surname alone
    ):
        patterns.append(_exact(local_part))
    return patterns


def _address_patterns(address: str) -> list[str]:
    parts = [part.strip() for part in re.split(r"[\r\n,]+", address) if part.strip()]
    if not parts:
        return []
    # The whole address however it is laid out in the text: on one line, with commas, or not.
    whole = r"[\s,]+".join(_literal(part) for part in parts)
    patterns = [_bounded(whole, _is_word_char(parts[0][0]), _is_word_char(parts[-1][-1]))]
    patterns += [_exact(part) for part in parts if len(part) >= MIN_ADDRESS_LINE_LENGTH]
    for outward, inward in _UK_POSTCODE.findall(address):
        patterns.append(rf"\b{re.escape(outward)}\s*{re.escape(inward)}\b")
    return patterns


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@lru_cache(maxsize=256)
def _patterns_by_kind(person: PersonalData) -> dict[str, tuple[re.Pattern[str], ...]]:
    name, email, address = _clean(person.name), _clean(person.email), _clean(person.address)
    sources = {
        "name": _name_patterns(name) if name else [],
        "email": _email_patterns(email, name) if email else [],
        "address": _address_patterns(address) if address else [],
    }
    return {kind: tuple(re.compile(p, re.IGNORECASE) for p in patterns) for kind, patterns in sources.items()}


def _matched_spans(text: str, patterns: list[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Every match of every pattern, overlapping or touching ones merged into one span."""
    spans = sorted(match.span() for pattern in patterns for match in pattern.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def redact(text: str | None, person: PersonalData) -> str:
    """The text with each stretch of the person's data replaced by a single REDACTED."""
    text = text or ""
    patterns = [pattern for group in _patterns_by_kind(person).values() for pattern in group]
    if not patterns:
        return text
    # Merging the spans of all forms makes a full address (or name next to email) one REDACTED,
    # rather than leaving fragments that a shorter pattern did not cover.
    for _ in range(_MAX_PASSES):
        spans = _matched_spans(text, patterns)
        if not spans:
            break
        pieces, position = [], 0
        for start, end in spans:
            pieces += [text[position:start], REDACTED]
            position = end
        pieces.append(text[position:])
        text = "".join(pieces)
    return text


def find_personal_data(text: str | None, person: PersonalData) -> list[str]:
    """Which kinds of the person's data ("name", "email", "address") appear in the text."""
    if not text:
        return []
    return [
        kind
        for kind, patterns in _patterns_by_kind(person).items()
        if any(pattern.search(text) for pattern in patterns)
    ]
