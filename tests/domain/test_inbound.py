"""Reading an e-mail into the facts intake acts on: sender, text, attachments, the time our server
received it, what it answers, and whether a person wrote it."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.inbound import (
    WHOLE_MESSAGE,
    Kind,
    UnreadableMessage,
    cited_references,
    html_to_text,
    message_id_of,
    read_message,
    request_text,
    title_from,
    visible,
    whole_message,
)

SAMPLES = Path(__file__).resolve().parents[1] / "mail_samples"
NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
OURS = ["foi@council.example"]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def read(raw: bytes, now: datetime = NOW):
    return read_message(raw, now=now, own_addresses=OURS)


def message(headers: dict[str, str], body: str = "Please send me the figures.\n") -> bytes:
    lines = "".join(f"{name}: {value}\n" for name, value in headers.items())
    return f"{lines}\n{body}".encode()


def test_a_plain_request_reads_its_sender_text_and_the_time_our_server_received_it() -> None:
    facts = read(sample("01_new_request.eml"))
    assert facts.kind is Kind.MESSAGE and facts.why == ""
    assert facts.message_id == "<new-request-1@mail.example.org>"
    assert (facts.sender_name, facts.sender_address) == ("Jane Example", "jane.example@mail.example.org")
    assert facts.subject == "Pothole repairs on Mill Lane since 2024"
    assert facts.text.startswith("Dear Sir or Madam,\n\nUnder the Freedom of Information Act 2000")
    assert facts.text.endswith("Yours faithfully,\nJane Example")
    # the top Received: header is our server's (16:45:12), not the sender's Date: (16:45:01)
    assert facts.received_at == datetime(2026, 11, 30, 16, 45, 12, tzinfo=UTC)
    assert facts.attachments == () and facts.threads == () and not facts.whatdotheyknow
    assert title_from(facts) == "Pothole repairs on Mill Lane since 2024"


def test_the_received_time_falls_back_to_date_then_now_and_is_never_in_the_future() -> None:
    dated = read(message({"From": "a@example.org", "Date": "Tue, 1 Dec 2026 10:00:00 +0100", "Message-ID": "<d@x>"}))
    assert dated.received_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    undated = read(message({"From": "a@example.org", "Received": "from x by y; not a date", "Message-ID": "<u@x>"}))
    assert undated.received_at == NOW
    ahead = read(message({"From": "a@example.org", "Date": "Fri, 1 Jan 2027 10:00:00 +0000"}))
    assert ahead.received_at == NOW


def test_a_reply_names_what_it_answers_nearest_first() -> None:
    facts = read(sample("02_clarification_reply.eml"))
    assert facts.in_reply_to == ("<clarification-1@foi.test>",)
    assert facts.threads == ("<clarification-1@foi.test>", "<request-1@example.net>")
    assert facts.kind is Kind.MESSAGE


def test_a_reference_in_the_subject_is_read_in_any_case_and_made_canonical() -> None:
    assert read(sample("03_subject_reply.eml")).cited_references == ("FOI-2026-00001",)
    assert cited_references("Re: EISR-2026-00012 and foisa-2025-000007, not XFOI-2026-00001 or FOI-2026-001") == (
        "EISR-2026-00012",
        "FOISA-2025-00007",
    )


def test_whatdotheyknow_is_recognised_by_its_per_request_address() -> None:
    facts = read(sample("04_whatdotheyknow.eml"))
    assert facts.whatdotheyknow and facts.sender_address == "foi+request-987654-1a2b3c4d@whatdotheyknow.com"
    assert title_from(facts) == "Grit bins on council roads"
    for address, recognised in [
        ("request-12-0a1b2c3d@whatdotheyknow.com", True),
        ("FOI+Request-12-0A1B2C3D@WhatDoTheyKnow.com", True),
        ("someone@whatdotheyknow.com", False),
        ("foi+request-12-0a1b2c3d@whatdotheyknow.com.evil.example", False),
        ("foi+request-12-zzzzzzzz@whatdotheyknow.com", False),
    ]:
        assert read(message({"From": address})).whatdotheyknow is recognised, address


def test_an_out_of_office_is_an_automatic_reply() -> None:
    facts = read(sample("05_out_of_office.eml"))
    assert facts.kind is Kind.AUTO_REPLY
    assert facts.why == "an automatic reply (Auto-Submitted: auto-replied)"


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Auto-Submitted": "auto-generated"}, "an automatic reply (Auto-Submitted: auto-generated)"),
        ({"Auto-Submitted": "auto-replied; owner-email=x@example.org"}, "an automatic reply (Auto-Submitted: auto-replied)"),
        ({"Precedence": "bulk"}, "an automatic or bulk message (Precedence: bulk)"),
        ({"Precedence": "Junk"}, "an automatic or bulk message (Precedence: junk)"),
        ({"Precedence": "list"}, "an automatic or bulk message (Precedence: list)"),
        ({"X-Autoreply": "yes"}, "an automatic reply (X-Autoreply)"),
        ({"X-Autorespond": "Out of office"}, "an automatic reply (X-Autorespond)"),
        ({"List-Id": "<residents.lists.example.org>"}, "a mailing list message (List-Id)"),
        (
            {"X-Auto-Response-Suppress": "All", "Subject": "Automatic reply: your request"},
            "an automatic reply (an out-of-office subject, X-Auto-Response-Suppress: All)",
        ),
    ],
)
def test_automatic_messages_are_told_apart(headers: dict[str, str], why: str) -> None:
    facts = read(message({"From": "someone@example.org", "Subject": "Hello", **headers}))
    assert (facts.kind, facts.why) == (Kind.AUTO_REPLY, why)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "no"},
        {"Precedence": "first-class"},
        # Outlook asks recipients not to auto-reply on ordinary mail: it says nothing of the sender
        {"X-Auto-Response-Suppress": "All", "Subject": "FOI request: bin collections"},
        {"X-Auto-Response-Suppress": "DR, RN, NRN, OOF, AutoReply", "Subject": "Out of office costs"},
    ],
)
def test_a_persons_message_is_not_mistaken_for_an_automatic_one(headers: dict[str, str]) -> None:
    facts = read(message({"From": "someone@example.org", "Subject": "Hello", **headers}))
    assert facts.kind is Kind.MESSAGE


def test_the_suppress_header_is_kept_for_whoever_answers() -> None:
    facts = read(message({"From": "a@example.org", "X-Auto-Response-Suppress": "DR, OOF, AutoReply"}))
    assert facts.auto_response_suppress == frozenset({"dr", "oof", "autoreply"})


def test_a_message_from_our_own_address_is_a_loop() -> None:
    facts = read(message({"From": "Information Governance <FOI@council.example>", "Subject": "Your request"}))
    assert (facts.kind, facts.why) == (Kind.LOOP, "sent by this tracker's own address (a mail loop)")


def test_a_delivery_status_notification_names_the_message_it_returns_and_why() -> None:
    facts = read(sample("06_bounce.eml"))
    assert facts.kind is Kind.BOUNCE
    assert facts.bounce is not None
    assert facts.bounce.original_message_id == "<notice-2@foi.test>"
    assert facts.bounce.reason == "5.1.1 smtp; 550 5.1.1 User unknown"


def test_a_delay_notice_is_not_a_bounce() -> None:
    delayed = sample("06_bounce.eml").replace(b"Action: failed", b"Action: delayed").replace(b"Status: 5.1.1", b"Status: 4.4.1")
    facts = read(delayed)
    assert (facts.kind, facts.bounce) == (Kind.DELIVERY_NOTICE, None)
    assert facts.why == "a delivery status notice (delayed), not a failure"


def test_an_old_style_bounce_from_the_null_sender_quotes_the_original_id() -> None:
    raw = message(
        {
            "Return-Path": "<>",
            "From": "MAILER-DAEMON@mx.example.com",
            "Subject": "failure notice",
            "Message-ID": "<qmail-1@mx.example.com>",
        },
        body="Sorry, I couldn't deliver your message.\n\n--- Below this line is a copy of the message.\n\n"
        "From: foi@council.example\nMessage-ID: <notice-9@foi.test>\nSubject: Your request\n\nDear Robin\n",
    )
    facts = read(raw)
    assert facts.kind is Kind.BOUNCE and facts.bounce is not None
    assert facts.bounce.original_message_id == "<notice-9@foi.test>"
    # a message from the mail system that is not a failure asks nothing of anyone either
    notice = read(message({"From": "MAILER-DAEMON@mx.example.com", "Subject": "Message delayed"}))
    assert notice.kind is Kind.AUTO_REPLY


def test_an_html_only_message_reads_as_text_with_its_quoted_reply_kept() -> None:
    facts = read(sample("07_html_only.eml"))
    assert facts.sender_name == "Zoë Ó Súilleabháin"
    assert facts.subject == "Library opening hours – 2026"
    assert facts.text == (
        "Hello,\n\nPlease send me the opening hours of each library in 2025 and 2026, and the number of visitors each month.\n\n"
        "- Central Library\n- Northgate Library\n\nMany thanks,\nZoë\n\n> An earlier note:\n> the hours changed in May"
    )
    assert "alert" not in facts.text and "color" not in facts.text and "ignored" not in facts.text


def test_html_to_text_takes_entities_and_ignores_broken_markup() -> None:
    assert html_to_text("<p>Fish &amp; chips&nbsp;&pound;5</p><p>unclosed <b>bold") == "Fish & chips £5\n\nunclosed bold"
    assert html_to_text("<<<>>>") == "<<<>>>"


def test_attachments_are_read_with_their_names_and_bytes() -> None:
    facts = read(sample("08_pdf_attachment.eml"))
    (pdf,) = facts.attachments
    assert (pdf.filename, pdf.content_type) == ("shelter-survey.pdf", "application/pdf")
    assert pdf.data.startswith(b"%PDF-")
    assert facts.text.startswith("Please tell me when each bus shelter")
    names = [a.filename for a in read(sample("09_disallowed_attachment.eml")).attachments]
    assert names == ["streets.exe", "streets.txt"]


def test_an_image_shown_inside_the_html_is_not_an_attachment() -> None:
    mail = EmailMessage()
    mail["From"] = "a@example.org"
    mail["Subject"] = "Signature logo"
    mail.set_content("Plain text")
    mail.add_alternative('<p>HTML <img src="cid:logo1"></p>', subtype="html")
    html_part = mail.get_payload()[1]
    html_part.add_related(b"\x89PNG\r\n\x1a\n" + b"0" * 20, maintype="image", subtype="png", cid="<logo1>", filename="image001.png")
    mail.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="figures.csv")
    facts = read(mail.as_bytes())
    assert [a.filename for a in facts.attachments] == ["figures.csv"]
    assert facts.text == "Plain text"


def test_a_message_without_a_message_id_gets_one_from_its_bytes_whatever_its_line_endings() -> None:
    raw = message({"From": "a@example.org", "Subject": "No id"})
    made = read(raw).message_id
    assert made.startswith("<sha256-") and made.endswith("@message-id.invalid>")
    assert read(raw.replace(b"\n", b"\r\n")).message_id == made == message_id_of(raw)
    assert read(message({"From": "a@example.org", "Subject": "No id, other text"})).message_id != made
    assert read(message({"From": "a@example.org", "Message-ID": "bare-id@example.org"})).message_id == "<bare-id@example.org>"


def test_no_sender_and_odd_headers_read_as_what_can_be_read() -> None:
    facts = read(message({"Subject": "=?utf-8?q?broken", "Date": "yesterday", "Content-Type": "text/plain; charset=no-such-charset"}))
    assert facts.sender_address == "" and facts.requester_name == ""
    assert facts.kind is Kind.MESSAGE
    nul = read(b"From: a@example.org\nSubject: a\x00b\n\nline\x00one\r\n")
    assert "\x00" not in nul.subject + nul.text


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\x00\x01\x02 just bytes", b"no header here at all"])
def test_input_that_is_not_an_email_is_unreadable(raw: bytes) -> None:
    with pytest.raises(UnreadableMessage):
        read(raw)


def test_a_title_comes_from_the_subject_without_reply_prefixes_or_else_the_first_line() -> None:
    assert title_from(read(message({"From": "a@example.org", "Subject": "RE: Fwd: Bins"}))) == "Bins"
    untitled = read(message({"From": "a@example.org"}, body="\n\nHow many bins are there?\nThanks\n"))
    assert title_from(untitled) == "How many bins are there?"
    long = read(message({"From": "a@example.org", "Subject": "word " * 100}))
    assert len(title_from(long)) <= 300 and title_from(long).endswith("…")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_either_read_or_are_refused_as_unreadable(raw: bytes) -> None:
    try:
        facts = read(raw)
    except UnreadableMessage:
        return
    assert facts.message_id.startswith("<") and len(facts.message_id) <= 300
    assert "\x00" not in facts.text + facts.subject + facts.sender_name + facts.sender_address


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["From", "Subject", "Date", "Received", "Message-ID", "In-Reply-To", "References", "Content-Type", "Auto-Submitted"]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=80),
    ),
    st.text(max_size=300),
)
def test_any_header_values_read_without_an_error(headers: dict[str, str], body: str) -> None:
    raw = "".join(f"{name}: {value}\n" for name, value in headers.items()).encode("utf-8", "surrogatepass") + b"\n" + body.encode()
    try:
        facts = read(raw)
    except UnreadableMessage:
        return
    assert facts.received_at <= NOW


# ---------------------------------------------------------------- what staff read


def test_a_name_subject_or_file_name_loses_characters_that_reverse_or_hide_text() -> None:
    mail = EmailMessage()
    mail["From"] = "\u202eenaJ\u202c \u2067Example\u2069\u200b\u200f <jane@example.org>"
    mail["Subject"] = "Bins \u202etxt.exe\u202c\u2066 on Mill Lane\u2068\u202a\u202b\u202d\ufeff"
    mail.set_content("Hello")
    mail.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="figures\u202egpj.csv")
    facts = read(mail.as_bytes())
    assert facts.sender_name == "enaJ Example"
    assert facts.subject == "Bins txt.exe on Mill Lane" == title_from(facts)
    assert [a.filename for a in facts.attachments] == ["figuresgpj.csv"]
    # a name of nothing but such characters is no name: the address's local part stands in
    nameless = read(message({"From": "\u202e\u2066 <pat.q@example.org>"}))
    assert (nameless.sender_name, nameless.requester_name) == ("", "pat.q")
    # a title from the text when there is no subject
    untitled = read(
        message({"From": "a@example.org", "Content-Type": "text/plain; charset=utf-8"}, body="\u202e\u2069\n\u2066How many bins?\u2069\n")
    )
    assert title_from(untitled) == "How many bins?"


@given(st.text(max_size=200))
def test_visible_text_has_no_format_or_control_characters(text: str) -> None:
    import unicodedata

    seen = visible(text)
    assert not any(unicodedata.category(char) in {"Cf", "Cc"} for char in seen)
    assert "\n" not in seen and seen == seen.strip()


def test_windows_1252_read_as_latin_1_gives_its_punctuation_not_controls() -> None:
    raw = b"From: a@example.org\nSubject: =?iso-8859-1?q?Don=92t?=\nContent-Type: text/plain; charset=iso-8859-1\n\nIt\x92s \x93quoted\x94 \x85 \x81\n"
    facts = read(raw)
    assert (facts.subject, facts.text) == ("Don’t", "It’s “quoted” …")


# ---------------------------------------------------------------- a request for internal review


@pytest.mark.parametrize(
    ("subject", "text", "asks"),
    [
        ("Internal review of Freedom of Information request - Grit bins", "Dear council,", True),  # WhatDoTheyKnow's
        ("Re: Your request FOI-2026-00001: our response", "Please REVIEW your decision.", True),
        ("Re: our response", "Thank you.\n\nI would ask you to reconsider.", True),
        ("Request for reconsideration", "", True),
        ("Re: our response", "Thanks, that is all.\n\nOn 3 Dec 2026, at 10:00, FOI wrote:\n> you may ask for an internal review", False),
        ("Re: our response", "Thanks.\n\n-----Original Message-----\nAsk for a review within 40 working days.", False),
        ("Re: our response", "Thanks.\n> ask for an internal review", False),
        ("Re: our response", "One.\nTwo.\nThree.\nFour.\nFive.\nPlease review.", False),  # past the first lines
        ("Re: our response", "My reviewer friend reviewed it: thanks.", False),
    ],
)
def test_a_request_for_internal_review_is_asked_in_the_subject_or_the_senders_first_lines(subject: str, text: str, asks: bool) -> None:
    facts = read(message({"From": "robin@example.net", "Subject": subject}, body=text + "\n"))
    assert facts.asks_for_review is asks


# ---------------------------------------------------------------- a long message


def test_a_text_within_the_limit_is_the_request_text_as_it_is() -> None:
    assert request_text("Short.\nText.", 20) == ("Short.\nText.", False)
    exact = "x" * 1000
    assert request_text(exact, 1000) == (exact, False)


def test_a_longer_text_is_cut_at_the_last_line_that_fits_and_says_where_the_whole_is() -> None:
    text = "\n".join(f"Line {n} of the request." for n in range(10_000))
    cut, was_cut = request_text(text, 100_000)
    head, _, note = cut.rpartition("\n\n")
    assert was_cut and len(cut) <= 100_000
    assert note == (
        f"[The e-mail is longer ({len(text):,} characters) than a request's text can be: this is its first part. "
        f'The whole message is kept as the attached document "{WHOLE_MESSAGE}".]'
    )
    assert text.startswith(head + "\n") and head.endswith("of the request.") and len(head) > 99_000 - 200


def test_a_text_without_lines_near_the_limit_is_cut_at_a_word_and_one_endless_word_anywhere() -> None:
    words = "Short first line.\n" + "word " * 40_000
    cut, _ = request_text(words, 100_000)
    head = cut.rpartition("\n\n")[0]
    assert head.endswith("word") and words.startswith(head + " ") and len(head) > 90_000
    endless = "x" * 150_000
    cut, _ = request_text(endless, 100_000)
    assert len(cut) == 100_000 and cut.startswith("x" * 99_000)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t"), min_size=0, max_size=600), st.integers(min_value=300, max_value=500))
def test_a_cut_text_never_exceeds_the_limit_and_is_the_start_of_the_whole(text: str, limit: int) -> None:
    cut, was_cut = request_text(text, limit)
    assert len(cut) <= limit and was_cut is (len(text) > limit)
    if was_cut:
        assert text.startswith(cut.rpartition("\n\n[The e-mail is longer")[0])


def test_the_whole_message_is_a_plain_text_document_that_says_what_it_is() -> None:
    kept = whole_message("<html> a, b\n1, 2\n")
    assert (kept.filename, kept.content_type) == ("message.txt", "text/plain")
    caption, _, rest = kept.data.decode().partition("\n\n")
    assert rest == "<html> a, b\n1, 2\n\n" and not set(",;\t|") & set(caption) and not caption.startswith("<")
