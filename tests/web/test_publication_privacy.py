"""Nobody identifiable on the public log: generated requesters written in every form people use,
into every public text, a released PDF (text and metadata), a document's title and file name and a
release batch's title and description; published singly and in a batch after the review is cleared;
then every public surface is read, searched for each item, and none is found."""

from __future__ import annotations

import html
import random
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, quote_plus, unquote

import pypdfium2
import time_machine
from fpdf import FPDF
from litestar.testing import AsyncTestClient

from app.services.intake import take_message
from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = "2025-11-20 10:00:00 +00:00"

GIVEN = ["Siobhan", "Eilidh", "Dafydd", "Oluwaseun", "Priyanka", "Ngozi", "Ruairidh", "Bronwen", "Tadhg", "Anoushka", "Lachlan", "Saoirse"]
SURNAMES = [
    "Featherstone",
    "O'Donoghue",
    "MacLennan",
    "Okonkwo-Reid",
    "Vanterpool",
    "Chaudhry",
    "Llewellyn",
    "Quigley",
    "Szymanski",
    "Abernethy",
]
MIDDLE = ["Quentin", "Marguerite", "Tobias", "Rosalind"]
STREETS = ["Acacia Avenue", "Larkspur Crescent", "Cobblestone Lane", "Wrenfield Road", "Hawthorn Close"]
TOWNS = ["Pemberley", "Kirkhaven", "Llanfarian", "Ashbourne"]
POSTCODES = ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EH1 2NG", "CF10 3AT"]


@dataclass
class Person:
    given: str
    middle: str
    surname: str
    email: str
    other_email: str
    mobile: str  # 07700 900xxx (Ofcom's drama range)
    landline: str
    street: str
    town: str
    postcode: str
    ni_number: str

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"

    @property
    def address(self) -> str:
        return f"{self.street}\n{self.town}\n{self.postcode}"

    def forms(self) -> str:
        """The requester written as people write: at least fifteen forms."""
        mobile_digits = self.mobile.replace(" ", "")
        return "\n".join(
            [
                f"Dear {self.given},",  # salutation
                f"My name is {self.name} and I live at {self.street}, {self.town}.",  # full name, address line
                f"Applicant: {self.surname}, {self.given}",  # surname first
                f"APPLICANT: {self.surname.upper()} {self.given.upper()}",  # capitals, surname first
                f"Signed {self.given} {self.middle[0]}. {self.surname}",  # middle initial
                f"Also known as {self.given} {self.middle} {self.surname}",  # middle name
                f"Ms {self.name} asked, as did Dr. {self.surname}.",  # titles
                f"This is {self.name}'s second request.",  # possessive
                f"Email {self.email} or {self.other_email}.",  # recorded and other e-mail
                f"Phone {self.mobile}, +44 {self.mobile[1:]} or {self.landline}; text {mobile_digits}.",  # phones
                f"Postcode {self.postcode.replace(' ', '')} (no space), {self.postcode.lower()}.",  # postcodes
                f"NI number {self.ni_number}.",  # National Insurance number
                f"Reply to {self.given}\n{self.surname} at the address above.",  # across a line break
                f"Kind regards,\n{self.given}",  # sign-off
                f"Thanks, {self.given}",  # sign-off
                f"My brother Tobiah {self.surname} helped.",  # a relative sharing the surname
                f"{self.surname} family",  # surname alone
            ]
        )

    def items(self) -> list[str]:
        """Every piece of this person's data, as it must not be found."""
        mobile = self.mobile.replace(" ", "")
        return [
            self.given,
            self.middle,
            self.surname,
            self.email,
            self.other_email,
            self.email.split("@")[0],
            self.mobile,
            mobile,
            mobile[1:],
            self.landline,
            self.street,
            self.town,
            self.postcode,
            self.postcode.replace(" ", ""),
            self.ni_number,
            self.ni_number.replace(" ", ""),
        ]


