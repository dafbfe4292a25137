"""The public version of a request, field by field, as an officer reviews it before publication.

Each public field starts from the record's text, or from the officer's own wording of it. What
surely identifies the requester is removed automatically (`redaction.scan`); what may be personal
data but may as well be an ordinary word ("Hill", a number) is a suspicion, and nothing is published
while a suspicion is undecided. The officer redacts it or accepts it as safe; the record itself is
never changed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.redaction import Finding, PersonalData, Scan, apply_redactions, scan, suspicion_id


class Decision(StrEnum):
    REDACT = "redact"
    ACCEPT = "accept"


# What the requester's own data is called where it is found in a released file.
_OWN_DATA_KINDS = {
    "name": "name",
    "given_name": "name",
    "email": "e-mail address",
    "address": "address",
    "postcode": "postcode",
    "surname": "surname",
    "given_name_alone": "given name",
}


@dataclass(frozen=True)
class Suspicion:
    id: str
    field: str
    text: str
    reason: str
    decision: Decision | None = None
    can_redact: bool = True  # a released file is not rewritten here: only "accept" or replace it


@dataclass(frozen=True)
class Segment:
    """A stretch of the reviewed text and what happens to it, for showing the text marked up."""

    text: str
    kind: str  # "plain" | "redacted" | "suspicion"
    reason: str = ""
    suspicion_id: str = ""
    decision: Decision | None = None


@dataclass(frozen=True)
class FieldReview:
    field: str
    label: str
    source: str  # the text reviewed: the officer's wording, or the record's
    public: str  # what the public will read
    edited: bool
    editable: bool
    redactions: tuple[Finding, ...]
    suspicions: tuple[Suspicion, ...]  # one per id, in order of first appearance
    segments: tuple[Segment, ...]

    @property
    def unreviewed(self) -> list[Suspicion]:
        return [s for s in self.suspicions if s.decision is None]


@dataclass(frozen=True)
class PublicReview:
    fields: tuple[FieldReview, ...]
    problems: tuple[str, ...] = ()  # what blocks publication besides suspicions

    def field(self, name: str) -> FieldReview | None:
        return next((f for f in self.fields if f.field == name), None)

    def public(self, name: str) -> str:
        found = self.field(name)
        return found.public if found else ""

    @property
    def suspicions(self) -> list[Suspicion]:
        return [s for f in self.fields for s in f.suspicions]

    @property
    def unreviewed(self) -> list[Suspicion]:
        return [s for f in self.fields for s in f.unreviewed]

    @property
    def redactions(self) -> list[tuple[str, Finding]]:
        return [(f.field, finding) for f in self.fields for finding in f.redactions]

    def blocking(self) -> list[str]:
        """Why publishing must wait, in words an officer understands; empty when it may go ahead."""
        labels = {f.field: f.label for f in self.fields}
        left = [f"'{s.text}' in {labels[s.field].lower()} ({s.reason})" for s in self.unreviewed]
        return list(self.problems) + (
            [f"{len(left)} possible personal data not reviewed: " + "; ".join(left[:10]) + ("; ..." if len(left) > 10 else "")]
            if left
            else []
        )


def review_text(
    field_name: str,
    label: str,
    text: str | None,
    people: Sequence[PersonalData],
    decisions: Mapping[str, Decision],
    *,
    edited: bool = False,
    editable: bool = True,
    filename: bool = False,
) -> FieldReview:
    """One public field: the automatic redactions, the suspicions with the officer's decisions, and
    the public text (redactions and suspicions decided "redact" replaced by [redacted])."""
    source = text or ""
    found = scan(source, people)
    if filename:
        found = _scan_file_name(source, people)
    suspicions: dict[str, Suspicion] = {}
    spans = [(r.start, r.end) for r in found.redactions]
    flagged: list[tuple[Finding, str]] = []
    own_words = _name_words(people)
    for finding in found.suspicions:
        key = suspicion_id(field_name, finding)
        decision = decisions.get(key)
        reason = finding.reason
        if finding.kind not in _NAME_KINDS and own_words & {w.casefold() for w in re.findall(r"[^\W\d_]+", finding.text)}:
            reason += " (it holds the requester's name: accepting it publishes that name)"
        suspicions.setdefault(key, Suspicion(key, field_name, finding.text, reason, decision))
        flagged.append((finding, key))
        if decision is Decision.REDACT:
            spans.append((finding.start, finding.end))
    return FieldReview(
        field=field_name,
        label=label,
        source=source,
        public=apply_redactions(source, spans) if spans else source,
        edited=edited,
        editable=editable,
        redactions=found.redactions,
        suspicions=tuple(suspicions.values()),
        segments=_segments(source, found.redactions, flagged, decisions),
    )


_FILENAME_SEPARATORS = re.compile(r"[-_.+]")
# the requester's own names: what a capitalised reading of a lower-case file name may reveal
_NAME_KINDS = {"surname", "given_name_alone"}


def _name_words(people: Sequence[PersonalData]) -> set[str]:
    """The words of the requesters' names, as a suspicion holding one of them is told apart."""
    titles = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof"}
    return {
        word.casefold()
        for person in people
        for word in re.findall(r"[^\W\d_]+", person.name or "")
        if len(word) > 2 and word.casefold() not in titles
    }


