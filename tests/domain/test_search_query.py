"""The public search language: parsing, and compiling for SQLite FTS5 and PostgreSQL tsquery.

The FTS5 output is also run against a real in-memory FTS5 table with the tokenizer the
disclosure index uses, so "the database never rejects it" is checked, not assumed.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.search_query import (
    MAX_TERMS,
    MAX_WORD_LENGTH,
    STOP_WORDS,
    SearchQuery,
    Term,
    parse_search_query,
    to_fts5_exclusion,
    to_fts5_match,
    to_fts5_match_in,
    to_tsquery,
    to_tsquery_exclusion,
    tokenize,
)


def words_of(text: str) -> list[tuple[tuple[str, ...], bool]]:
    return [(term.words, term.negated) for term in parse_search_query(text).terms]


@pytest.fixture(scope="module")
def fts5():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')")
    connection.executemany(
        "INSERT INTO docs (rowid, body) VALUES (?, ?)",
        [
            (1, "Freedom of Information request about parking fines in 2024/25"),
            (2, "Minutes of the council meeting on school transport"),
            (3, "Parking permits for residents; fines are not covered"),
            (4, "Café licences and naïve questions about Cŵn Cymru"),
        ],
    )
    yield connection
    connection.close()


def fts5_hits(connection: sqlite3.Connection, text: str) -> set[int]:
    match = to_fts5_match(parse_search_query(text))
    assert match is not None
    return {row[0] for row in connection.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (match,))}


# ---------------------------------------------------------------- parsing


def test_plain_words_must_all_match():
    assert words_of("parking fines") == [(("parking",), False), (("fines",), False)]


def test_a_quoted_phrase_is_one_term():
    assert words_of('"parking fines" council') == [(("parking", "fines"), False), (("council",), False)]


def test_exclusions_of_words_and_phrases():
    assert words_of('parking -fines -"school transport"') == [
        (("parking",), False),
        (("fines",), True),
        (("school", "transport"), True),
    ]


def test_a_hyphen_inside_a_word_is_not_an_exclusion():
    assert words_of("covid-19 e-mail") == [(("covid", "19"), False), (("e", "mail"), False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"parking fines', [(("parking",), False), (("fines",), False)]),
        ('parking fines"', [(("parking",), False), (("fines",), False)]),
        ('"a b" "parking', [(("b",), False), (("parking",), False)]),
        ('-"parking fines', [(("parking",), False), (("fines",), False)]),
    ],
)
def test_a_quote_that_does_not_close_is_just_punctuation(text, expected):
    assert words_of(text) == expected


def test_curly_quotes_from_phones_make_phrases_too():
    assert words_of("\u201cparking fines\u201d") == [(("parking", "fines"), False)]


def test_stop_words_are_dropped():
    assert words_of("the minutes of a meeting") == [(("minutes",), False), (("meeting",), False)]


def test_stop_words_inside_a_phrase_are_dropped_from_its_words_but_keep_their_place():
    (term,) = parse_search_query('"the freedom of information act"').terms
    assert term.words == ("freedom", "information", "act")
    # leading "the" trimmed; the inner "of" is kept for the engines' phrase positions
    assert term.phrase_tokens == ("freedom", "of", "information", "act")


def test_a_phrase_of_stop_words_disappears():
    assert parse_search_query('"to be or not to be" parking').terms == (Term(("parking",)),)


def test_only_stop_words_is_an_empty_query():
    query = parse_search_query("the and of")
    assert query.is_empty
    assert to_fts5_match(query) is None and to_tsquery(query) is None


def test_words_are_lowercased():
    assert words_of("PARKING Fines") == [(("parking",), False), (("fines",), False)]


def test_unicode_letters_are_word_characters_and_latin_accents_fold():
    assert words_of("café naïve Cŵn") == [(("cafe",), False), (("naive",), False), (("cwn",), False)]


def test_decomposed_accents_fold_too():
    assert words_of("cafe\u0301") == [(("cafe",), False)]


def test_other_scripts_keep_their_marks():
    assert words_of("йогурт άλφα") == [(("йогурт",), False), (("άλφα",), False)]


@pytest.mark.parametrize("word", ["café", "Cŵn", "naïve", "Ærøskøbing", "Dvořák", "Łódź", "Ḱ", "ĳssel", "façade"])
def test_accent_folding_agrees_with_sqlite_s_tokeniser(word: str) -> None:
    # FTS5's unicode61 with remove_diacritics 2 is what the SQLite index does to the same word
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    database.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    database.execute("INSERT INTO t (x) VALUES (?)", (word,))
    assert [term for (term,) in database.execute("SELECT term FROM v")] == tokenize(word)


def test_digits_split_at_punctuation():
    assert words_of("2024/25") == [(("2024", "25"), False)]


def test_apostrophes_underscores_and_dots_separate_words():
    assert words_of("o'brien snake_case s.10") == [
        (("o", "brien"), False),
        (("snake", "case"), False),
        (("10",), False),  # "s" is a stop word
    ]


def test_at_most_max_terms():
    query = parse_search_query(" ".join(f"word{n}" for n in range(40)))
    assert [term.words[0] for term in query.terms] == [f"word{n}" for n in range(MAX_TERMS)]


def test_long_words_are_truncated_not_refused():
    (term,) = parse_search_query("x" * 500).terms
    assert term.words == ("x" * MAX_WORD_LENGTH,)


def test_huge_input_is_cut_short_not_refused():
    query = parse_search_query("parking " * 100_000)
    assert query.terms == (Term(("parking",)),)


def test_repeated_terms_count_once():
    assert words_of("parking Parking PARKING") == [(("parking",), False)]


def test_none_and_blank_are_empty():
    assert parse_search_query(None).is_empty
    assert parse_search_query("   \n\t").is_empty


def test_exclusions_alone_look_for_what_they_take_away():
    query = parse_search_query('-parking -"road works"')
    assert query.is_empty and query.excludes_only and len(query.negative) == 2
    assert to_fts5_match(query) is None and to_tsquery(query) is None
    # "everything without parking": the engines find what to take away, the service takes it
    assert to_fts5_exclusion(query) == '"parking" OR "road works"'
    assert to_tsquery_exclusion(query) == "'parking' | ('road' <-> 'works')"


def test_a_query_with_words_is_not_an_exclusion_only_query():
    query = parse_search_query("bins -parking")
    assert not query.excludes_only
    assert to_fts5_exclusion(query) is None and to_tsquery_exclusion(query) is None
    assert not parse_search_query("").excludes_only


def test_positive_negative_and_highlight_words():
    query = parse_search_query('parking "parking fines" -council')
    assert [term.words for term in query.positive] == [("parking",), ("parking", "fines")]
    assert [term.words for term in query.negative] == [("council",)]
    assert query.highlight_words() == ("parking", "fines")


def test_the_stop_word_list_is_postgresqls_english_list():
    assert len(STOP_WORDS) == 127
    assert {"i", "me", "ourselves", "whom", "against", "further", "nor", "s", "t", "don", "now"} <= STOP_WORDS
    assert not {"council", "information", "request", "cannot", "would"} & STOP_WORDS


# ---------------------------------------------------------------- compiling


def test_fts5_quotes_every_word_and_phrase():
    query = parse_search_query('parking "school transport" -fines -"bus lane"')
    assert to_fts5_match(query) == '"parking" AND "school transport" NOT "fines" NOT "bus lane"'


def test_tsquery_quotes_every_lexeme():
    query = parse_search_query('parking "school transport" -fines -"bus lane"')
    assert to_tsquery(query) == "'parking' & ('school' <-> 'transport') & !'fines' & !('bus' <-> 'lane')"


def test_a_phrase_with_stop_words_inside():
    query = parse_search_query('"freedom of information act"')
    # SQLite indexes "of": the exact phrase. PostgreSQL does not, but counts its position.
    assert to_fts5_match(query) == '"freedom of information act"'
    assert to_tsquery(query) == "('freedom' <2> 'information' <-> 'act')"


def test_the_words_in_one_column_leave_exclusions_out():
    query = parse_search_query('parking "school transport" -fines')
    assert to_fts5_match_in(query, "title") == '{title} : ("parking" AND "school transport")'
    assert to_fts5_match_in(parse_search_query("-fines"), "title") is None


def test_the_words_in_one_column_find_only_that_column():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')")
    connection.executemany(
        "INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
        [(1, "Road works on the high street", "Delays."), (2, "Potholes", "Are road works planned?"), (3, "Road closures", "Works.")],
    )
    match = to_fts5_match_in(parse_search_query('"road works" -closures'), "title")
    assert {row[0] for row in connection.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (match,))} == {1}


def test_hand_built_terms_compile():
    query = SearchQuery((Term(("parking",)), Term(("bus", "lane"), negated=True)))
    assert to_fts5_match(query) == '"parking" NOT "bus lane"'
    assert to_tsquery(query) == "'parking' & !('bus' <-> 'lane')"


def test_fts5_finds_what_the_language_promises(fts5):
    assert fts5_hits(fts5, "parking fines") == {1, 3}
    assert fts5_hits(fts5, '"parking fines"') == {1}
    assert fts5_hits(fts5, "parking -permits") == {1}
    assert fts5_hits(fts5, '"freedom of information"') == {1}
    assert fts5_hits(fts5, '"minutes of the council meeting"') == {2}
    assert fts5_hits(fts5, "2024/25") == {1}
    assert fts5_hits(fts5, "CAFE cwn") == {4}  # the index folds accents; so does its query side
    assert fts5_hits(fts5, "NOT parking") == {1, 3}  # NOT is a stop word here, not an operator


ADVERSARIAL = [
    "'; DROP TABLE requests; --",
    '" OR 1=1',
    "NEAR(a b)",
    "NEAR(parking fines, 2)",
    "title:secret",
    "body : secret",
    "a*",
    "parking*",
    "^start",
    "\\",
    "\\'",
    "-",
    "--",
    "- -",
    '""',
    '" "',
    '"""',
    '-""',
    "\U0001f600\U0001f389",
    "\U0001f600 parking \U0001f389",
    "( ) { } [ ] + : ^ * ~ ! & | <-> <2>",
    "parking AND OR NOT",
    "'parking' & !'fines'",
    "x\x00y",
    "parking\u200bfines",
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_adversarial_input_is_only_ever_words(text, fts5):
    query = parse_search_query(text)
    match, tsquery = to_fts5_match(query), to_tsquery(query)
    assert (match is None) == (tsquery is None) == query.is_empty
    if match is not None:
        assert_fts5_shape(match)
        assert_tsquery_shape(tsquery)
        fts5.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (match,)).fetchall()
    exclusion = to_fts5_exclusion(query)
    assert (exclusion is None) == (to_tsquery_exclusion(query) is None) == (not query.excludes_only)
    if exclusion is not None:
        fts5.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (exclusion,)).fetchall()


