"""The publication review: what each public field of a request will say, the requester's data taken
out of it, and the officer's decisions on what may be personal data. Read for one request (its
review page, the API) or for a whole release batch in a handful of queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.batches import void_approval
from app.domain.errors import InvalidInput
from app.domain.publication import PublicationState
from app.domain.publication_review import Decision, FieldSource, PublicReview, names_someone, review_request, review_text
from app.domain.redaction import PersonalData
from app.models import (
    Document,
    DocumentText,
    FoiRequest,
    PublicTextEdit,
    ReleaseBatch,
    Requester,
    SuspicionReview,
    User,
)
from app.services.clock import now_utc
from app.services.errors import Conflict, NotFound
from app.services.files.names import renamed_like

# The request's own public fields, with what each is called and how long it may be.
REQUEST_FIELDS = {
    "title": ("Title", 300),
    "body": ("The request", 100_000),
    "response": ("Our response", 100_000),
    "summary": ("Public summary", 5_000),
}
DOCUMENT_TITLE_LIMIT = 300
BATCH_FIELDS = {"batch:title": "Title of the release batch", "batch:description": "Description of the release batch"}
_CHUNK = 1000


def document_field(document_id: int, part: str) -> str:
    return f"document:{document_id}:{part}"


@dataclass
class ReviewInputs:
    """Everything a request's review is made from, loaded once."""

    request: FoiRequest
    requester: Requester
    documents: list[Document] = field(default_factory=list)  # released ones, in upload order
    texts: dict[int, str] = field(default_factory=dict)
    batch: ReleaseBatch | None = None
    edits: dict[str, str] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)

    @property
    def person(self) -> PersonalData:
        return PersonalData(name=self.requester.name, email=self.requester.email, address=self.requester.address)

    def sources(self) -> list[FieldSource]:
        request = self.request
        originals = {"title": request.title, "body": request.body, "response": request.response, "summary": request.public_summary}
        found = [FieldSource(name, label, originals[name], self.edits.get(name)) for name, (label, _) in REQUEST_FIELDS.items()]
        for number, document in enumerate(self.documents, start=1):
            found += [
                FieldSource(
                    document_field(document.id, "title"),
                    f"Title of document {number}",
                    document.title,
                    self.edits.get(document_field(document.id, "title")),
                ),
                FieldSource(
                    document_field(document.id, "filename"),
                    f"File name of document {number}",
                    document.filename,
                    self.edits.get(document_field(document.id, "filename")),
                    filename=True,
                ),
                FieldSource(
                    document_field(document.id, "text"),
                    f"Text of document {number}",
                    self.texts.get(document.id, ""),
                    editable=False,
                    released_file=True,
                ),
            ]
        if self.batch is not None:
            found += [
                FieldSource("batch:title", BATCH_FIELDS["batch:title"], self.batch.title, editable=False),
                FieldSource("batch:description", BATCH_FIELDS["batch:description"], self.batch.description, editable=False),
            ]
        return found

    def review(self) -> PublicReview:
        return review_request(self.sources(), self.person, self.decisions)


async def load_inputs(session: AsyncSession, requests: Sequence[FoiRequest]) -> dict[int, ReviewInputs]:
    """The review inputs of many requests (a release batch) in a few queries per thousand."""
    found: dict[int, ReviewInputs] = {}
    batch_ids = {r.batch_id for r in requests if r.batch_id is not None}
    batches = {b.id: b for b in await session.scalars(select(ReleaseBatch).where(ReleaseBatch.id.in_(batch_ids)))} if batch_ids else {}
    for start in range(0, len(requests), _CHUNK):
        chunk = list(requests[start : start + _CHUNK])
        ids = [r.id for r in chunk]
        requesters = {p.id: p for p in await session.scalars(select(Requester).where(Requester.id.in_([r.requester_id for r in chunk])))}
        for request in chunk:
            found[request.id] = ReviewInputs(request, requesters[request.requester_id], batch=batches.get(request.batch_id or 0))
        documents = list(
            await session.scalars(
                select(Document).where(Document.request_id.in_(ids), Document.for_release.is_(True)).order_by(Document.id)
            )
        )
        for document in documents:
            found[document.request_id].documents.append(document)
        if documents:
            owner = {d.id: d.request_id for d in documents}
            for document_id, text in await session.execute(
                select(DocumentText.document_id, DocumentText.text).where(DocumentText.document_id.in_(list(owner)))
            ):
                found[owner[document_id]].texts[document_id] = text
        for edit in await session.scalars(select(PublicTextEdit).where(PublicTextEdit.request_id.in_(ids))):
            found[edit.request_id].edits[edit.field] = edit.text
        for review in await session.scalars(select(SuspicionReview).where(SuspicionReview.request_id.in_(ids))):
            found[review.request_id].decisions[review.suspicion_id] = Decision(review.decision)
    return found


async def lock_request(session: AsyncSession, reference: str) -> FoiRequest:
    return await _request(session, reference, lock=True)


async def _request(session: AsyncSession, reference: str, lock: bool = False) -> FoiRequest:
    statement = select(FoiRequest).where(FoiRequest.reference == (reference or "").strip().upper())
    request = await session.scalar(statement.with_for_update() if lock else statement)
    if request is None:
        raise NotFound(f"no request {reference}")
    return request


async def inputs_for(session: AsyncSession, reference: str, lock: bool = False) -> ReviewInputs:
    request = await _request(session, reference, lock)
    return (await load_inputs(session, [request]))[request.id]