def make_person(rng: random.Random) -> Person:
    given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
    tag = secrets.token_hex(3)
    ni = f"{rng.choice('ABCEGHJKLMNPRSTWXYZ')}{rng.choice('ABCEGHJKLMNPRSTWXYZ')} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.choice('ABCD')}"
    return Person(
        given=given,
        middle=rng.choice(MIDDLE),
        surname=surname,
        email=f"{given.lower()}.{re.sub(r'[^a-z]', '', surname.lower())}{tag}@example.org",
        other_email=f"{given.lower()}{tag}.home@mail.example.net",
        mobile=f"07700 900{rng.randint(100, 999)}",
        landline=f"020 7946 0{rng.randint(100, 999)}",
        street=f"{rng.randint(2, 98)} {rng.choice(STREETS)}",
        town=rng.choice(TOWNS),
        postcode=rng.choice(POSTCODES),
        ni_number=ni,
    )


def pdf_with(person: Person) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_author(person.name)
    pdf.set_title(f"Letter to {person.name}")
    pdf.set_subject(person.email)
    pdf.set_creator(f"{person.surname} scanner")
    pdf.set_keywords(person.postcode)
    for line in ["Released information: road gritting routes 2024", f"Prepared for {person.name}, {person.email}", "Route A: 14 miles"]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


async def _clear_review(client: AsyncTestClient, headers: dict[str, str], reference: str, alone: bool = True) -> dict[str, Any]:
    review = (await client.get(f"/api/v1/requests/{reference}/publication", headers=headers)).json()
    assert review["suspicions"], "the review flags what may be personal data"
    # what is in a released file cannot be redacted here: the officer accepts the file as it is
    files = [s["id"] for s in review["suspicions"] if s["field"].endswith(":text")]
    rest = [s["id"] for s in review["suspicions"] if not s["field"].endswith(":text")]
    if alone:
        refused = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
        assert refused.status_code == 409 and "not reviewed" in refused.json()["detail"]
    cleared = await client.post(f"/api/v1/requests/{reference}/publication", json={"redact": rest, "accept": files}, headers=headers)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["suspicions"] == [] and cleared.json()["ready"] is True
    return cleared.json()


