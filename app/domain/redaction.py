"""Finds personal data in text that will be published, and removes what surely identifies someone.

`scan` sorts what it finds in two:

- redactions, removed without asking: the requester's full name in any order and form (with a
  title, middle names or initials, "Surname, Given", any case, across line breaks), their given
  name in a greeting or sign-off ("Dear Jane", "Regards,\nJane"), their e-mail address and its
  distinctive local part, their address and its lines; and anyone's e-mail address, phone number,
  UK postcode or National Insurance number.
- suspicions, left for an officer to decide, where matching everything would hide ordinary words:
  the surname or given name alone ("Hill"), other people's names near the requester's or sharing
  their surname, names with a title, street addresses, and numbers that look like an account,
  case or vehicle number.

Finding kinds: "name", "given_name", "email", "phone", "address", "postcode", "ni_number"
(redactions); "surname", "given_name_alone", "other_name", "street_address", "address_place", "number"
(suspicions).

A requester's patterns are compiled once (cached), and only once their name may be in a text. Each
search runs only where it can match: number patterns near digits, greetings after their words,
names around the words of the name; libphonenumber only where a number is written as dialled.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers

from app.domain.regimes import Regime

REDACTED = "[redacted]"

TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Professor",
    "Sir",
    "Dame",
    "Rev",
    "Revd",
    "Reverend",
    "Cllr",
    "Councillor",
    "Lord",
    "Lady",
)
# Mailbox names that many people share, so matching them alone would hide other people's words.
COMMON_LOCAL_PARTS = frozenset(
    [
        "info",
        "admin",
        "enquiries",
        "enquiry",
        "contact",
        "mail",
        "email",
        "office",
        "hello",
        "help",
        "support",
        "sales",
        "accounts",
        "finance",
        "team",
        "reception",
        "post",
        "general",
        "foi",
        "webmaster",
        "postmaster",
        "noreply",
        "no-reply",
        "service",
        "services",
        "home",
        "work",
        "test",
        "user",
    ]
)
MIN_ADDRESS_LINE_LENGTH = 6
MIN_LOCAL_PART_LENGTH = 4
# A text is re-scanned after redaction because a replacement can bring two fragments together
# (e.g. "] x" around "[redacted]"); real data settles in one pass, this only bounds odd data.
_MAX_PASSES = 5


@dataclass(frozen=True)
class PersonalData:
    name: str | None
    email: str | None
    address: str | None


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Scan:
    redactions: tuple[Finding, ...]  # removed automatically, merged and non-overlapping, in order
    suspicions: tuple[Finding, ...]  # for an officer to decide; never overlapping a redaction


# ---------------------------------------------------------------- character classes

# Capitals and small letters, short enough to compile quickly for every requester: Latin-1 exactly,
# and Latin Extended-A/B (where the cases alternate) counted as both.
_UP = "A-ZÀ-ÖØ-ÞĀ-ɏ"
_LO = "a-zß-öø-ÿĀ-ɏ"
_APOSTROPHES = "'’‘ʼ`"
_HYPHENS = "‐‑–—-"  # the ASCII hyphen last: literal at the end of a character class


_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _fold(text: str) -> str:
    """The text without accents ("Siân" -> "Sian"), for quick tests of presence."""
    if text.isascii():
        return text
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


# A capitalised word as names are written: "Okafor", "O'Brien", "McDonald", "Smith-Jones", "PATEL".
_NAME_WORD = (
    rf"(?:[{_UP}](?:[{_LO}]+(?:[{_UP}][{_LO}]+)?|[{_APOSTROPHES}][{_UP}][{_LO}]+)"
    rf"(?:[{_HYPHENS}][{_UP}][{_LO}]+)*|[{_UP}]{{2,}}(?:[{_APOSTROPHES}{_HYPHENS}][{_UP}]{{2,}})?)(?!\w)"
)
# Any word of letters, as names may be written in any case ("Quentin", "O'Neil", "Smith-Jones").
_ANY_WORD = rf"[^\W\d_]+(?:[{_APOSTROPHES}{_HYPHENS}][^\W\d_]+)*"
_TITLE = r"(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?"
_CASED_TITLE = r"(?-i:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?"

# Capitalised words that are not people's names, where a name is looked for after a greeting, a
# title or "and": headings, months, the council's own words, street types.
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "our",
        "your",
        "my",
        "his",
        "her",
        "their",
        "its",
        "we",
        "you",
        "i",
        "he",
        "she",
        "they",
        "it",
        "me",
        "us",
        "them",
        "dear",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "regards",
        "kind",
        "best",
        "yours",
        "sincerely",
        "faithfully",
        "many",
        "all",
        "team",
        "teams",
        "sir",
        "sirs",
        "madam",
        "madame",
        "colleague",
        "colleagues",
        "everyone",
        "everybody",
        "there",
        "again",
        "both",
        "folks",
        "friends",
        "council",
        "councils",
        "department",
        "departments",
        "information",
        "governance",
        "freedom",
        "foi",
        "eir",
        "foisa",
        "data",
        "protection",
        "officer",
        "officers",
        "manager",
        "managers",
        "services",
        "service",
        "unit",
        "office",
        "customer",
        "customers",
        "legal",
        "corporate",
        "records",
        "compliance",
        "request",
        "requests",
        "requester",
        "applicant",
        "borough",
        "city",
        "county",
        "district",
        "parish",
        "town",
        "village",
        "metropolitan",
        "authority",
        "authorities",
        "trust",
        "trusts",
        "nhs",
        "police",
        "school",
        "schools",
        "academy",
        "college",
        "university",
        "highways",
        "parking",
        "planning",
        "housing",
        "finance",
        "education",
        "environmental",
        "environment",
        "waste",
        "social",
        "care",
        "adult",
        "adults",
        "children",
        "health",
        "public",
        "access",
        "transport",
        "roads",
        "road",
        "street",
        "lane",
        "avenue",
        "close",
        "drive",
        "way",
        "crescent",
        "place",
        "court",
        "gardens",
        "grove",
        "terrace",
        "hill",
        "row",
        "square",
        "walk",
        "mews",
        "park",
        "view",
        "rise",
        "green",
        "parade",
        "vale",
        "gate",
        "mount",
        "centre",
        "center",
        "depot",
        "library",
        "hall",
        "house",
        "building",
        "estate",
        "ward",
        "wards",
        "board",
        "committee",
        "cabinet",
        "panel",
        "group",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "re",
        "fw",
        "fwd",
        "subject",
        "from",
        "to",
        "cc",
        "bcc",
        "sent",
        "date",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "with",
        "as",
        "by",
        "of",
        "if",
        "when",
        "please",
        "following",
        "further",
        "under",
        "section",
        "sections",
        "regulation",
        "regulations",
        "act",
        "acts",
        "schedule",
        "part",
        "uk",
        "gb",
        "england",
        "scotland",
        "wales",
        "britain",
        "united",
        "kingdom",
        "ireland",
        "northern",
        "commissioner",
        "ico",
        "tribunal",
        "court",
        "government",
        "ministry",
        "minister",
        "mp",
        "secretary",
        "state",
        "director",
        "head",
        "chief",
        "senior",
        "assistant",
        "deputy",
        "executive",
        "lead",
        "coordinator",
        "advisor",
        "adviser",
        "clerk",
        "support",
        "enquiries",
        "enquiry",
        "mailbox",
        "helpdesk",
        "desk",
        "internal",
        "review",
        "appeal",
        "appeals",
        "complaint",
        "complaints",
        "response",
        "reply",
        "yes",
        "no",
        "not",
        "none",
        "nil",
        "n/a",
        "tbc",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "rev",
        "revd",
        "reverend",
        "cllr",
        "councillor",
        "lord",
        "lady",
        "then",
        "when",
        "so",
        "also",
        "because",
        "after",
        "before",
        "since",
        "while",
        "why",
        "how",
        "what",
        "who",
        "whom",
        "whose",
        "where",
        "which",
        "whether",
        "however",
        "therefore",
        "meanwhile",
        "today",
        "yesterday",
        "tomorrow",
        "later",
        "now",
        "only",
        "even",
        "just",
        "here",
        "once",
        "although",
        "though",
        "unless",
        "until",
        "about",
        "above",
        "across",
        "against",
        "among",
        "around",
        "behind",
        "below",
        "beside",
        "between",
        "beyond",
        "during",
        "except",
        "inside",
        "near",
        "outside",
        "over",
        "per",
        "through",
        "toward",
        "towards",
        "upon",
        "within",
        "without",
        "every",
        "each",
        "some",
        "any",
        "another",
        "other",
        "such",
        "no",
        "nor",
        "not",
        "mrs",
        "many",
        "much",
        "more",
        "most",
        "few",
        "several",
        "please",
        "thank",
        "mayor",
        "lieutenant",
        "chapel",
        "justice",
        "speaker",
        "chancellor",
        "chair",
        "chairman",
        "chairwoman",
        "leader",
        "member",
        "members",
        "hope",
        "sorry",
        "apologies",
        "regarding",
        "attached",
        "unfortunately",
        "sadly",
        "great",
        "good",
        "happy",
        "ok",
        "okay",
        "yes",
        "further",
    ]
)
# Connecting words in names, without accents: "Anna van der Berg", "José de la Cruz", "Ali bin Hassan",
# "Eilidh Ní Bhriain".
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "dos",
        "das",
        "ter",
        "ten",
        "bin",
        "binti",
        "ibn",
        "al",
        "el",
        "ap",
        "ab",
        "mac",
        "st",
        "st.",
        "o",
        "ni",
        "nic",
        "ui",
    ]
)


def _is_word_char(char: str) -> bool:
    return re.match(r"\w", char) is not None


def _literal(text: str) -> str:
    """The text as a pattern: metacharacters escaped, any whitespace run matching any other."""
    return r"\s+".join(re.escape(part) for part in text.split())


def _bounded(pattern: str, starts_with_word: bool, ends_with_word: bool) -> str:
    # Only the ends that are word characters are guarded, so "Ann" never matches inside "Annual"
    # while data such as "(Ltd)" still matches next to a letter.
    return (r"(?<!\w)" if starts_with_word else "") + pattern + (r"(?!\w)" if ends_with_word else "")


def _exact(text: str) -> str:
    return _bounded(_literal(text), _is_word_char(text[0]), _is_word_char(text[-1]))


def _flexible(word: str) -> str:
    """A name word as people type it: any apostrophe or none, a hyphen or a space ("O'Brien",
    "O’Brien", "OBrien"; "Smith-Jones", "Smith Jones"). Accents are taken off before matching."""
    pieces = []
    for char in word:
        if char in _APOSTROPHES:
            pieces.append(f"[{_APOSTROPHES}]?")
        elif char in _HYPHENS:
            pieces.append(rf"(?:\s*[{_HYPHENS}]\s*|\s+)")
        else:
            pieces.append(re.escape(char))
    return "".join(pieces)


def _alternatives(words: Iterable[str]) -> str:
    return "(?:" + "|".join(_flexible(word) for word in sorted(set(words), key=len, reverse=True)) + ")"


def _cased(text: str) -> bool:
    """Written as a name is: "Hill", "HILL" or "van der Berg", not "hill"."""
    words = text.split()
    return bool(words) and words[-1][:1].isupper()


# ---------------------------------------------------------------- what the finders return


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str
    reason: str


def _spans_of(
    pattern: re.Pattern[str], text: str, group: str | None = None, windows: Sequence[tuple[int, int]] | None = None
) -> Iterator[tuple[int, int, re.Match[str]]]:
    """Every non-empty match (or its group), in the whole text or only in the windows given."""
    seen = -1
    for window_start, window_end in windows if windows is not None else [(0, len(text))]:
        for match in pattern.finditer(text, window_start, window_end):
            start, end = match.span(group) if group else match.span()
            if end > start and match.start() > seen:
                seen = match.start()
                yield start, end, match


# ---------------------------------------------------------------- the requester's name


@dataclass(frozen=True)
class _Name:
    full: str
    givens: tuple[str, ...]  # given names of two characters or more
    initials: tuple[str, ...]  # capitals the given names start with
    surname: str  # may be several words: "van der Berg"; "" when only one word is known
    titled: bool  # the record gave a title: a lone word is then a surname ("Dr Field")


# Letters after a name, and what a record may add in brackets: "Jane Smith OBE", "Smith, Jane (Mrs)".
_POST_NOMINALS = frozenset(
    # not "ma" or "ba": surnames too ("Anna Li Ma")
    [
        "obe",
        "mbe",
        "cbe",
        "kbe",
        "dbe",
        "qc",
        "kc",
        "mp",
        "msp",
        "mla",
        "jp",
        "phd",
        "dphil",
        "bsc",
        "msc",
        "llb",
        "frcs",
        "jr",
        "jnr",
        "sr",
        "snr",
        "ii",
        "iii",
        "iv",
        "esq",
    ]
)


def _parse_name(name: str) -> _Name:
    name = re.sub(r"\([^)]*\)", " ", name)
    words = name.replace(",", " , ").split()
    while len(words) > 2 and words[-1].rstrip(".").lower() in _POST_NOMINALS:
        words.pop()
    name = " ".join(words).replace(" , ", ", ").strip(" ,")
    if "," in name:  # recorded as "Smithers, Jane"
        surname_part, _, given_part = name.partition(",")
        words = given_part.split() + surname_part.split()
        surname_words = surname_part.split()
    else:
        words = name.split()
        surname_words = []
    titled = False
    while len(words) > 1 and re.fullmatch(_TITLE, words[0], re.IGNORECASE):
        words, titled = words[1:], True
    if not surname_words:
        if len(words) < 2:
            return _Name(name, (), (), words[0] if titled and words else "", titled)
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in _PARTICLES:
            cut -= 1
        surname_words = words[cut:]
    givens_all = [word.rstrip(".") for word in words[: len(words) - len(surname_words)]]
    givens_all = [word for word in givens_all if word and not re.fullmatch(_TITLE, word, re.IGNORECASE)]
    givens = tuple(word for word in givens_all if len(word) >= 2 and any(c.isalpha() for c in word))
    initials = tuple(dict.fromkeys(word[0].upper() for word in givens_all if word[0].isalpha() and len(word[0].upper()) == 1))
    surname = " ".join(surname_words)
    if not any(_is_word_char(char) for char in surname):
        surname = ""
    return _Name(name, givens, initials, surname, titled)


_GREETINGS = r"(?:dear|hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|morning)"
_SIGN_OFFS = (
    r"(?:(?:many|with|thanks|thank\s+you)\s+(?:thanks|again|very\s+much)|thanks|thank\s+you|"
    r"(?:kind|kindest|best|warm|warmest|many)\s+regards|regards|best\s+wishes|warm\s+wishes|all\s+the\s+best|"
    r"best|cheers|yours\s+(?:sincerely|faithfully|truly)|yours|sincerely|faithfully|respectfully|signed|"
    r"take\s+care)"
)
_CONTEXT_GAP = r"[\s,:;!.\u2013\u2014-]+"


class _NameFinder:
    """Every form of one person's name in a text: the automatic forms, and the doubtful ones.

    The patterns are built from the name without accents and run on the text without accents
    ("Siân" finds "Sian" and "SIÂN"), which keeps them small: compiled for every requester."""

    def __init__(self, name: str) -> None:
        parsed = _parse_name(_fold(name))
        self.parsed = parsed
        self.exact = _exact(name)  # compiled by `_compiled` only where its clues are in the text
        self.exact_clues = _clues(name)
        # A fragment of each word of the name: where none is in the text, no name pattern runs.
        words = [*parsed.givens, *parsed.surname.split()] or _fold(name).split()
        self.clues = tuple(max(re.findall(r"\w+", word.lower()) or [""], key=len) for word in words)
        self.automatic: list[tuple[re.Pattern[str], str | None, Callable[[str, re.Match[str]], bool] | None, str]] = []
        self.surname_alone: re.Pattern[str] | None = None
        self.given_alone: re.Pattern[str] | None = None
        self.shared_surname: re.Pattern[str] | None = None
        self.own_words = frozenset(word.lower() for word in [*parsed.givens, *parsed.surname.split()])
        self._built = False

    def _build(self) -> None:
        # Compiling takes milliseconds: only once the name may be in a text (a report title of
        # another requester never needs it). Built aside and set last, so that a thread reading
        # meanwhile sees either nothing built or everything.
        if self._built:
            return
        automatic: list[tuple[re.Pattern[str], str | None, Callable[[str, re.Match[str]], bool] | None, str]] = []
        surname_alone = given_alone = shared_surname = None
        parsed = self.parsed
        given = _alternatives(parsed.givens) if parsed.givens else None
        initials = "".join(re.escape(initial) for initial in parsed.initials)
        add = automatic.append
        if parsed.surname and _is_word_char(parsed.surname[0]) and _is_word_char(parsed.surname[-1]):
            surname = r"\s+".join(_flexible(word) for word in parsed.surname.split())
            title = rf"(?:{_TITLE}\s+)?"
            add((re.compile(rf"(?<!\w){_TITLE}\s+{surname}(?!\w)", re.IGNORECASE), None, None, "name"))  # Ms Smith
            any_initial = r"(?-i:[A-Z])(?:\.\s*|\s+)"
            if given:
                # Jane Smithers, Ms Jane Q. Smithers, jane smithers, Jane Ann Smithers
                known = rf"(?:{given}\s+|{any_initial})"
                add((re.compile(rf"(?<!\w){title}{given}\s+{known}{{0,3}}{surname}(?!\w)", re.IGNORECASE), None, None, "name"))
                # Jane Quentin Smithers: a middle name not recorded, but not "Jane Then Smithers"
                middle = rf"(?P<m>(?:{_ANY_WORD}\s+|{any_initial}){{1,3}})"
                add(
                    (
                        re.compile(rf"(?<!\w){title}{given}\s+{middle}{surname}(?!\w)", re.IGNORECASE),
                        None,
                        self._middle_names,
                        "name",
                    )
                )
                # Smithers, Jane; SMITHERS Jane Q.; smithers jane: not the tail of "Jane Smith, Jane Smith"
                add(
                    (
                        re.compile(
                            rf"(?<!\w)(?P<s>{surname})(?:\s*,\s*|\s+)(?:{_TITLE}\s+)?{given}"
                            rf"(?:\s+{given})*(?:\s+(?-i:[A-Z])(?:\.|(?!\w)))?(?!\w)",
                            re.IGNORECASE,
                        ),
                        None,
                        self._starts_a_name,
                        "name",
                    )
                )
            if initials:
                first = rf"(?-i:[{initials}])"
                # J. Smithers, J Smithers, J.Q. Smithers, JQ Smithers: the surname written as a name
                add(
                    (
                        re.compile(rf"(?<!\w){title}{first}(?:\.\s*|\s+)(?:{any_initial}){{0,3}}(?P<s>{surname})(?!\w)", re.IGNORECASE),
                        None,
                        self._surname_cased,
                        "name",
                    )
                )
                add(
                    (
                        re.compile(rf"(?<!\w){title}{first}(?-i:[A-Z]){{1,3}}\s+(?P<s>{surname})(?!\w)", re.IGNORECASE),
                        None,
                        self._surname_cased,
                        "name",
                    )
                )
                # Smithers, J.; SMITHERS J
                add(
                    (
                        re.compile(
                            rf"(?<!\w)(?P<s>{surname})(?P<comma>\s*,)?\s*{first}(?:\.?\s*(?-i:[A-Z]))*(?:\.|(?!\w))",
                            re.IGNORECASE,
                        ),
                        None,
                        self._surname_then_initials,
                        "name",
                    )
                )
            surname_alone = re.compile(rf"(?<!\w){surname}(?!\w)", re.IGNORECASE)
            # "Peter Smithers", "P. Smithers": someone else of the family
            shared_surname = re.compile(
                rf"(?<!\w)(?P<n>{_ANY_WORD}\.?(?:[ \t]+{_ANY_WORD}\.?)?)(?:[ \t]+|(?<=\.))(?P<s>{surname})(?!\w)",
                re.IGNORECASE,
            )
        before = [r"(?-i:[A-Z])(?:\.\s*|\s+)", rf"(?<!\w){_TITLE}\s+"] + ([rf"(?<!\w){given}\s+"] if given else [])
        self._ends_with_given_or_initial = re.compile(rf"(?:{'|'.join(before)})$", re.IGNORECASE).search
        if given:
            # Only the given name goes; "Dear" and "Regards," stay.
            add((re.compile(rf"(?<!\w){_GREETINGS}{_CONTEXT_GAP}(?P<g>{given})(?!\w)", re.IGNORECASE), "g", None, "given_name"))
            add(
                (
                    re.compile(rf"(?<!\w){_SIGN_OFFS}{_CONTEXT_GAP}(?P<g>{given})(?!\w)", re.IGNORECASE),
                    "g",
                    self._signs_off,
                    "given_name",
                )
            )
            add(
                (
                    re.compile(rf"^[ \t>*_~\u2013\u2014-]*(?P<g>{given})[ \t]*[.,!]?[ \t]*\r?$", re.IGNORECASE | re.MULTILINE),
                    "g",
                    self._ends_a_line,
                    "given_name",
                )
            )
            given_alone = re.compile(rf"(?<!\w){given}(?!\w)", re.IGNORECASE)
        self.automatic, self.surname_alone, self.given_alone, self.shared_surname = (automatic, surname_alone, given_alone, shared_surname)
        self._built = True

    def _starts_a_name(self, text: str, match: re.Match[str]) -> bool:
        # In "Jane Smith, Jane Smith" the surname ends the first name: it does not start a second.
        before = text[max(0, match.start() - 40) : match.start()]
        return self._ends_with_given_or_initial(before) is None

    @staticmethod
    def _surname_cased(text: str, match: re.Match[str]) -> bool:
        # "A smith mended it" is not A. Smith.
        return _cased(match.group("s"))

    def _surname_then_initials(self, text: str, match: re.Match[str]) -> bool:
        surname = match.group("s")
        # "Hill A" could be anything; "Hill, A." and "HILL A" are a name in a list.
        return _cased(surname) and (match.group("comma") is not None or surname.isupper()) and self._starts_a_name(text, match)

    @staticmethod
    def _middle_names(text: str, match: re.Match[str]) -> bool:
        words = [word.rstrip(".") for word in match.group("m").split()]
        return all(_cased(word) and word.lower() not in _NOT_NAMES for word in words)

    @staticmethod
    def _ends_a_line(text: str, match: re.Match[str]) -> bool:
        # Searched in a window of the text, "$" also matches where the window ends.
        return match.end() == len(text) or text[match.end()] in "\r\n"

    @staticmethod
    def _signs_off(text: str, match: re.Match[str]) -> bool:
        # "Thanks, will do" is a sentence, not a sign-off by Will.
        given = match.group("g")
        return _cased(given) or re.match(r"[ \t]+[a-z]", text[match.end("g") :]) is None

    def present(self, scanned: _Text) -> bool:
        return any(not clue or clue in scanned.folded for clue in self.clues)

    def redactions(self, scanned: _Text) -> Iterator[_Found]:
        if scanned.may_hold(self.exact_clues):
            for start, end, _ in _spans_of(_compiled(self.exact), scanned.text):
                yield _Found(start, end, "name", "the requester's name")
        if not self.present(scanned):
            return
        self._build()
        text, windows = scanned.accentless, scanned.around(self.clues)
        for pattern, group, keep, kind in self.automatic:
            for start, end, match in _spans_of(pattern, text, group, windows):
                if keep is None or keep(text, match):
                    reason = "the requester's name" if kind == "name" else "the requester's given name in a greeting or sign-off"
                    yield _Found(*scanned.original(start, end), kind, reason)

    def suspicions(self, scanned: _Text) -> Iterator[_Found]:
        if not self.present(scanned):
            return
        self._build()
        text, windows = scanned.accentless, scanned.around(self.clues)
        if self.surname_alone is not None:
            for start, end, match in _spans_of(self.surname_alone, text, None, windows):
                if _cased(match.group()):
                    yield _Found(*scanned.original(start, end), "surname", "the requester's surname on its own: is it them?")
        if self.given_alone is not None:
            for start, end, match in _spans_of(self.given_alone, text, None, windows):
                if _cased(match.group()):
                    reason = "the requester's given name on its own: is it them?"
                    yield _Found(*scanned.original(start, end), "given_name_alone", reason)
        if self.shared_surname is not None:
            for _, end, match in _spans_of(self.shared_surname, text, None, windows):
                words = match.group("n").split()
                others = 0  # the words just before the surname that name someone else
                while others < len(words) and self._someone_else(words[-1 - others]):
                    others += 1
                if others and _cased(match.group("s")):
                    # "sent Peter Smithers", "Jane Peter Smithers": only "Peter Smithers"
                    start = match.start("n") + match.group("n").rindex(words[-others])
                    reason = "a personal name sharing the requester's surname: a relative?"
                    yield _Found(*scanned.original(start, end), "other_name", reason)

    def _someone_else(self, word: str) -> bool:
        if not _cased(word):
            return False
        bare = word.rstrip(".").lower()
        if bare in _NOT_NAMES or bare in self.own_words:
            return False
        return not (len(bare) == 1 and bare.upper() in self.parsed.initials)


# ---------------------------------------------------------------- the requester's e-mail and address


def _email_patterns(email: str, name: str | None) -> list[tuple[str, str]]:
    patterns = [(_exact(email), email)]
    local_part = email.rpartition("@")[0].strip()
    name_words = {word.lower() for word in (name or "").split()}
    if (
        len(local_part) >= MIN_LOCAL_PART_LENGTH
        and any(char.isalpha() for char in local_part)
        and local_part.lower() not in COMMON_LOCAL_PARTS
        and local_part.lower() not in name_words  # "wood@…" alone is the surname alone
    ):
        patterns.append((_exact(local_part), local_part))
    return patterns


_UK_POSTCODE_PARTS = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


def _identifying_lines(parts: list[str]) -> list[str]:
    """The lines of an address that point at a home: the first (house and street) and any with a
    number in it. A town or county alone ("Bradford") names a place where thousands live, and the
    authority's own name may hold it ("Bradford Council"): those are suspicions, not redactions."""
    return [part for index, part in enumerate(parts) if index == 0 or any(char.isdigit() for char in part)]


