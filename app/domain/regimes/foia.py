"""The Freedom of Information Act 2000 (England, Wales, Northern Ireland and UK-wide bodies)."""

from app.domain.outcomes import Outcome
from app.domain.regimes.regime import Regime
from app.domain.regimes.rules import CalendarName, Exemption, Extension, ExtensionKind, FeeLapse, RegimeRules


def _exemption(section: str, title: str, absolute: bool = False, absolute_in_part: str = "") -> Exemption:
    return Exemption(f"FOIA-s{section}", Regime.FOIA, f"s.{section}", title, absolute, absolute_in_part)


RULES = RegimeRules(
    regime=Regime.FOIA,
    title="Freedom of Information Act 2000",
    short_name="FOIA",
    reference_prefix="FOI",
    where="public authorities in England, Wales and Northern Ireland, and UK-wide bodies",
    environmental=False,
    calendar=CalendarName.UK,
    calendar_law="FOIA s.10(6)",
    time_limit_working_days=20,
    time_limit_law="FOIA s.10(1)",
    review_working_days=20,
    review_law="s.45 Code of Practice",
    extension=Extension(
        kind=ExtensionKind.PUBLIC_INTEREST,
        law="FOIA s.10(3)",
        working_days=40,  # the ICO's norm: at most 20 more working days
        notice_law="FOIA s.10(3) and s.17(2)",
        applies_to_review=True,  # the s.45 Code: 40 working days in exceptional cases
        review_law="s.45 Code of Practice",
    ),
    fee_pause_law="FOIA s.10(2)",
    fee_notice_law="FOIA s.9(1)",
    fee_lapse=FeeLapse(law="FOIA s.9(2)", months=3),
    clarification_law="FOIA s.1(3)",
    refusal_notice_law="FOIA s.17(1)",
    exemption_word="exemption",
    exemption_code_example="FOIA-s40",
    otherwise_accessible="FOIA s.21: information reasonably accessible to the applicant by other means",
    procedural_refusals=(
        (Outcome.REFUSED_COST, "FOIA s.12"),
        (Outcome.REFUSED_VEXATIOUS, "FOIA s.14(1)"),
        (Outcome.REFUSED_REPEATED, "FOIA s.14(2)"),
    ),
    exemptions=(
        _exemption("21", "Information accessible to applicant by other means", absolute=True),
        _exemption("22", "Information intended for future publication"),
        _exemption("22A", "Research"),
        _exemption("23", "Information supplied by, or relating to, bodies dealing with security matters", absolute=True),
        _exemption("24", "National security"),
        _exemption("26", "Defence"),
        _exemption("27", "International relations"),
        _exemption("28", "Relations within the United Kingdom"),
        _exemption("29", "The economy"),
        _exemption("30", "Investigations and proceedings conducted by public authorities"),
        _exemption("31", "Law enforcement"),
        _exemption("32", "Court records", absolute=True),
        _exemption("33", "Audit functions"),
        _exemption("34", "Parliamentary privilege", absolute=True),
        _exemption("35", "Formulation of government policy"),
        # s.2(3) lists the absolute provisions "and no others": ss.21, 23, 32, 34, 41 and 44 wholly, and s.36
        # (Parliament's information only), s.37(1)(a)-(ab) and s.40(1), and s.40(2) on the first condition, in part
        _exemption(
            "36",
            "Prejudice to effective conduct of public affairs",
            absolute_in_part="the exemption is absolute only for information held by the House of Commons or the House of Lords (section 2(3)(e))",
        ),
        _exemption(
            "37",
            "Communications with His Majesty and honours",
            absolute_in_part=(
                "subsection (1)(a) to (ab), communications with the Sovereign, the heir to the Throne or the second in line "
                "to the Throne, and subsection (2) so far as it relates to them, are absolute (section 2(3)(ea))"
            ),
        ),
        _exemption("38", "Health and safety"),
        _exemption("39", "Environmental information"),
        _exemption(
            "40",
            "Personal information",
            absolute_in_part=(
                "subsection (1), the applicant's own personal data, and subsection (2) where disclosure would contravene "
                "the data protection principles (the first condition), are absolute (section 2(3)(f) and (fa))"
            ),
        ),
        _exemption("41", "Information provided in confidence", absolute=True),
        _exemption("42", "Legal professional privilege"),
        _exemption("43", "Commercial interests"),
        _exemption("44", "Prohibitions on disclosure", absolute=True),
    ),
)