def _scan_file_name(source: str, people: Sequence[PersonalData]) -> Scan:
    """A file name (or a web address) read as written, with its separators as spaces, and capitalised."""
    found = scan(source, people)
    # "jane-smithers_letter.pdf": separators read as spaces too (same length, so the offsets hold)
    spaced_text = _FILENAME_SEPARATORS.sub(" ", source)
    spaced = scan(spaced_text, people)
    # file names are often all lower case, where a surname alone would pass for an ordinary word:
    # read them capitalised too (when that keeps every offset)
    titled_text = spaced_text.title()
    titled = scan(titled_text, people) if len(titled_text) == len(source) else Scan((), ())
    redactions = _merge_findings(source, [*found.redactions, *spaced.redactions, *titled.redactions])
    covered = [(r.start, r.end) for r in redactions]
    # one suspicion per stretch of the name as written ("Smithers-Jones", not the spaced reading's words)
    by_span: dict[tuple[int, int], Finding] = {}
    personal = [f for f in titled.suspicions if f.kind in _NAME_KINDS]  # not every capitalised word as a name
    for f in sorted([*found.suspicions, *spaced.suspicions, *personal], key=lambda f: (f.start, f.end)):
        if (f.start, f.end) not in by_span and not any(start < f.end and f.start < end for start, end in covered):
            by_span[(f.start, f.end)] = Finding(f.start, f.end, source[f.start : f.end], f.kind, f.reason)
    return Scan(tuple(redactions), tuple(by_span.values()))


def names_someone(slug: str, people: Sequence[PersonalData]) -> bool:
    """Whether a web address (a release batch's, made from its title) holds one of these people's data."""
    found = _scan_file_name(slug, people)
    return bool(found.redactions) or any(f.kind in _NAME_KINDS | {"other_name", "address_place"} for f in found.suspicions)


def _merge_findings(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Overlapping findings as one, keeping the first one's kind and reason."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and finding.start <= merged[-1].end:
            last = merged[-1]
            end = max(last.end, finding.end)
            merged[-1] = Finding(last.start, end, text[last.start : end], last.kind, last.reason)
        else:
            merged.append(Finding(finding.start, finding.end, text[finding.start : finding.end], finding.kind, finding.reason))
    return merged


def review_released_file(
    field_name: str, label: str, text: str | None, person: PersonalData, decisions: Mapping[str, Decision]
) -> FieldReview:
    """The text of a released file: the search index gets it with every redaction made and every
    suspicion taken out too (the index is ours: searching loses little), but the file itself is
    published as it is, so each piece of the requester's own data found in it is a suspicion that
    only the officer can clear (accept it, or replace the file)."""
    source = text or ""
    found = scan(source, [person])
    suspicions: dict[str, Suspicion] = {}
    for finding in (*found.redactions, *found.suspicions):
        kind = _OWN_DATA_KINDS.get(finding.kind)
        if kind is None or (finding.kind in {"email", "postcode"} and not _is_own(finding, person)):
            continue
        key = suspicion_id(field_name, finding)
        reason = f"the requester's {kind} is in the released file itself: replace the file with a redacted copy, or accept it"
        suspicions.setdefault(key, Suspicion(key, field_name, finding.text, reason, decisions.get(key), can_redact=False))
    return FieldReview(
        field=field_name,
        label=label,
        source=source,
        public=apply_redactions(source, [(f.start, f.end) for f in (*found.redactions, *found.suspicions)]),
        edited=False,
        editable=False,
        redactions=found.redactions,
        suspicions=tuple(suspicions.values()),
        segments=(),
    )


def _is_own(finding: Finding, person: PersonalData) -> bool:
    folded = " ".join(finding.text.split()).casefold()
    return any(folded and folded in " ".join((value or "").split()).casefold() for value in (person.email, person.address))


def _segments(
    text: str, redactions: Sequence[Finding], flagged: Sequence[tuple[Finding, str]], decisions: Mapping[str, Decision]
) -> tuple[Segment, ...]:
    marks = sorted(
        [(r.start, r.end, Segment(r.text, "redacted", r.reason)) for r in redactions]
        + [(f.start, f.end, Segment(f.text, "suspicion", f.reason, key, decisions.get(key))) for f, key in flagged],
        key=lambda mark: (mark[0], mark[1]),  # marks on the same stretch: the first one (a redaction) wins
    )
    pieces: list[Segment] = []
    position = 0
    for start, end, segment in marks:
        if start < position:  # overlapping marks: the first one shown wins
            continue
        if start > position:
            pieces.append(Segment(text[position:start], "plain"))
        pieces.append(segment)
        position = end
    if position < len(text):
        pieces.append(Segment(text[position:], "plain"))
    return tuple(pieces)


@dataclass
class FieldSource:
    """One field as the service hands it over: its name, label and texts."""

    field: str
    label: str
    original: str | None
    edit: str | None = None
    editable: bool = True
    released_file: bool = False
    filename: bool = False
    people: list[PersonalData] = dataclasses.field(default_factory=list)


def review_request(
    sources: Sequence[FieldSource], person: PersonalData, decisions: Mapping[str, Decision], problems: Sequence[str] = ()
) -> PublicReview:
    """Every public field of a request under review."""
    reviews = []
    for source in sources:
        if source.released_file:
            reviews.append(review_released_file(source.field, source.label, source.original, person, decisions))
        else:
            text = source.edit if source.edit is not None else source.original
            reviews.append(
                review_text(
                    source.field,
                    source.label,
                    text,
                    source.people or [person],
                    decisions,
                    edited=source.edit is not None,
                    editable=source.editable,
                    filename=source.filename,
                )
            )
    return PublicReview(tuple(reviews), tuple(problems))
