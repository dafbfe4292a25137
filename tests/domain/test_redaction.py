"""Removing the requester's personal data from text that will be published."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.domain.redaction import REDACTED, PersonalData, find_personal_data, redact

JANE = PersonalData(
    name="Jane Smith",
    email="jane.smith@example.org",
    address="Flat 2, 10 High Street\nLeeds\nLS1 4AB",
)
NOBODY = PersonalData(name=None, email=None, address=None)


def name_only(name: str) -> PersonalData:
    return PersonalData(name=name, email=None, address=None)


# ---------------------------------------------------------------- names


def test_full_name():
    assert redact("Request from Jane Smith today.", JANE) == f"Request from {REDACTED} today."


def test_name_in_any_case():
    assert redact("JANE SMITH and jane smith", JANE) == f"{REDACTED} and {REDACTED}"


def test_name_across_a_line_break_or_double_space():
    assert redact("Yours,\nJane\nSmith", JANE) == f"Yours,\n{REDACTED}"
    assert redact("Jane  Smith", JANE) == REDACTED


@pytest.mark.parametrize("text", ["Dr Jane Smith", "Mrs. Jane Smith", "Ms Jane Smith", "Prof Jane Smith"])
def test_a_title_goes_with_the_name(text):
    assert redact(f"From {text}.", JANE) == f"From {REDACTED}."


def test_a_title_in_the_data_is_not_needed_in_the_text():
    person = name_only("Mr John Hill")
    assert redact("John Hill wrote; Mr John Hill wrote", person) == f"{REDACTED} wrote; {REDACTED} wrote"


@pytest.mark.parametrize("text", ["Dear Ms Smith,", "Dear Mrs. Smith,", "Dear Dr Smith,"])
def test_title_and_surname(text):
    assert redact(text, JANE) == f"Dear {REDACTED},"


@pytest.mark.parametrize("text", ["J. Smith", "J Smith", "J.Smith", "Ms J. Smith"])
def test_initial_and_surname(text):
    assert redact(f"Signed {text}", JANE) == f"Signed {REDACTED}"


def test_middle_names_initials_and_first_name_with_surname():
    person = name_only("Jane Ann Smith")
    text = "Jane Ann Smith, Jane Smith, J. A. Smith, JA Smith, J Smith"
    assert redact(text, person) == ", ".join([REDACTED] * 5)


def test_the_surname_alone_is_left():
    person = name_only("Tom Wood")
    assert redact("The wood panelling and Wood Lane", person) == "The wood panelling and Wood Lane"


def test_a_lowercase_article_is_not_an_initial():
    person = name_only("Anne Smith")
    assert redact("a smith mended it", person) == "a smith mended it"


def test_a_name_does_not_match_inside_words():
    person = name_only("Ann Lee")
    assert redact("Annual leave for Ann Leeson; Ann Lee", person) == f"Annual leave for Ann Leeson; {REDACTED}"


def test_a_single_word_name():
    assert redact("Signed Madonna.", name_only("Madonna")) == f"Signed {REDACTED}."


def test_a_title_and_surname_only_name_is_not_reduced_to_the_surname():
    assert redact("Dr Field walked across the field", name_only("Dr Field")) == f"{REDACTED} walked across the field"


# ---------------------------------------------------------------- emails


def test_full_email_in_any_case():
    assert redact("Write to Jane.Smith@Example.ORG.", JANE) == f"Write to {REDACTED}."


def test_a_distinctive_local_part_alone():
    assert redact("username jane.smith on the portal", JANE) == f"username {REDACTED} on the portal"


@pytest.mark.parametrize("email", ["info@example.org", "admin@example.org", "abc@example.org"])
def test_common_or_short_local_parts_alone_are_left(email):
    person = PersonalData(name=None, email=email, address=None)
    local = email.split("@")[0]
    assert redact(f"the {local} desk; {email}", person) == f"the {local} desk; {REDACTED}"


def test_a_local_part_that_is_a_name_word_is_left():
    person = PersonalData(name="Tom Wood", email="wood@example.org", address=None)
    assert redact("oak and wood", person) == "oak and wood"


def test_a_local_part_is_matched_as_a_whole_word():
    person = PersonalData(name=None, email="jsmith@example.org", address=None)
    assert redact("jsmithson and jsmith", person) == f"jsmithson and {REDACTED}"


# ---------------------------------------------------------------- addresses


def test_a_full_address_becomes_one_redaction_however_it_is_laid_out():
    assert redact("At Flat 2, 10 High Street, Leeds, LS1 4AB.", JANE) == f"At {REDACTED}."
    assert redact("At Flat 2\n10 High Street\nLeeds LS1 4AB.", JANE) == f"At {REDACTED}."
    assert redact("At flat 2 10 high street leeds ls1 4ab.", JANE) == f"At {REDACTED}."


def test_address_lines_on_their_own():
    assert redact("delivered to 10 High Street yesterday", JANE) == f"delivered to {REDACTED} yesterday"


def test_short_address_lines_alone_are_left():
    # "Leeds" is under six characters: a town name alone is not the requester's data
    assert redact("the Leeds office", JANE) == "the Leeds office"


@pytest.mark.parametrize("postcode", ["LS1 4AB", "LS14AB", "ls1 4ab", "ls14ab", "LS1  4AB"])
def test_the_postcode_with_or_without_its_space(postcode):
    assert redact(f"postcode {postcode} area", JANE) == f"postcode {REDACTED} area"


def test_an_address_given_with_commas():
    person = PersonalData(name=None, email=None, address="22 Acacia Avenue, Bristol, BS1 5TR")
    assert redact("22 Acacia Avenue\nBristol\nBS1 5TR", person) == REDACTED
    assert redact("near 22 Acacia Avenue", person) == f"near {REDACTED}"
    assert redact("Bristol City Council", person) == f"{REDACTED} City Council"


def test_an_address_line_does_not_match_inside_a_longer_number():
    person = PersonalData(name=None, email=None, address="10 High Street")
    assert redact("110 High Street", person) == "110 High Street"


# ---------------------------------------------------------------- robustness


def test_regex_metacharacters_in_the_data():
    person = PersonalData(name="A+B (Ltd)", email="a.b+(x)@e[x].com", address="1 [Road]*, Town? (North)")
    text = "From A+B (Ltd) at a.b+(x)@e[x].com, 1 [Road]*, Town? (North). Also AAB Ltd and aXb."
    assert redact(text, person) == f"From {REDACTED} at {REDACTED}, {REDACTED}. Also AAB Ltd and aXb."


def test_empty_person_changes_nothing():
    text = "Jane Smith, LS1 4AB"
    assert redact(text, NOBODY) == text
    assert redact(text, PersonalData(name="", email="  ", address="\n,\n")) == text
    assert find_personal_data(text, NOBODY) == []


def test_none_and_empty_text():
    assert redact(None, JANE) == ""
    assert redact("", JANE) == ""
    assert find_personal_data(None, JANE) == []


def test_find_personal_data_reports_before_and_nothing_after_redaction():
    text = "Jane Smith (jane.smith@example.org) of 10 High Street asked about LS1 4AB."
    assert find_personal_data(text, JANE) == ["name", "email", "address"]
    assert find_personal_data("Only LS14AB here", JANE) == ["address"]
    assert find_personal_data(redact(text, JANE), JANE) == []


def test_text_without_the_data_is_untouched():
    text = "The council received 42 requests about parking in 2024/25."
    assert redact(text, JANE) == text
    assert find_personal_data(text, JANE) == []


# ---------------------------------------------------------------- property


def sensible(value: str) -> bool:
    # "redacted" itself would be found in every "[redacted]"
    return (
        len(value) >= 3
        and value == value.strip()
        and any(ch.isalpha() for ch in value)
        and "redacted" not in value.lower()
    )


printable = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
names = st.text(printable, min_size=3, max_size=30).filter(sensible)
emails = st.one_of(
    st.builds(
        "{}@{}.{}".format,
        st.text(st.characters(codec="ascii", categories=("L", "N", "P", "S")), min_size=1, max_size=15),
        st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=10),
        st.sampled_from(["com", "org", "co.uk", "gov.uk"]),
    ),
    st.text(printable, min_size=3, max_size=30),
).filter(lambda email: sensible(email) and " " not in email)
addresses = st.lists(st.text(printable, min_size=1, max_size=25), min_size=1, max_size=4).flatmap(
    lambda lines: st.sampled_from([", ", "\n", ",\n"]).map(lambda separator: separator.join(lines))
).filter(lambda address: sensible(address.strip()) and address == address.strip())
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


def standalone(value: str, text: str) -> bool:
    """An independent check: the value, case-insensitively, not glued to word characters."""
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None


@settings(max_examples=300, deadline=None)
@given(texts, names, emails, addresses, st.data())
def test_inserted_personal_data_never_survives(text, name, email, address, data):
    person = PersonalData(name=name, email=email, address=address)
    for value in (name, email, address):
        at = data.draw(st.integers(0, len(text)))
        text = f"{text[:at]} {value} {text[at:]}"
    assert find_personal_data(text, person)  # it was there
    result = redact(text, person)
    assert find_personal_data(result, person) == []
    assert not standalone(name, result)
    assert not standalone(email, result)