@time_machine.travel(FROZEN, tick=False)
async def test_no_form_of_the_requester_reaches_any_public_surface(client: AsyncTestClient, staff: Staff, sessions) -> None:
    rng = random.Random(secrets.randbits(32))
    headers = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    people = [make_person(rng) for _ in range(4)]
    references = []
    for person in people:
        created = await client.post(
            "/api/v1/requests",
            json=new_request_body(
                received_on="2025-10-01",
                title=f"Gritting routes, asked by {person.surname}, {person.given}",
                body=person.forms(),
                requester={"name": person.name, "email": person.email, "address": person.address},
            ),
            headers=headers,
        )
        assert created.status_code == 201, created.text
        reference = created.json()["reference"]
        answered = await client.post(
            f"/api/v1/requests/{reference}/actions",
            json={
                "action": "respond",
                "outcome": "granted_in_part",
                "exemptions": ["FOIA-s40"],
                "response": f"Dear {person.given},\nRoutes attached; other people's details withheld (s.40).\n{person.forms()}",
                "on": "2025-10-20",
            },
            headers=headers,
        )
        assert answered.status_code == 200, answered.text
        uploaded = await client.post(
            f"/api/v1/requests/{reference}/documents",
            files={
                "file": (
                    f"{person.given.lower()}-{person.surname.lower()}-{person.postcode.replace(' ', '')}.pdf",
                    pdf_with(person),
                    "application/pdf",
                )
            },
            data={"for_release": "true", "title": f"Routes for {person.name} ({person.mobile})"},
            headers=headers,
        )
        assert uploaded.status_code == 201, uploaded.text
        summary = await client.post(
            f"/api/v1/requests/{reference}/publication",
            json={"fields": {"summary": f"Gritting routes released to {person.given} {person.surname} of {person.postcode}."}},
            headers=headers,
        )
        assert summary.status_code == 200, summary.text
        references.append(reference)

    # two published one by one
    for reference in references[:2]:
        await _clear_review(client, headers, reference)
        published = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
        assert published.status_code == 200, published.text

    # two in a batch whose title and description name them
    first, second = people[2], people[3]
    batch = await client.post(
        "/api/v1/batches",
        json={
            "title": f"Released for {first.name} and {second.surname}, {second.given}",
            "description": f"Requests from {first.email}, {second.mobile} and {first.surname}.",
        },  # the address made from the title
        headers=headers,
    )
    assert batch.status_code == 201, batch.text
    batch_id = batch.json()["id"]
    added = await client.post(f"/api/v1/batches/{batch_id}/requests", json={"references": references[2:]}, headers=headers)
    assert added.status_code == 200, added.text
    preview = (await client.get(f"/api/v1/batches/{batch_id}/preview", headers=headers)).json()
    assert preview["unreviewed_count"] > 0 and all(item["suspicions"] for item in preview["requests"])
    assert preview["public"]["url"] == f"/batches/release-{batch_id}"  # said before it happens
    assert first.surname not in preview["public"]["title"] and first.email not in preview["public"]["description"]
    refused = await client.post(f"/api/v1/batches/{batch_id}/approve", headers=manager)
    assert refused.status_code == 409 and "to review" in refused.json()["detail"]
    for reference in references[2:]:
        await _clear_review(client, headers, reference, alone=False)
    assert (await client.get(f"/api/v1/batches/{batch_id}/preview", headers=headers)).json()["unreviewed_count"] == 0
    assert (await client.post(f"/api/v1/batches/{batch_id}/approve", headers=manager)).status_code == 200
    released = await client.post(f"/api/v1/batches/{batch_id}/publish", json={}, headers=headers)
    assert released.status_code == 200, released.text
    batch_url = released.json()["url"]
    assert batch_url == f"/batches/release-{batch_id}"  # the title's words named the requesters

    # every public surface, with no credentials
    anonymous = {"Authorization": ""}
    pages = [
        "/",
        "/disclosures",
        "/disclosures.atom",
        "/api/v1/disclosures",
        batch_url,
        "/disclosures?q=gritting",
        "/api/v1/disclosures?q=gritting",
        "/disclosures/FOI-2025-99999",
        "/api/v1/disclosures/FOI-2025-99999",
        "/disclosures?from=bad",
        "/batches/no-such-batch",
        "/request",
        "/request/privacy",
    ]
    for reference in references:
        pages += [f"/disclosures/{reference}", f"/api/v1/disclosures/{reference}"]
        detail = (await client.get(f"/api/v1/disclosures/{reference}", headers=anonymous)).json()
        assert "[redacted]" in detail["request"]
        pages += [doc["url"] for doc in detail["documents"]]
        pages.append(f"/disclosures/{reference}/documents/999999")
    items = sorted({item for person in people for item in person.items()}, key=len, reverse=True)
    for item in items:
        pages += [f"/disclosures?q={quote(item)}", f"/api/v1/disclosures?q={quote(item)}"]
    texts = []
    for page in pages:
        response = await client.get(page, headers=anonymous)
        assert response.status_code in (200, 404, 422), (page, response.status_code)
        headers_text = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        if response.headers.get("content-type", "").startswith("application/pdf"):
            document = pypdfium2.PdfDocument(response.content)
            metadata = document.get_metadata_dict()
            assert not any(metadata.get(key) for key in ("Author", "Title", "Subject", "Creator", "Keywords")), metadata
            texts.append(headers_text)  # the file's own text was accepted by the officer as it is
        else:
            body = html.unescape(response.content.decode("utf-8", "replace"))
            query = unquote(page.partition("?q=")[2])
            if query and query != "gritting":
                # searching for a piece of personal data finds nothing; the page repeats what was
                # typed into its box (and in its links: the search's feed), so the query itself is
                # taken out before looking further
                if page.startswith("/api/"):
                    assert response.json()["items"] == [], (page, response.json()["items"])
                else:
                    assert not re.findall(r'href="/disclosures/[A-Z]+-[0-9-]+"', body), page
                body = body.replace(query, "").replace(quote_plus(query), "")
            texts.append(headers_text + "\n" + body)
    everything = "\n".join(texts).lower()
    for item in items:
        pattern = r"(?<![a-z0-9])" + re.escape(item.lower()) + r"(?![a-z0-9])"
        assert not re.search(pattern, everything), f"{item!r} found on the public side"


