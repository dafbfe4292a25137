"""The Freedom of Information (Scotland) Act 2002 (Scottish public authorities)."""

from app.domain.outcomes import Outcome
from app.domain.regimes.regime import Regime
from app.domain.regimes.rules import CalendarName, Exemption, FeeLapse, PostalReceipt, RegimeRules


def _exemption(section: str, title: str, absolute: bool = False, absolute_in_part: str = "") -> Exemption:
    return Exemption(f"FOISA-s{section}", Regime.FOISA, f"s.{section}", title, absolute, absolute_in_part)


RULES = RegimeRules(
    regime=Regime.FOISA,
    title="Freedom of Information (Scotland) Act 2002",
    short_name="FOISA",
    reference_prefix="FOISA",
    where="Scottish public authorities",
    environmental=False,
    calendar=CalendarName.SCOTLAND,
    calendar_law="FOISA s.73",
    time_limit_working_days=20,
    time_limit_law="FOISA s.10(1)",
    review_working_days=20,
    review_law="FOISA s.21(1)",
    extension=None,  # FOISA has no extension of time at all
    fee_pause_law="FOISA s.10(3)",
    fee_notice_law="FOISA s.9(1)",
    fee_lapse=FeeLapse(law="FOISA s.9(4)", months=3),
    clarification_law="FOISA s.1(3)",
    refusal_notice_law="FOISA s.16",
    exemption_word="exemption",
    exemption_code_example="FOISA-s38",
    otherwise_accessible="FOISA s.25: information otherwise accessible",
    procedural_refusals=(
        (Outcome.REFUSED_COST, "FOISA s.12"),
        (Outcome.REFUSED_VEXATIOUS, "FOISA s.14(1)"),
        (Outcome.REFUSED_REPEATED, "FOISA s.14(2)"),
    ),
    # s.74(2)(a): "posted is presumed not to be received until the third day after the day of posting"
    postal_receipt=PostalReceipt(days_after_posting=3, law="FOISA s.74(2)(a)"),
    exemptions=(
        _exemption("25", "Information otherwise accessible", absolute=True),
        _exemption("26", "Prohibitions on disclosure", absolute=True),
        _exemption("27", "Information intended for future publication"),
        _exemption("28", "Relations within the United Kingdom"),
        _exemption("29", "Formulation of Scottish Administration policy"),
        _exemption("30", "Prejudice to effective conduct of public affairs"),
        _exemption("31", "National security and defence"),
        _exemption("32", "International relations"),
        _exemption("33", "Commercial interests and the economy"),
        _exemption("34", "Investigations by Scottish public authorities and proceedings"),
        _exemption("35", "Law enforcement"),
        # s.2(2) lists the absolute provisions "and no others": ss.25, 26 and 37 wholly, s.36(2) and parts of s.38(1);
        # s.36(1), legal professional privilege, is qualified
        _exemption(
            "36",
            "Confidentiality",
            absolute_in_part=(
                "subsection (2), information obtained from another person whose disclosure would be an actionable breach "
                "of confidence, is absolute (section 2(2)(c))"
            ),
        ),
        _exemption("37", "Court records", absolute=True),
        _exemption(
            "38",
            "Personal information",
            absolute_in_part=(
                "subsection (1)(a), (c) and (d), and subsection (1)(b) where disclosure would contravene the data protection "
                "principles (the first condition), are absolute (section 2(2)(e))"
            ),
        ),
        _exemption("39", "Health, safety and the environment"),
        _exemption("40", "Audit functions"),
        _exemption("41", "Communications with His Majesty and honours"),
    ),
)
