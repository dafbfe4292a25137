"""The public version of a request field by field, with no database: automatic redactions,
suspicions and the officer's decisions, file names, released files."""

from __future__ import annotations

from app.domain.publication_review import Decision, FieldSource, names_someone, review_request, review_text
from app.domain.redaction import PersonalData

JANE = PersonalData(name="Jane Smithers", email="jane.smithers@example.org", address="14 Acacia Avenue\nPemberley\nPE1 2AB")


def test_automatic_redactions_are_made_and_marked_for_the_officer() -> None:
    review = review_text("body", "The request", "Dear Jane,\nI am Jane Smithers of PE1 2AB.\nRegards, Jane", [JANE], {})
    assert review.public == "Dear [redacted],\nI am [redacted] of [redacted].\nRegards, [redacted]"
    assert [s.kind for s in review.segments if s.kind != "plain"] == ["redacted"] * 4
    assert "".join(s.text for s in review.segments) == review.source  # the marked-up text is the whole text
    assert review.suspicions == ()


def test_a_suspicion_stays_until_decided_and_the_decision_is_applied_everywhere_it_occurs() -> None:
    text = "Mr Carberry phoned. Later Mr Carberry wrote."
    undecided = review_text("body", "The request", text, [JANE], {})
    assert [s.text for s in undecided.unreviewed] == ["Mr Carberry"]  # one suspicion for both places
    key = undecided.suspicions[0].id
    assert undecided.public == text
    redacted = review_text("body", "The request", text, [JANE], {key: Decision.REDACT})
    assert redacted.public == "[redacted] phoned. Later [redacted] wrote." and redacted.unreviewed == []
    accepted = review_text("body", "The request", text, [JANE], {key: Decision.ACCEPT})
    assert accepted.public == text and accepted.unreviewed == []
    # the same words in another field are another decision
    assert review_text("response", "Our response", text, [JANE], {key: Decision.REDACT}).unreviewed


def test_a_file_name_is_read_with_its_separators_as_spaces() -> None:
    review = review_text("document:1:filename", "File name", "jane-smithers_pe1-2ab.pdf", [JANE], {}, filename=True)
    assert "smithers" not in review.public.lower() and "jane" not in review.public.lower()
    assert review.public.endswith(".pdf")


def test_a_released_file_is_searched_without_the_data_but_its_own_copy_needs_a_decision() -> None:
    sources = [
        FieldSource("title", "Title", "Gritting routes"),
        FieldSource(
            "document:7:text", "Text of document 1", "Prepared for Jane Smithers. Smithers household.", editable=False, released_file=True
        ),
    ]
    review = review_request(sources, JANE, {})
    file_field = review.field("document:7:text")
    assert file_field is not None
    assert "Smithers" not in file_field.public  # what the search index holds
    assert file_field.unreviewed and all(not s.can_redact for s in file_field.unreviewed)
    assert review.blocking() and "Text of document 1".lower() in review.blocking()[0]
    accepted = review_request(sources, JANE, {s.id: Decision.ACCEPT for s in file_field.unreviewed})
    assert accepted.blocking() == []


def test_the_officers_wording_replaces_the_record_and_is_still_redacted() -> None:
    review = review_request([FieldSource("summary", "Public summary", "Old summary", edit="Routes sent to Jane Smithers.")], JANE, {})
    field = review.field("summary")
    assert field is not None and field.edited and field.public == "Routes sent to [redacted]."


def test_a_surname_in_a_file_name_is_one_suspicion_as_written() -> None:
    # read as written and with its separators as spaces, the hyphenated surname is found twice at one place
    person = PersonalData(name="Tobias Wrenfield-Ashby", email=None, address=None)
    review = review_text("document:1:filename", "File name", "Wrenfield-Ashby complaint log.txt", [person], {}, filename=True)
    assert [s.text for s in review.suspicions] == ["Wrenfield-Ashby"]
    assert "".join(s.text for s in review.segments) == review.source
    redacted = review_text(
        "document:1:filename",
        "File name",
        "Wrenfield-Ashby complaint log.txt",
        [person],
        {review.suspicions[0].id: Decision.REDACT},
        filename=True,
    )
    assert redacted.public == "[redacted] complaint log.txt"


def test_a_lower_case_file_name_is_read_for_the_requesters_names_alone() -> None:
    review = review_text("document:1:filename", "File name", "smithers-complaint-log.txt", [JANE], {}, filename=True)
    assert [(s.text, s.reason.split(":")[0]) for s in review.unreviewed] == [("smithers", "the requester's surname on its own")]
    assert review_text("document:1:filename", "File name", "gritting-routes-2024.pdf", [JANE], {}, filename=True).suspicions == ()


def test_a_web_address_made_from_a_title_naming_a_requester_is_caught() -> None:
    assert names_someone("released-for-jane-smithers", [JANE])
    assert names_someone("the-smithers-papers", [JANE])
    assert not names_someone("older-responses-2024", [JANE])


def test_a_suspicion_holding_the_requesters_surname_says_so() -> None:
    review = review_text("body", "The request", "My brother Tobias Smithers helped. Mr Baxter did not.", [JANE], {})
    reasons = {s.text: s.reason for s in review.unreviewed}
    assert "accepting it publishes that name" in reasons["Tobias Smithers"]
    assert "accepting it" not in reasons["Mr Baxter"]
