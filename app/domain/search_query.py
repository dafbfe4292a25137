"""The public search box's query language, compiled for SQLite FTS5 and PostgreSQL tsquery.

The language is deliberately small: plain words (all must match), "quoted phrases" and
-exclusions (`-word`, `-"a phrase"`). Everything else is text: no input ever raises or reaches
a database as an operator, because every word is quoted in the compiled query and words only
ever contain letters and digits.

Both engines must return the same results, so the words are cut the way both tokenisers cut
ordinary text (at anything that is not a letter or digit), accents are taken off Latin letters
as SQLite's tokeniser does (PostgreSQL is given the folded words), and PostgreSQL's english stop
words are dropped for SQLite as well. Stemming is left to the engines (porter / snowball english).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TERMS = 12
MAX_WORD_LENGTH = 60
MAX_PHRASE_WORDS = 12
# Anything longer is a paste, not a search; parsing only the start keeps the work bounded.
MAX_INPUT_LENGTH = 1000

# PostgreSQL's src/backend/snowball/stopwords/english.stop, all 127 words, in its order.
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)

# Phones turn straight quotes into curly ones, so all of these open and close a phrase.
_QUOTES = '"\u201c\u201d\u201e'
_TERM = re.compile(rf"(?P<minus>(?<!\S)-)?(?:[{_QUOTES}](?P<phrase>[^{_QUOTES}]*)[{_QUOTES}]|(?P<chunk>[^\s{_QUOTES}]+))")


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several words that must appear adjacent and in order."""

    words: tuple[str, ...]
    negated: bool = False
    # The phrase as typed, with the stop words between its words (e.g. "freedom of information"):
    # PostgreSQL does not index stop words but still counts their positions, so the words of
    # such a phrase are not adjacent there; SQLite indexes them. Empty when nothing was dropped.
    phrase_tokens: tuple[str, ...] = ()

    @property
    def spelled(self) -> tuple[str, ...]:
        return self.phrase_tokens or self.words


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)

    @property
    def is_empty(self) -> bool:
        """True when there is no word to look for (there may still be exclusions: `excludes_only`)."""
        return not self.positive

    @property
    def excludes_only(self) -> bool:
        """Exclusions alone (`-parking`): everything that has none of them."""
        return not self.positive and bool(self.negative)

    def highlight_words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(word for term in self.positive for word in term.words))


def tokenize(text: str) -> list[str]:
    """Lowercased runs of letters and digits (a combining mark stays with its letter)."""
    tokens: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        # Superscripts, fractions and emoji (No, S*) are separators: PostgreSQL drops them.
        if category[0] == "L" or category == "Nd" or (category[0] == "M" and current):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return [fold_accents(token.lower())[:MAX_WORD_LENGTH] for token in tokens]


def fold_accents(word: str) -> str:
    """Latin letters without their accents ("café" is "cafe", "Cŵn" is "cwn"), as SQLite's
    unicode61 tokeniser (remove_diacritics 2) indexes them; other scripts keep their marks."""
    if word.isascii():
        return word
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.category(char) == "Mn":
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = char.isascii() or unicodedata.name(char, "").startswith("LATIN")
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _term_from(tokens: list[str], negated: bool) -> Term | None:
    positions = [i for i, token in enumerate(tokens) if token not in STOP_WORDS]
    if not positions:
        return None
    positions = positions[:MAX_PHRASE_WORDS]
    # Stop words at either end of a phrase constrain nothing PostgreSQL can check: trim them.
    spelled = tuple(tokens[positions[0] : positions[-1] + 1])
    words = tuple(tokens[i] for i in positions)
    return Term(words, negated, spelled if spelled != words else ())


def parse_search_query(text: str | None) -> SearchQuery:
    """Never raises: whatever cannot be understood is read as plain words, or ignored."""
    terms: dict[Term, None] = {}  # ordered set: a repeated term adds nothing
    for match in _TERM.finditer((text or "")[:MAX_INPUT_LENGTH]):
        if len(terms) == MAX_TERMS:
            break
        # A chunk such as "2024/25" or "o'brien" is one phrase, as it is one thing in the text.
        source = match["phrase"] if match["phrase"] is not None else match["chunk"]
        term = _term_from(tokenize(source), negated=match["minus"] is not None)
        if term is not None:
            terms[term] = None
    return SearchQuery(tuple(terms))


def _fts5_string(term: Term) -> str:
    # A double-quoted string is always a phrase to FTS5, never an operator or a column filter.
    return '"' + " ".join(term.spelled).replace('"', '""') + '"'


def to_fts5_match(query: SearchQuery) -> str | None:
    """A MATCH expression such as `"a" AND "b c" NOT "d"`; None when there is nothing to find."""
    if query.is_empty:
        return None
    # FTS5's NOT is binary and binds tighter than AND: `A AND B NOT C NOT D` is A, B, not C, not D.
    expression = " AND ".join(_fts5_string(term) for term in query.positive)
    return expression + "".join(f" NOT {_fts5_string(term)}" for term in query.negative)


def to_fts5_match_in(query: SearchQuery, column: str) -> str | None:
    """The words to look for (all of them, exclusions left out) in one column only, such as
    `{title} : ("a" AND "b c")`; None when there is nothing to find."""
    if query.is_empty:
        return None
    return "{" + column + "} : (" + " AND ".join(_fts5_string(term) for term in query.positive) + ")"


def _lexeme(word: str) -> str:
    # Inside a quoted tsquery lexeme a backslash escapes and a quote is doubled.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def to_fts5_exclusion(query: SearchQuery) -> str | None:
    """For exclusions alone: a MATCH expression finding what any of them would take away, such as
    `"parking" OR "road works"` (FTS5 has no NOT without something to take it from)."""
    if not query.excludes_only:
        return None
    return " OR ".join(_fts5_string(term) for term in query.negative)


def _tsquery_operand(term: Term, negate: bool | None = None) -> str:
    if len(term.words) == 1:
        operand = _lexeme(term.words[0])
    else:
        # <N> is "exactly N positions later": stop words between phrase words keep their place.
        parts = [_lexeme(term.words[0])]
        distance = 1
        for token in term.spelled[1:]:
            if token in STOP_WORDS:
                distance += 1
                continue
            parts.append("<->" if distance == 1 else f"<{distance}>")
            parts.append(_lexeme(token))
            distance = 1
        operand = "(" + " ".join(parts) + ")"
    return "!" + operand if (term.negated if negate is None else negate) else operand


def to_tsquery(query: SearchQuery) -> str | None:
    """Text for PostgreSQL's to_tsquery('english', :q), which stems each quoted word itself."""
    if query.is_empty:
        return None
    return " & ".join(_tsquery_operand(term) for term in query.positive + query.negative)


def to_tsquery_exclusion(query: SearchQuery) -> str | None:
    """For exclusions alone: what any of them would take away, such as `'parking' | ('road' <-> 'works')`."""
    if not query.excludes_only:
        return None
    return " | ".join(_tsquery_operand(term, negate=False) for term in query.negative)
