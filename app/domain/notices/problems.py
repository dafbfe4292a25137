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


# what makes a refusal notice state the public interest arguments
_PUBLIC_INTEREST_LAW = {
    Regime.FOIA: "FOIA s.17(3)",
    Regime.EIR: "EIR reg 14(3)(b)",
    Regime.FOISA: "FOISA s.16(2)",
    Regime.EISR: "EISR reg 13(b)",
}
# "not held": an exception with nothing to weigh; personal data: absolute where the first condition
# applies (EIR reg 13(2A), EISR reg 11), as FOIA s.40 and FOISA s.38 are in part
_NOTHING_TO_WEIGH = frozenset({"EIR-r12(4)(a)", "EISR-r10(4)(a)", "EIR-r13", "EISR-r11"})


def _weighed(facts: CaseFacts) -> bool:
    """A refusal resting on an exemption that is not wholly absolute: the public interest was weighed."""
    if facts.outcome not in _REFUSALS_WEIGHED:
        return False
    declared = {e.code: e for e in facts.regime.rules.exemptions}
    # an exemption absolute in part may rest on its absolute part: the officer knows which, the notice says both
    qualified = (declared[code] for code in facts.exemptions if code in declared and code not in _NOTHING_TO_WEIGH)
    return any(not (exemption.absolute or exemption.absolute_in_part) for exemption in qualified)


_REFUSALS_WEIGHED = frozenset({"refused_in_full", "granted_in_part", "neither_confirm_nor_deny"})


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
    if kind is NoticeKind.RESPONSE and not facts.public_interest.strip() and _weighed(facts):
        problems["public_interest"] = (
            f"give the public interest arguments, for and against disclosure: a refusal relying on a qualified "
            f"{facts.regime.rules.exemption_word} must state them ({_PUBLIC_INTEREST_LAW[facts.regime]})"
        )
    if kind is NoticeKind.REVIEW_OUTCOME and not facts.note.strip():
        problems["note"] = f"give the reviewer's reasons: the notice sends them ({_REVIEW_REASONS_LAW[facts.regime]})"
    return problems