def _place_patterns(address: str) -> list[tuple[str, str]]:
    parts = [part.strip() for part in re.split(r"[\r\n,]+", address) if part.strip()]
    identifying = set(_identifying_lines(parts))
    return [(_exact(part), part) for part in parts if part not in identifying and len(part) >= MIN_ADDRESS_LINE_LENGTH]


def _address_patterns(address: str) -> list[tuple[str, str]]:
    parts = [part.strip() for part in re.split(r"[\r\n,]+", address) if part.strip()]
    if not parts:
        return []
    # The whole address however it is laid out in the text: on one line, with commas, or not.
    whole = r"[\s,]+".join(_literal(part) for part in parts)
    patterns = [(_bounded(whole, _is_word_char(parts[0][0]), _is_word_char(parts[-1][-1])), " ".join(parts))]
    patterns += [(_exact(part), part) for part in _identifying_lines(parts) if len(part) >= MIN_ADDRESS_LINE_LENGTH]
    for outward, inward in _UK_POSTCODE_PARTS.findall(address):
        patterns.append((rf"\b{re.escape(outward)}\s*{re.escape(inward)}\b", f"{outward} {inward}"))
    return patterns


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _clues(literal: str) -> tuple[str, ...] | None:
    """Lowercase fragments every match of an ASCII literal's pattern contains; None: no shortcut."""
    if not literal.isascii():
        return None
    return tuple(run.lower() for run in re.findall(r"\w+", literal)) or None


