"""The demo's wording reads as written English whatever a request draws: no "the the" where a placeholder
brings its own article (issue 13)."""

from __future__ import annotations

import random
import re
from datetime import date

from app.demo import corpus
from app.demo.corpus import THEMES, fill, make_context

# each placeholder with every value it can take
POOLS = {
    "road": corpus.ROADS,
    "place": corpus.PLACES,
    "place2": corpus.PLACES,
    "site": corpus.SITES,
    "school": corpus.SCHOOLS,
    "system": corpus.SYSTEMS,
    "river": corpus.RIVERS,
    "supplier": tuple(name for names in corpus.SUPPLIERS.values() for name in names),
}


def test_no_placeholder_doubles_an_article() -> None:
    doubled = []
    for theme in THEMES:
        context = make_context(random.Random(1), date(2026, 1, 1), theme)
        texts = [*theme.titles, *theme.asks, *theme.released, theme.not_held, theme.narrow, *(what for _, what in theme.withheld)]
        for text in texts:
            for name, values in POOLS.items():
                if "{" + name + "}" not in text:
                    continue
                for value in values:
                    filled = fill(text, {**context, name: value})
                    if re.search(r"\b(the|a|an) the\b", filled, re.IGNORECASE):
                        doubled.append(filled)
    assert doubled == []
