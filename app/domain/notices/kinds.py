"""Which statutory notices the tracker drafts, and which lifecycle step sends each."""

from __future__ import annotations

from enum import StrEnum


class NoticeKind(StrEnum):
    """A notice the authority sends the requester. The value is what the database stores."""

    ACKNOWLEDGEMENT = "acknowledgement"
    CLARIFICATION_REQUEST = "clarification_request"
    FEES_NOTICE = "fees_notice"
    EXTENSION = "extension"
    """FOIA s.10(3) with the s.17(2) content; EIR and EISR reg 7. FOISA has none."""
    RESPONSE = "response"
    """Every outcome: information given, refused (exemptions or exceptions, cost, vexatious,
    repeated), neither confirmed nor denied, not held."""
    REVIEW_OUTCOME = "review_outcome"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    NoticeKind.ACKNOWLEDGEMENT: "Acknowledgement",
    NoticeKind.CLARIFICATION_REQUEST: "Request for clarification",
    NoticeKind.FEES_NOTICE: "Fees notice",
    NoticeKind.EXTENSION: "Extension notice",
    NoticeKind.RESPONSE: "Response",
    NoticeKind.REVIEW_OUTCOME: "Internal review outcome",
}

# Lifecycle actions by their stored names (app/domain/lifecycle.py `Action`), so that this package
# needs nothing from the lifecycle; both extensions share one notice, each regime saying its own law.
_BY_ACTION = {
    "acknowledge": NoticeKind.ACKNOWLEDGEMENT,
    "request_clarification": NoticeKind.CLARIFICATION_REQUEST,
    "issue_fee_notice": NoticeKind.FEES_NOTICE,
    "extend_pit": NoticeKind.EXTENSION,
    "extend_eir": NoticeKind.EXTENSION,
    "respond": NoticeKind.RESPONSE,
    "complete_internal_review": NoticeKind.REVIEW_OUTCOME,
}


def notice_for(action: str) -> NoticeKind | None:
    """The notice a lifecycle step sends, or None for a step that sends none (assign, approve, ...)."""
    return _BY_ACTION.get(str(action))