def _accentless(text: str) -> tuple[str, list[int] | None]:
    """The text without accents, and where each of its characters comes from when the lengths
    differ (a decomposed "e\u0301", a ligature "ﬁ")."""
    folded = _fold(text)
    if len(folded) == len(text):
        return folded, None
    pieces, origin = [], []
    for index, char in enumerate(text):
        piece = _fold(char)
        pieces.append(piece)
        origin += [index] * len(piece)
    return "".join(pieces), origin


_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_TWO_DIGITS = re.compile(r"\d\d")
_FOUR_DIGITS = re.compile(r"\d{4}")
_FIVE_DIGITS = re.compile(r"\d{5}")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_SIX_DIGITS_IN_PAIRS = re.compile(r"\d\d[ \t-]?\d\d[ \t-]?\d\d")


class _Text:
    """A text being scanned, with what several searches share: its lowercase and accent-free
    forms, and the stretches around its digits (where every number pattern must match)."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        # str.find on the lowercase text is far quicker than a regular expression over it, but
        # only usable where lowering keeps every offset ("İ" becomes two characters).
        self.lowered = lowered if len(lowered) == len(text) else None
        # Case-blind, an ASCII letter matches only its two cases, except these four (Python's re).
        self.plain = self.lowered is not None and not any(char in text for char in "İıſ\u212a")
        self.has_digit = bool(_DIGIT.search(text))
        self._accentless: tuple[str, list[int] | None] | None = None
        self._folded: str | None = None
        self._windows: dict[tuple[re.Pattern[str], int], list[tuple[int, int]]] = {}

    @property
    def accentless(self) -> str:
        """The text without accents, where the names are looked for."""
        if self._accentless is None:
            self._accentless = _accentless(self.text)
        return self._accentless[0]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the text of a stretch of the accentless text."""
        origin = self._accentless[1] if self._accentless else None
        return (start, end) if origin is None else (origin[start], origin[end - 1] + 1)

    @property
    def folded(self) -> str:
        """The accentless text in small letters, for quick tests of presence."""
        if self._folded is None:
            self._folded = self.lowered if self.text.isascii() and self.lowered is not None else self.accentless.lower()
        return self._folded

    def may_hold(self, clues: tuple[str, ...] | None) -> bool:
        """False when an ASCII literal's pattern cannot match: a fragment of it is missing."""
        return clues is None or not self.plain or all(clue in self.lowered for clue in clues)  # type: ignore[operator]

    def around(self, clues: Sequence[str], margin: int = 70) -> list[tuple[int, int]] | None:
        """Stretches of the text around each place a clue (a folded name word) is found; None where
        the folded text's offsets are not the text's, or a clue is empty: search all of it."""
        folded = self.folded
        if len(folded) != len(self.accentless) or not all(clues):
            return None
        text, windows = self.accentless, []
        for clue in clues:
            at = folded.find(clue)
            while at != -1:
                windows.append([max(0, at - margin), min(len(text), at + len(clue) + margin)])
                at = folded.find(clue, at + 1)
        windows.sort()
        merged: list[list[int]] = []
        for window in windows:
            if merged and window[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], window[1])
            else:
                merged.append(window)
        for window in merged:
            while window[0] > 0 and not text[window[0] - 1].isspace():
                window[0] -= 1
            while window[1] < len(text) and not text[window[1]].isspace():
                window[1] += 1
        return [(start, end) for start, end in merged]

    def windows(self, trigger: re.Pattern[str] = _DIGITS, reach: int = 12) -> list[tuple[int, int]]:
        """Stretches around each match of the trigger (some digits), from 12 characters before it
        to `reach` characters after (a street's name), cut at whitespace so that no word is split."""
        key = (trigger, reach)
        if key not in self._windows:
            text, windows = self.text, list[list[int]]()
            for match in trigger.finditer(text):
                start, end = max(0, match.start() - 12), min(len(text), match.end() + reach)
                if windows and start <= windows[-1][1] + 20:  # fewer, longer windows search faster
                    windows[-1][1] = end
                else:
                    windows.append([start, end])
            for window in windows:
                while window[0] > 0 and not text[window[0] - 1].isspace():
                    window[0] -= 1
                while window[1] < len(text) and not text[window[1]].isspace():
                    window[1] += 1
            self._windows[key] = [(start, end) for start, end in windows]
        return self._windows[key]

    def near_digits(
        self, pattern: re.Pattern[str], group: str | None = None, trigger: re.Pattern[str] = _DIGITS, reach: int = 12
    ) -> Iterator[tuple[int, int, re.Match[str]]]:
        """Matches of a pattern that holds the trigger's digits at most 12 characters from its start:
        a regular expression is slow over a whole text, quick over the few stretches it can match."""
        seen = -1
        for window_start, window_end in self.windows(trigger, reach):
            for match in pattern.finditer(self.text, window_start, window_end):
                start, end = match.span(group) if group else match.span()
                if end > start and match.start() > seen:
                    seen = match.start()
                    yield start, end, match

    def after_words(
        self, words: Iterable[str], pattern: re.Pattern[str], group: str | None = None, *, cased: bool = False
    ) -> Iterator[tuple[int, int, re.Match[str]]]:
        """Matches of a pattern that starts with one of the words, tried only where a word starts."""
        haystack = self.text if cased else self.lowered
        if haystack is None:
            yield from _spans_of(pattern, self.text, group)
            return
        starts: set[int] = set()
        for word in words:
            at = haystack.find(word)
            while at != -1:
                if at == 0 or not (haystack[at - 1].isalnum() or haystack[at - 1] == "_"):
                    starts.add(at)
                at = haystack.find(word, at + 1)
        for at in sorted(starts):
            match = pattern.match(self.text, at)
            if match:
                start, end = match.span(group) if group else match.span()
                if end > start:
                    yield start, end, match


