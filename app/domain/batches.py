"""Release batches: requests published together, all at once or not at all.

A batch is drafted (title, slug, description, a planned time), filled with answered requests,
approved by a manager, then published now or scheduled. Any change after approval sends it back
to draft: the approval covers exactly what will be published. Once published a batch is fixed; a
request leaves it only by being taken down.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.exemptions import BY_CODE
from app.domain.publication import PublicationState

MAX_TITLE = 300
MAX_DESCRIPTION = 10_000
MAX_SLUG = 80
MAX_REQUESTS = 10_000
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class BatchState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def editable(self) -> bool:
        return self is not BatchState.PUBLISHED


# the states from which a batch may be published (now) or scheduled
PUBLISHABLE_STATES = (BatchState.APPROVED, BatchState.SCHEDULED)


def slugify(title: str) -> str:
    """A URL slug from a title: "Older FOI responses, March 2025" -> "older-foi-responses-march-2025"."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def clean_slug(slug: str | None, title: str) -> str:
    value = (slug or "").strip().lower() or slugify(title)
    if not value:
        raise InvalidInput("slug", "give a slug of letters, digits and hyphens, like older-responses-2024")
    if len(value) > MAX_SLUG:
        raise InvalidInput("slug", f"at most {MAX_SLUG} characters")
    if not _SLUG.match(value):
        raise InvalidInput("slug", "use lower-case letters, digits and single hyphens only, like older-responses-2024")
    return value


def clean_title(title: str | None) -> str:
    value = " ".join((title or "").split())
    if not value:
        raise InvalidInput("title", "give the batch a title")
    if len(value) > MAX_TITLE:
        raise InvalidInput("title", f"at most {MAX_TITLE} characters")
    return value


def clean_description(description: str | None) -> str:
    value = (description or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_DESCRIPTION:
        raise InvalidInput("description", f"at most {MAX_DESCRIPTION:,} characters")
    return value


def why_not_addable(
    *,
    status: str,
    publication_state: str,
    batch_id: int | None,
    this_batch_id: int,
    publishable_statuses: frozenset[str],
    batch_slug: str | None = None,
) -> str | None:
    """Why a request cannot join this batch, or None if it can."""
    if batch_id == this_batch_id:
        return "is already in this batch"
    if batch_id is not None:
        return f"is already in batch {batch_slug}" if batch_slug else "is already in another batch"
    if status not in publishable_statuses:
        return f"is {status.replace('_', ' ')}: only answered requests can be published"
    if publication_state == PublicationState.PUBLISHED:
        return "is already published"
    if publication_state == PublicationState.SCHEDULED:
        return "is scheduled for publication on its own; cancel that first"
    return None


_PROVISION_NUMBER = re.compile(r"^(?:s|reg)\.\s*(.+)$")


def unexplained_exemptions(response: str | None, codes: list[str]) -> list[str]:
    """The exemptions applied that the public response never mentions (by section or regulation),
    so a reader of the disclosure log would not learn why information was withheld."""
    text = " ".join((response or "").lower().split())
    missing = []
    for code in codes:
        exemption = BY_CODE.get(code)
        if exemption is None:
            continue
        match = _PROVISION_NUMBER.match(exemption.provision)
        number = (match.group(1) if match else exemption.provision).lower()
        # "section 40(2)", "s.40", "s 40", "regulation 12(5)(e)", "reg. 13", "exemption 43"
        head = re.escape(number.split("(")[0])
        pattern = rf"(?:section|sections|s\.?|regulation|regulations|reg\.?|exemption|exception)\s*{head}(?![0-9a-z])"
        if not re.search(pattern, text):
            missing.append(code)
    return missing


def void_approval(batch: Any) -> bool:
    """A change after approval voids it, so an approval always covers exactly what will be
    published: the batch (anything with state, approved_by_id, approved_at) goes back to draft.
    Returns whether it did."""
    if batch.state in (BatchState.APPROVED.value, BatchState.SCHEDULED.value):
        batch.state = BatchState.DRAFT.value
        batch.approved_by_id = None
        batch.approved_at = None
        return True
    return False