def _clean_edit(inputs: ReviewInputs, name: str, text: object) -> str | None:
    """An officer's wording of one field, checked; None puts the record's own text back."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise InvalidInput(f"fields.{name}", "must be text")
    text = text.strip()
    if name in REQUEST_FIELDS:
        label, limit = REQUEST_FIELDS[name]
        if name == "title" and not text:
            raise InvalidInput("fields.title", "the public title must not be empty")
        if len(text) > limit:
            raise InvalidInput(f"fields.{name}", f"must be {limit:,} characters or fewer (it is {len(text):,})", label=label)
        return text
    for document in inputs.documents:
        if name == document_field(document.id, "title"):
            if not text:
                raise InvalidInput(f"fields.{name}", "a document's public title must not be empty")
            if len(text) > DOCUMENT_TITLE_LIMIT:
                raise InvalidInput(f"fields.{name}", f"must be {DOCUMENT_TITLE_LIMIT:,} characters or fewer (it is {len(text):,})")
            return text
        if name == document_field(document.id, "filename"):
            return renamed_like(text, document.filename)  # the file's type, and so its extension, stays
    editable = [*REQUEST_FIELDS, *(document_field(d.id, part) for d in inputs.documents for part in ("title", "filename"))]
    raise InvalidInput(f"fields.{name}", f"no such public field can be edited; editable: {', '.join(editable)}")


async def update_review(
    session: AsyncSession,
    reference: str,
    *,
    fields: Mapping[str, object] | None = None,
    redact: Sequence[str] = (),
    accept: Sequence[str] = (),
    actor: User,
) -> PublicReview:
    """Sets the officer's wording of public fields and decides suspicions, all or nothing: every
    edit and every id is checked (against the review before and after the edits) before anything is
    written. Commits."""
    inputs = await inputs_for(session, reference, lock=True)
    if inputs.request.publication_state == PublicationState.PUBLISHED:
        raise Conflict(f"{inputs.request.reference} is already published: take it down first to change its public version")
    edits = {name: _clean_edit(inputs, name, text) for name, text in (fields or {}).items()}
    # a decision on something the same edit rewords away is no error: it simply no longer matters
    known = {s.id: s for s in inputs.review().suspicions}
    both = set(redact) & set(accept)
    if both:
        raise InvalidInput("accept", f"a suspicion cannot be both redacted and accepted: {', '.join(sorted(both))}")
    for name, text in edits.items():
        if text is None:
            inputs.edits.pop(name, None)
        else:
            inputs.edits[name] = text
    known |= {s.id: s for s in inputs.review().suspicions}
    for key in [*redact, *accept]:
        if not isinstance(key, str) or key not in known:
            raise InvalidInput(
                "redact" if key in redact else "accept", f"no suspicion '{key}' in the public version of {inputs.request.reference}"
            )
    cannot = [known[key] for key in redact if not known[key].can_redact]
    if cannot:
        raise InvalidInput(
            "redact",
            f"'{cannot[0].text}' is in a released file, which is published as uploaded: replace the file with a redacted copy, or accept it",
        )
    request_id = inputs.request.id
    now = now_utc()
    for name, text in edits.items():
        await session.execute(delete(PublicTextEdit).where(PublicTextEdit.request_id == request_id, PublicTextEdit.field == name))
        if text is not None:
            session.add(PublicTextEdit(request_id=request_id, field=name, text=text, edited_by_id=actor.id, edited_at=now))
    decided = [(key, Decision.REDACT) for key in redact] + [(key, Decision.ACCEPT) for key in accept]
    if decided:
        await session.execute(
            delete(SuspicionReview).where(
                SuspicionReview.request_id == request_id, SuspicionReview.suspicion_id.in_([k for k, _ in decided])
            )
        )
        session.add_all(
            SuspicionReview(
                request_id=request_id,
                suspicion_id=key,
                field=known[key].field,
                decision=decision.value,
                reviewed_by_id=actor.id,
                reviewed_at=now,
            )
            for key, decision in decided
        )
        inputs.decisions.update(decided)
    if (edits or decided) and inputs.batch is not None:
        void_approval(inputs.batch)  # the batch's approval covered the public version as it was
    await session.flush()
    return inputs.review()


async def decide_all(session: AsyncSession, reference: str, decision: Decision, *, actor: User) -> PublicReview:
    """Decides every suspicion still open the same way (the demo authority redacts them all)."""
    inputs = await inputs_for(session, reference)
    open_ids = [s for s in inputs.review().unreviewed if s.can_redact or decision is Decision.ACCEPT]
    return await update_review(
        session,
        reference,
        actor=actor,
        redact=[s.id for s in open_ids] if decision is Decision.REDACT else [],
        accept=[s.id for s in open_ids] if decision is Decision.ACCEPT else [],
    )


def public_batch_texts(batch: ReleaseBatch, reviewed: Sequence[ReviewInputs]) -> tuple[str, str]:
    """A batch's public title and description: every requester's data removed, and what any
    officer redacted in a request's review of them redacted for all. What no single review raised
    (possible only across requesters) is redacted too: the safe side."""
    people = [inputs.person for inputs in reviewed]
    decisions: dict[str, Decision] = {}
    for inputs in reviewed:
        for key, decision in inputs.decisions.items():
            if decisions.get(key) is not Decision.REDACT:
                decisions[key] = decision
    texts = []
    for name, text in (("batch:title", batch.title), ("batch:description", batch.description)):
        first = review_text(name, BATCH_FIELDS[name], text, people, decisions)
        undecided = {s.id: Decision.REDACT for s in first.unreviewed}
        texts.append(review_text(name, BATCH_FIELDS[name], text, people, {**decisions, **undecided}).public if undecided else first.public)
    return texts[0] or "Released together", texts[1]


def batch_slug_names_someone(batch: ReleaseBatch, reviewed: Sequence[ReviewInputs]) -> bool:
    """Whether a batch's web address (made from its title unless given) holds a requester's data."""
    return names_someone(batch.slug, [inputs.person for inputs in reviewed])