# a pattern's source with the fragments of its data that any match must contain (None: no fragments)
_Clued = tuple[tuple[str, tuple[str, ...] | None], ...]


@dataclass(frozen=True)
class _Person:
    names: _NameFinder | None
    emails: _Clued
    addresses: _Clued
    places: _Clued = ()

    def redactions(self, scanned: _Text) -> Iterator[tuple[str, _Found]]:
        """(which of the person's data, what was found)."""
        if self.names is not None:
            for found in self.names.redactions(scanned):
                yield "name", found
        for patterns, kind, reason in (
            (self.emails, "email", "the requester's e-mail address"),
            (self.addresses, "address", "the requester's address"),
        ):
            for pattern, clues in patterns:
                if scanned.may_hold(clues):
                    for start, end, _ in _spans_of(_compiled(pattern), scanned.text):
                        yield kind, _Found(start, end, kind, reason)

    def suspicions(self, scanned: _Text) -> Iterator[_Found]:
        if self.names is not None:
            yield from self.names.suspicions(scanned)
        for pattern, clues in self.places:
            if scanned.may_hold(clues):
                for start, end, match in _spans_of(_compiled(pattern), scanned.text):
                    if _cased(match.group()):
                        yield _Found(start, end, "address_place", "a place in the requester's address: does it point at them?")