async def test_a_request_made_on_the_public_form_never_shows_its_requester_on_a_public_page(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    person = make_person(random.Random(secrets.randbits(32)))
    with time_machine.travel(datetime.now(UTC) - timedelta(minutes=1)):  # filled in at a person's pace
        form = await client.get("/request")
    token = re.search(r'name="form_token" value="([^"]+)"', form.text)
    assert token
    sent = await client.post(
        "/request",
        data={
            "_csrf_token": client.cookies.get("csrftoken", ""),
            "form_token": token.group(1),
            "name": person.name,
            "email": person.email,
            "address": person.address,
            "request": f"Gritting routes please.\n{person.forms()}",
        },
    )
    assert sent.status_code == 200, sent.text
    found = re.search(r"FOI-\d{4}-\d{5}", sent.text)
    assert found
    reference = found.group(0)
    headers = bearer(await token_for(sessions, staff.officer))
    answered = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={"action": "respond", "outcome": "granted_in_full", "response": f"Dear {person.given},\nThe routes are attached."},
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    await _clear_review(client, headers, reference)
    assert (await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)).status_code == 200

    anonymous = {"Authorization": ""}
    pages = ["/", "/disclosures", "/disclosures.atom", "/api/v1/disclosures", "/request", "/request/privacy"]
    pages += [f"/disclosures/{reference}", f"/api/v1/disclosures/{reference}", "/disclosures?q=gritting"]
    texts = []
    for page in pages:
        response = await client.get(page, headers=anonymous)
        assert response.status_code == 200, (page, response.status_code)
        texts.append(html.unescape(response.text))
    for item in person.items():
        searched = await client.get(f"/api/v1/disclosures?q={quote(item)}", headers=anonymous)
        assert searched.json()["items"] == [], item
    everything = "\n".join([*texts, html.unescape(sent.text)]).lower()  # the answer page shows nothing of them either
    for item in person.items():
        pattern = r"(?<![a-z0-9])" + re.escape(item.lower()) + r"(?![a-z0-9])"
        assert not re.search(pattern, everything), f"{item!r} found on the public side"


async def test_a_request_made_by_e_mail_never_shows_its_requester_on_a_public_page(
    client: AsyncTestClient, staff: Staff, sessions, settings
) -> None:
    person = make_person(random.Random(secrets.randbits(32)))
    message = EmailMessage()
    message["From"] = f'"{person.surname}, {person.given}" <{person.email}>'
    message["To"] = "foi@council.example"
    message["Subject"] = f"FOI request from {person.name}: gritting routes"
    message["Message-ID"] = f"<{secrets.token_hex(8)}@mail.example.org>"
    message["Date"] = format_datetime(datetime.now(UTC))
    message.set_content(f"Please send the gritting routes.\n{person.forms()}")
    message.add_attachment(pdf_with(person), maintype="application", subtype="pdf", filename=f"{person.surname}-letter.pdf")
    filed = await take_message(sessions.write, message.as_bytes(), settings)
    assert filed.reference, filed
    reference = filed.reference
    headers = bearer(await token_for(sessions, staff.officer))
    answered = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={
            "action": "respond",
            "outcome": "granted_in_full",
            "response": f"Dear {person.given},\nThe routes are attached.",
            "notice": {"send": True},
        },
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    await _clear_review(client, headers, reference)
    assert (await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)).status_code == 200

    anonymous = {"Authorization": ""}
    pages = ["/", "/disclosures", "/disclosures.atom", "/api/v1/disclosures", f"/disclosures/{reference}"]
    pages += [f"/api/v1/disclosures/{reference}", "/disclosures?q=gritting", f"/api/v1/requests/{reference}/correspondence/1"]
    texts = []
    for page in pages:
        response = await client.get(page, headers=anonymous)
        assert response.status_code in (200, 401), (page, response.status_code)
        texts.append(html.unescape(response.text))
    for item in person.items():
        searched = await client.get(f"/api/v1/disclosures?q={quote(item)}", headers=anonymous)
        assert searched.json()["items"] == [], item
    everything = "\n".join(texts).lower()
    for item in person.items():
        pattern = r"(?<![a-z0-9])" + re.escape(item.lower()) + r"(?![a-z0-9])"
        assert not re.search(pattern, everything), f"{item!r} found on the public side"
