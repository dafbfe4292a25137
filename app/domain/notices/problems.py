"""What a notice needs from the step that sends it before it can be queued: the service asks
`notice_problems` and refuses the step, in the officer's words, while something a notice must say is
missing (a public interest extension that names no exemption, a review outcome without its reasons).

The messages name fields and the law, never the case: no personal data reaches them.
"""

from __future__ import annotations

from app.domain.notices.facts import CaseFacts
from app.domain.notices.kinds import NoticeKind
from app.domain.regimes import ExtensionKind, Regime

# what makes a public interest extension's notice name the exemption (only FOIA has the extension)
_EXTENSION_NOTICE_LAW = {Regime.FOIA: "FOIA s.17(2)"}
# the provision that makes the review's notice give its reasons
_REVIEW_REASONS_LAW = {
    Regime.FOIA: "the s.45 Code of Practice, part 5",
    Regime.EIR: "EIR reg 11(4) and (5)",
    Regime.FOISA: "FOISA s.21(5)",
    Regime.EISR: "EISR reg 16(4)",
}


def notice_problems(kind: NoticeKind, facts: CaseFacts) -> dict[str, str]:
    """{field: what is missing, in an officer's words} for a notice of `kind` drafted from `facts`;
    {} when it can be sent. A refusal with no reasons is the lifecycle's to refuse (`respond`)."""
    problems: dict[str, str] = {}
    extension = facts.regime.rules.extension
    if kind is NoticeKind.EXTENSION and extension is not None and extension.kind is ExtensionKind.PUBLIC_INTEREST and not facts.exemptions:
        law = _EXTENSION_NOTICE_LAW.get(facts.regime, extension.notice_law)
        problems["exemptions"] = f"name the exemption being considered: the extension notice must say it ({law})"
    if kind is NoticeKind.CLARIFICATION_REQUEST and not facts.note.strip():
        problems["note"] = "say what needs clarifying: the notice asks the requester for it"
    if kind is NoticeKind.REVIEW_OUTCOME and not facts.note.strip():
        problems["note"] = f"give the reviewer's reasons: the notice sends them ({_REVIEW_REASONS_LAW[facts.regime]})"
    return problems