def _with_clues(sources: list[tuple[str, str]]) -> _Clued:
    """Each pattern with the fragments of its data (the `source`) that any match must contain."""
    return tuple((pattern, _clues(source)) for pattern, source in sources)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A requester's pattern, compiled the first time a text may hold what it finds: compiling every
    pattern of every requester up front took nine tenths of a list of 3,000 titles (the overdue CSV)."""
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=256)
def _person(person: PersonalData) -> _Person:
    name, email, address = _clean(person.name), _clean(person.email), _clean(person.address)
    return _Person(
        names=_NameFinder(name) if name else None,
        emails=_with_clues(_email_patterns(email, name) if email else []),
        addresses=_with_clues(_address_patterns(address) if address else []),
        places=_with_clues(_place_patterns(address) if address else []),
    )


def _has_data(person: PersonalData) -> bool:
    # "\n,\n" as an address is no data: nothing of anyone's is then removed, as before
    return any(re.search(r"\w", value or "") for value in (person.name, person.email, person.address))


# ---------------------------------------------------------------- anyone's data

_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"(?<!\w)(?P<o>[A-Za-z]{1,2}\d[A-Za-z\d]?)[ \t]*(?P<i>\d[A-Za-z]{2})(?!\w)")
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)")
_NI_NUMBER = re.compile(r"(?<!\w)(?P<p>[A-Za-z]{2})[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-Da-d](?!\w)")
_SHORT_WORDS = frozenset(["am", "an", "as", "at", "be", "by", "go", "he", "me", "my", "no", "on", "or", "so", "to", "we"])
# Numbers written as dialled: "+…", "0…", "(0…)"; libphonenumber, the slow part, reads only these.
_MAYBE_PHONE = re.compile(r"(?<![\w+])(?:\+|\(?0)(?:[ \t().-]{0,3}\d){8,}")


def _is_postcode(match: re.Match[str]) -> bool:
    outward, inward = match.group("o"), match.group("i")
    letters = re.match(r"[A-Za-z]+", outward).group()  # type: ignore[union-attr]
    if letters[0].upper() in "QVX" or (len(letters) == 2 and letters[1].upper() in "IJZ"):
        return False
    # "p2 2nd" is prose; "b33 8th" is a postcode written small (one with no recorded address to match)
    return not (_ORDINAL.fullmatch(inward) and inward.islower() and len(outward) == 2)


def _is_ni_number(match: re.Match[str]) -> bool:
    prefix, suffix = match.group("p"), match.group()[-1]
    upper = prefix.upper()
    if prefix.islower() and prefix in _SHORT_WORDS and suffix == "a":
        return False  # "at 123456 a year"
    if upper == "QQ":  # HMRC's own example number, used in forms and in tests
        return True
    # HMRC never uses these letters; the prefixes it leaves unallocated (BG, GB, NK, …) are still
    # removed: a number written in this form is meant as someone's NI number.
    return upper[0] not in "DFIQUV" and upper[1] not in "DFIOQUV"


# What must never be flagged as a number: FOI references, dates, money, percentages, statute
# citations ("s.40(2)", "reg 12(5)(e)", "Section 43").
_REFERENCE = r"(?i:\b(?:" + "|".join(regime.reference_prefix for regime in Regime) + r")-\d{4}-\d+)"
_NEVER_NUMBERS = re.compile(
    _REFERENCE + r"|\b\d{1,2}[/.-](?:0?[1-9]|1[0-2])[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d\d/\d\d(?:\d\d)?\b"
    r"|[£$€]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?%"
    r"|(?i:\b(?:s|ss|section|sections|reg|regs|regulation|regulations|para|paragraph|art|article|schedule|sch|rule|part|chapter)"
    r"\.?\s*\d+[A-Za-z]?(?:\(\w+\))*)"
)
# A phone number never overlaps an FOI reference or a date (a statute's "s" may touch one: "Jane's 0791…").
_NEVER_PHONES = re.compile(_REFERENCE + r"|\b\d{1,2}[/.-](?:0?[1-9]|1[0-2])[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_VEHICLE = re.compile(r"(?<!\w)[A-Z]{2}\d{2}[ ]?[A-Z]{3}(?!\w)")
_SORT_CODE = re.compile(r"(?<![\w-])(\d{2})-(\d{2})-(\d{2})(?![\w-])")
_DIGIT_RUN = re.compile(r"\d(?<![\w.,/-]\d)\d{7,}(?![\w%]|[.,/-]\d)")
_CARD_LIKE = re.compile(r"\d(?<![\w.,/-]\d)\d{3}(?:[ -]\d{4}){2,4}(?![\w.,/-])")
_LETTERS_THEN_DIGITS = re.compile(
    r"(?<![\w/-])[A-Za-z]{1,6}[-/]?\d{5,}[A-Za-z]?(?![\w/-])|\d(?<![\w/-]\d)\d{4,}[-/]?[A-Za-z]{1,3}(?![\w/-])"
)
_NUMBER_WORDS = (
    "case",
    "account",
    "acct",
    "a/c",
    "customer",
    "client",
    "claim",
    "policy",
    "invoice",
    "member",
    "tenan",
    "licen",
    "permit",
    "pcn",
    "penalty",
    "ticket",
    "patient",
    "nhs",
    "student",
    "pupil",
    "employee",
    "payroll",
    "staff",
    "council",
    "booking",
    "order",
    "ref",
    "complaint",
    "crime",
    "incident",
    "registration",
    "plate",
)
_NUMBER_AFTER_WORD = re.compile(
    r"(?i:(?:case|account|acct|a/c|customer|client|claim|policy|invoice|membership|member|tenancy|tenant|"
    r"licence|license|permit|pcn|penalty\s+charge\s+notice|ticket|patient|nhs|student|pupil|employee|payroll|"
    r"staff|council\s+tax|booking|order|reference|ref|complaint|crime|incident|registration|plate)\b\.?"
    r"(?:\s+(?:no|number|num|ref|reference|id)\b\.?)?\s*[:#]?\s*)"
    r"(?P<n>[A-Za-z0-9][A-Za-z0-9/-]*\d[A-Za-z0-9/-]*)"
)
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Cres|Place|Pl|Court|Ct|Gardens|Gdns|Grove|"
    "Terrace|Hill|Row|Square|Sq|Walk|Mews|Park|View|Rise|Green|Parade|Vale|Gate|Mount|Boulevard|Wharf|Yard"
)
_STREET_ADDRESS = re.compile(
    rf"(?<!\w)(?:(?:Flat|Apartment|Apt|Unit|Room|Suite)\.?[ \t]+\d+[A-Za-z]?,?[ \t]+)?(?P<no>\d{{1,4}})[A-Za-z]?,?[ \t]+"
    rf"(?:{_NAME_WORD}[ \t]+){{1,3}}(?:{_STREET_TYPES})(?!\w)\.?"
    # and the town written after it on the same line ("12 Acacia Avenue, Llanfarian"): with the street
    # it places a home, and a request that came by e-mail has no recorded address to find the town from
    rf"(?:,[ \t]*{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}(?![\w-]))?"
)
_TITLE_WORDS = ("Mr", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Rev", "Cllr", "Councillor", "Lord", "Lady")
_TITLED_NAME = re.compile(rf"{_CASED_TITLE}[ \t]+(?P<n>(?:(?:{_NAME_WORD}|[{_UP}]\.?)[ \t]+){{0,2}}{_NAME_WORD})")
_RELATIVES = (
    "husband|wife|partner|spouse|son|daughter|mother|father|mum|mom|dad|brother|sister|child|baby|"
    "grandson|granddaughter|grandmother|grandfather|grandma|grandad|granddad|nan|nana|gran|aunt|auntie|uncle|"
    "nephew|niece|cousin|fiancé|fiancée|fiance|fiancee|carer|neighbour|neighbor|friend|stepson|stepdaughter|"
    "stepfather|stepmother|boyfriend|girlfriend|landlord|landlady|tenant|client"
)
_POSSESSIVES = ("my", "our", "his", "her", "their", "your")
_RELATIVE_NAME = re.compile(
    rf"(?i:(?:my|our|his|her|their|your)\s+(?:late\s+|elder\s+|older\s+|younger\s+)?(?:{_RELATIVES})s?)[ \t]*,?[ \t]+"
    rf"(?P<n>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)"
)
_GREETING_WORDS = ("dear", "hi", "hello", "hey", "hiya", "good", "morning")
_GREETED_NAME = re.compile(rf"(?i:{_GREETINGS})[ \t]+(?P<n>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)(?=[ \t]*(?:[,.!:;]|\r?\n|$))")
_SIGN_OFF_WORDS = (
    "many",
    "with",
    "thanks",
    "thank",
    "kind",
    "best",
    "warm",
    "regards",
    "all",
    "cheers",
    "yours",
    "sincerely",
    "faithfully",
    "respectfully",
    "signed",
    "take",
)
_SIGNED_NAME = re.compile(
    rf"(?i:{_SIGN_OFFS})(?:[ \t]*,[ \t]*|[ \t]*[,.!]?[ \t]*\r?\n\s*)"
    rf"(?P<n>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)[ \t]*[.,!]?[ \t]*(?=\r?\n|$)"
)
_NAME_AFTER = re.compile(rf"[ \t]*(?:,|&|\+|\band\b|\bor\b)[ \t]*(?:{_CASED_TITLE}[ \t]+)?(?P<n>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)")
# After a greeting's name a comma starts a sentence ("Hi Jane, Hope you are well"): only "and" joins.
_NAME_JOINED = re.compile(rf"[ \t]*(?:&|\+|\band\b)[ \t]*(?:{_CASED_TITLE}[ \t]+)?(?P<n>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)")
_NAME_BEFORE = re.compile(rf"(?<!\w)(?:{_CASED_TITLE}[ \t]+)?(?P<n>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)[ \t]*(?:&|\+|\band\b)[ \t]*$")


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _is_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _phones(scanned: _Text) -> Iterator[_Found]:
    text = scanned.text
    for _, _, candidate in scanned.near_digits(_MAYBE_PHONE):
        piece_start = max(0, candidate.start() - 2)
        piece = text[piece_start : candidate.end() + 2]
        never = [match.span() for match in _NEVER_PHONES.finditer(piece)]
        for match in phonenumbers.PhoneNumberMatcher(piece, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
            raw = match.raw_string
            digits = sum(char.isdigit() for char in raw)
            # Valid numbers, and any other of ten digits or more written as dialled: Ofcom's 07700 900xxx
            # drama numbers are not allocated, so not "valid", yet look like anyone's mobile.
            dialled = raw[0] in "+0(" and (digits >= 10 or phonenumbers.is_valid_number(match.number))
            if dialled and not _overlaps(match.start, match.end, never):
                yield _Found(piece_start + match.start, piece_start + match.end, "phone", "a phone number")


def _emails(scanned: _Text) -> Iterator[_Found]:
    text, seen = scanned.text, -1
    at = text.find("@")
    while at != -1:
        start, end = max(0, at - 100), min(len(text), at + 260)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        for match in _EMAIL.finditer(text, start, end):
            if match.start() > seen:
                seen = match.start()
                yield _Found(match.start(), match.end(), "email", "an e-mail address")
        at = text.find("@", end)


def _anyones_redactions(scanned: _Text) -> list[_Found]:
    """Anyone's e-mail, phone, postcode and NI number."""
    found = list(_emails(scanned))
    if scanned.has_digit:
        found += _phones(scanned)
        found += [_Found(s, e, "postcode", "a postcode") for s, e, m in scanned.near_digits(_POSTCODE) if _is_postcode(m)]
        found += [
            _Found(s, e, "ni_number", "a National Insurance number")
            for s, e, m in scanned.near_digits(_NI_NUMBER, trigger=_SIX_DIGITS_IN_PAIRS)
            if _is_ni_number(m)
        ]
    return found


