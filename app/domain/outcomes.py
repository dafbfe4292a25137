"""How a request was answered, and how an internal review came out."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    GRANTED_IN_FULL = "granted_in_full"
    GRANTED_IN_PART = "granted_in_part"
    REFUSED_IN_FULL = "refused_in_full"
    NOT_HELD = "not_held"
    REFUSED_COST = "refused_cost"
    REFUSED_VEXATIOUS = "refused_vexatious"
    REFUSED_REPEATED = "refused_repeated"
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny"
    ADVICE_AND_ASSISTANCE = "advice_and_assistance"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]

    @property
    def is_procedural_refusal(self) -> bool:
        """Refused for what the request is (its cost, vexatious or repeated), not for what the
        information is: FOIA and FOISA s.12 and s.14; the environmental regimes have no such refusal."""
        return self in {Outcome.REFUSED_COST, Outcome.REFUSED_VEXATIOUS, Outcome.REFUSED_REPEATED}

    @property
    def withholds_information(self) -> bool:
        """Outcomes that should name the exemptions relied on."""
        return self in {Outcome.GRANTED_IN_PART, Outcome.REFUSED_IN_FULL, Outcome.NEITHER_CONFIRM_NOR_DENY}


_OUTCOME_LABELS = {
    Outcome.GRANTED_IN_FULL: "Granted in full",
    Outcome.GRANTED_IN_PART: "Granted in part",
    Outcome.REFUSED_IN_FULL: "Refused in full",
    Outcome.NOT_HELD: "Information not held",
    Outcome.REFUSED_COST: "Refused: cost limit (s.12)",
    Outcome.REFUSED_VEXATIOUS: "Refused: vexatious (s.14(1))",
    Outcome.REFUSED_REPEATED: "Refused: repeated (s.14(2))",
    Outcome.NEITHER_CONFIRM_NOR_DENY: "Neither confirm nor deny",
    Outcome.ADVICE_AND_ASSISTANCE: "Advice and assistance given",
}


class ReviewOutcome(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"
    PARTLY_OVERTURNED = "partly_overturned"

    @property
    def label(self) -> str:
        return {
            ReviewOutcome.UPHELD: "Original decision upheld",
            ReviewOutcome.OVERTURNED: "Overturned in full",
            ReviewOutcome.PARTLY_OVERTURNED: "Overturned in part",
        }[self]


class Channel(StrEnum):
    EMAIL = "email"
    POST = "post"
    WEB = "web"
    PHONE = "phone"
    IN_PERSON = "in_person"
    WHATDOTHEYKNOW = "whatdotheyknow"

    @property
    def label(self) -> str:
        return {
            "email": "Email",
            "post": "Post",
            "web": "Web form",
            "phone": "Phone",
            "in_person": "In person",
            "whatdotheyknow": "WhatDoTheyKnow",
        }[self.value]