def test_sql_injection_is_searched_for_as_words():
    assert to_fts5_match(parse_search_query("'; DROP TABLE requests; --")) == '"drop" AND "table" AND "requests"'


# ---------------------------------------------------------------- properties

_FTS5_STRING = r'"[^"]+"'
_FTS5_SHAPE = re.compile(rf"{_FTS5_STRING}(?: AND {_FTS5_STRING})*(?: NOT {_FTS5_STRING})*")
_LEXEME = r"'[^'\\]+'"
_TSQUERY_OPERAND = rf"!?(?:{_LEXEME}|\({_LEXEME}(?: <(?:-|[1-9][0-9]*)> {_LEXEME})+\))"
_TSQUERY_SHAPE = re.compile(rf"{_TSQUERY_OPERAND}(?: & {_TSQUERY_OPERAND})*")


def is_token(text: str) -> bool:
    """Letters and digits (and combining marks after them) only: nothing an engine could parse."""
    return (
        bool(text)
        and (text[0].isalpha() or text[0].isdecimal())
        and all(ch.isalpha() or ch.isdecimal() or unicodedata.category(ch).startswith("M") for ch in text)
    )


def assert_fts5_shape(match: str) -> None:
    assert _FTS5_SHAPE.fullmatch(match), match
    for string in re.findall(r'"([^"]+)"', match):
        assert all(is_token(token) for token in string.split(" ")), string
    bare = re.sub(r'"[^"]*"', " ", match).split()
    assert set(bare) <= {"AND", "NOT"}