def _anyones_suspicions(scanned: _Text) -> Iterator[_Found]:
    if scanned.has_digit:
        yield from _numbers(scanned)
        for start, end, match in scanned.near_digits(_STREET_ADDRESS, reach=60):
            number = match.group("no")
            if not (len(number) == 4 and number[:2] in {"19", "20"}):
                yield _Found(start, end, "street_address", "looks like a street address")
    for start, end, match in scanned.after_words(_TITLE_WORDS, _TITLED_NAME, cased=True):
        if _a_name(match.group("n")):  # not "the Lord Mayor"
            yield _Found(start, end, "other_name", "a person's name with a title")
    for words, pattern, reason in (
        (_POSSESSIVES, _RELATIVE_NAME, "a relative's or another person's name"),
        (_GREETING_WORDS, _GREETED_NAME, "a name in a greeting: whose is it?"),
        (_SIGN_OFF_WORDS, _SIGNED_NAME, "a name in a sign-off: whose is it?"),
    ):
        for start, end, match in scanned.after_words(words, pattern, "n"):
            if _a_name(match.group("n")):
                yield _Found(start, end, "other_name", reason)


def _a_name(words: str) -> bool:
    return all(_fold(word).casefold() not in _NOT_NAMES for word in words.split())


def _numbers(scanned: _Text) -> Iterator[_Found]:
    text = scanned.text
    account = "looks like an account, case or customer number"
    candidates: list[_Found] = []
    for start, end, _ in scanned.near_digits(_VEHICLE, trigger=_TWO_DIGITS):
        candidates.append(_Found(start, end, "number", "looks like a vehicle registration"))
    for start, end, match in scanned.near_digits(_SORT_CODE, trigger=_SIX_DIGITS_IN_PAIRS):
        day, month, year = (int(part) for part in match.groups())
        said = "sort" in text[max(0, start - 20) : start].lower()
        if said or not _is_date(day, month, 2000 + year):
            candidates.append(_Found(start, end, "number", "looks like a bank sort code"))
    for start, end, match in scanned.near_digits(_DIGIT_RUN, trigger=_EIGHT_DIGITS):
        digits = match.group()
        if len(digits) == 8 and digits[:2] in {"19", "20"} and _is_date(int(digits[6:]), int(digits[4:6]), int(digits[:4])):
            continue  # 20240312
        candidates.append(_Found(start, end, "number", "looks like an account or card number"))
    for start, end, match in scanned.near_digits(_CARD_LIKE, trigger=_FOUR_DIGITS):
        groups = re.split(r"[ -]", match.group())
        if not all(group[:2] in {"19", "20"} for group in groups):  # "2023 2024 2025" are years
            candidates.append(_Found(start, end, "number", "looks like an account or card number"))
    for start, end, _ in scanned.near_digits(_LETTERS_THEN_DIGITS, trigger=_FIVE_DIGITS):
        candidates.append(_Found(start, end, "number", account))
    for start, end, match in scanned.after_words(_NUMBER_WORDS, _NUMBER_AFTER_WORD, "n"):
        value = match.group("n")
        digits = sum(char.isdigit() for char in value)
        if digits >= 4 and not re.fullmatch(r"(?:19|20)\d\d", value):
            candidates.append(_Found(start, end, "number", account))
    for found in candidates:
        start, end = max(0, found.start - 30), min(len(text), found.end + 15)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        never = [match.span() for match in _NEVER_NUMBERS.finditer(text, start, end)]
        if not _overlaps(found.start, found.end, never):
            yield found


