"""Where a request stands on the public disclosure log (docs/contract.md: `publication.state`)."""

from __future__ import annotations

from enum import StrEnum


class PublicationState(StrEnum):
    UNPUBLISHED = "unpublished"
    SCHEDULED = "scheduled"
    """Reviewed and due to appear at its `publish_at`."""
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    """Taken down: the content has left the public site; a notice of the withdrawal stays."""

    @property
    def label(self) -> str:
        return self.value.capitalize()