def assert_tsquery_shape(tsquery: str) -> None:
    assert _TSQUERY_SHAPE.fullmatch(tsquery), tsquery
    assert all(is_token(lexeme) for lexeme in re.findall(r"'([^']+)'", tsquery))


query_like_text = st.lists(
    st.one_of(
        st.sampled_from(['"', "-", " ", "AND", "OR", "NOT", "NEAR(", ")", "*", "^", ":", "'", "\\", "the", "parking"]),
        st.text(max_size=8),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), query_like_text))
def test_any_text_parses_and_compiles_to_safe_queries(text):
    query = parse_search_query(text)
    assert len(query.terms) <= MAX_TERMS
    assert all(0 < len(word) <= MAX_WORD_LENGTH and word not in STOP_WORDS for t in query.terms for word in t.words)
    match, tsquery = to_fts5_match(query), to_tsquery(query)
    assert (match is None) == (tsquery is None) == query.is_empty
    if match is not None:
        assert_fts5_shape(match)
        assert_tsquery_shape(tsquery)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), query_like_text))
def test_fts5_never_rejects_a_compiled_query(fts5, text):
    query = parse_search_query(text)
    match = to_fts5_match(query)
    if match is not None:
        fts5.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (match,)).fetchall()
    exclusion = to_fts5_exclusion(query)
    assert (exclusion is None) == (to_tsquery_exclusion(query) is None) == (not query.excludes_only)
    if exclusion is not None:
        fts5.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (exclusion,)).fetchall()