def _names_next_to(text: str, redactions: Sequence[Finding], own_words: frozenset[str]) -> Iterator[_Found]:
    """Names joined to the requester's: "Jane Smithers and Tom Baker", "Tom Baker & Jane Smithers"."""
    reason = "a personal name next to the requester's name"

    def someone_else(words: str) -> bool:
        return _a_name(words) and not any(_fold(word).casefold() in own_words for word in words.split())

    for finding in redactions:
        if finding.kind not in {"name", "given_name"}:
            continue
        after = (_NAME_AFTER if finding.kind == "name" else _NAME_JOINED).match(text, finding.end)
        if after and someone_else(after.group("n")):
            yield _Found(after.start("n"), after.end("n"), "other_name", reason)
        window_start = max(0, finding.start - 60)
        before = _NAME_BEFORE.search(text[window_start : finding.start])
        if before and someone_else(before.group("n")):
            yield _Found(window_start + before.start("n"), window_start + before.end("n"), "other_name", reason)


# ---------------------------------------------------------------- the interface


def _merge(text: str, found: Iterable[_Found]) -> tuple[Finding, ...]:
    """Overlapping or touching findings as one, named after the first (and longest) of them."""
    merged: list[list] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if merged and item.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], item.end)
        else:
            merged.append([item.start, item.end, item.kind, item.reason])
    return tuple(Finding(start, end, text[start:end], kind, reason) for start, end, kind, reason in merged)


