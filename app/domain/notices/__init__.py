"""Statutory notices drafted from a case: what each says, in each regime's own terms.

Pure Python: the caller gathers the case's facts (`CaseFacts`) and the settings' `Letterhead`;
`render_notice` drafts the notice from the shipped text (`shipped_text`) or the authority's edited
one, which `check_text` vets first; `notice_problems` says what a step must give before its notice can be
queued. What each notice contains, and why, is in docs/notices.md.
"""

from app.domain.notices.facts import CaseFacts, Letterhead, Notice, NoticeText
from app.domain.notices.kinds import NoticeKind, notice_for
from app.domain.notices.law import REVIEW_ASK_WORKING_DAYS, Commissioner, Law, law_for, review_counts_from
from app.domain.notices.problems import notice_problems
from app.domain.notices.rendering import (
    ExemptionView,
    NoticeTextError,
    check_text,
    render_notice,
    sample_letterhead,
    template_fields,
)
from app.domain.notices.samples import sample_case
from app.domain.notices.shipped import shipped_text

__all__ = [
    "REVIEW_ASK_WORKING_DAYS",
    "CaseFacts",
    "Commissioner",
    "ExemptionView",
    "Law",
    "Letterhead",
    "Notice",
    "NoticeKind",
    "NoticeText",
    "NoticeTextError",
    "check_text",
    "law_for",
    "notice_for",
    "notice_problems",
    "render_notice",
    "review_counts_from",
    "sample_case",
    "sample_letterhead",
    "shipped_text",
    "template_fields",
]