def _automatic(scanned: _Text, people: Sequence[PersonalData]) -> list[_Found]:
    found = _anyones_redactions(scanned)
    for person in people:
        if _has_data(person):
            found += [item for _, item in _person(person).redactions(scanned)]
    return found


def scan(text: str | None, people: Sequence[PersonalData]) -> Scan:
    """What to remove from the text before it is published, and what an officer should look at."""
    text = text or ""
    if not text.strip():
        return Scan((), ())
    scanned = _Text(text)
    redactions = _merge(text, _automatic(scanned, people))
    ends = [finding.end for finding in redactions]  # in order: redactions do not overlap
    doubtful = list(_anyones_suspicions(scanned))
    own_words: frozenset[str] = frozenset()
    for person in people:
        if _has_data(person):
            finder = _person(person)
            doubtful += finder.suspicions(scanned)
            if finder.names is not None:
                own_words |= finder.names.own_words
    doubtful += _names_next_to(text, redactions, own_words)
    suspicions: list[Finding] = []
    # Where two suspicions overlap the first and longest stands for both ("Castle Hill", not "Hill").
    for item in sorted(doubtful, key=lambda f: (f.start, -f.end)):
        first_after = bisect.bisect_right(ends, item.start)  # the first redaction ending after its start
        if first_after < len(redactions) and redactions[first_after].start < item.end:
            continue
        if suspicions and item.start < suspicions[-1].end:
            continue
        suspicions.append(Finding(item.start, item.end, text[item.start : item.end], item.kind, item.reason))
    return Scan(redactions, tuple(suspicions))


def apply_redactions(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each run of overlapping or touching spans replaced by one REDACTED."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, start), min(len(text), end)) for start, end in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position = [], 0
    for start, end in merged:
        pieces += [text[position:start], REDACTED]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def suspicion_id(field: str, finding: Finding) -> str:
    """The same suspicion in the same field keeps its id when the text around it changes."""
    normalised = " ".join(finding.text.casefold().split())
    return hashlib.sha256(f"{field}\x1f{finding.kind}\x1f{normalised}".encode()).hexdigest()[:12]


def redact(text: str | None, person: PersonalData) -> str:
    """The text with the automatic redactions made (the suspicions left as they are).

    A person with no recorded data at all leaves the text unchanged; `scan(text, [])` is the way to
    remove anyone's e-mails, phones, postcodes and NI numbers without a requester."""
    text = text or ""
    if not _has_data(person):
        return text
    for _ in range(_MAX_PASSES):
        found = _automatic(_Text(text), [person]) if text.strip() else []
        if not found:
            break
        text = apply_redactions(text, ((item.start, item.end) for item in found))
    return text


def find_personal_data(text: str | None, person: PersonalData) -> list[str]:
    """Which kinds of the person's own data ("name", "email", "address") appear in the text."""
    if not text or not _has_data(person):
        return []
    kinds = {kind for kind, _ in _person(person).redactions(_Text(text))}
    return [kind for kind in ("name", "email", "address") if kind in kinds]


def may_need_redaction(text: str | None, person: PersonalData) -> bool:
    """A quick test before `redact`, for long lists of titles: False only where `redact` would
    leave the text as it is (no "@", no digit, no word of the person's data)."""
    if not text or not _has_data(person):
        return False
    if "@" in text or _DIGIT.search(text):
        return True
    scanned, found = _Text(text), _person(person)
    if found.names is not None and (found.names.present(scanned) or scanned.may_hold(found.names.exact_clues)):
        return True
    return any(scanned.may_hold(clues) for patterns in (found.emails, found.addresses) for _, clues in patterns)
