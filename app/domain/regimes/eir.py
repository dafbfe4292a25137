"""The Environmental Information Regulations 2004 (environmental information outside Scotland)."""

from app.domain.regimes.regime import Regime
from app.domain.regimes.rules import CalendarName, Exemption, Extension, ExtensionKind, FeeLapse, RegimeRules


def _exception(regulation: str, title: str) -> Exemption:
    return Exemption(f"EIR-r{regulation}", Regime.EIR, f"reg. {regulation}", title)


RULES = RegimeRules(
    regime=Regime.EIR,
    title="Environmental Information Regulations 2004",
    short_name="EIR",
    reference_prefix="EIR",
    where="public authorities in England, Wales and Northern Ireland, and UK-wide bodies, for environmental information",
    environmental=True,
    calendar=CalendarName.UK,
    calendar_law="EIR reg 2(1), taking FOIA s.10(6)",
    time_limit_working_days=20,
    time_limit_law="EIR reg 5(2)",
    review_working_days=40,
    review_law="EIR reg 11(4)",
    extension=Extension(
        kind=ExtensionKind.COMPLEX_AND_VOLUMINOUS,
        law="EIR reg 7",
        working_days=40,  # reg 7(1)
        notice_law="EIR reg 7",
    ),
    fee_pause_law="EIR reg 8",
    fee_notice_law="EIR reg 8",
    # reg 8: the authority need not comply unless an advance payment arrives within 60 working days
    # of the notice (docs/uk-foi-rules.md, counting rule 6)
    fee_lapse=FeeLapse(law="EIR reg 8", working_days=60),
    clarification_law="EIR reg 9",
    refusal_notice_law="EIR reg 14",
    exemption_word="exception",
    exemption_code_example="EIR-r12(5)(e)",
    otherwise_accessible="EIR reg 6(1)(b): already publicly available and easily accessible",
    manifestly_unreasonable="EIR-r12(4)(b)",  # no cost limit or vexatious refusal: reg 12(4)(b) serves
    exemptions=(
        _exception("12(4)(a)", "Information not held"),
        _exception("12(4)(b)", "Manifestly unreasonable request"),
        _exception("12(4)(c)", "Request formulated in too general a manner"),
        _exception("12(4)(d)", "Material in the course of completion, unfinished documents or incomplete data"),
        _exception("12(4)(e)", "Internal communications"),
        _exception("12(5)(a)", "International relations, defence, national security or public safety"),
        _exception("12(5)(b)", "The course of justice, fair trial and inquiries"),
        _exception("12(5)(c)", "Intellectual property rights"),
        _exception("12(5)(d)", "Confidentiality of proceedings"),
        _exception("12(5)(e)", "Confidentiality of commercial or industrial information"),
        _exception("12(5)(f)", "Interests of the person who provided the information"),
        _exception("12(5)(g)", "Protection of the environment"),
        _exception("13", "Personal data"),
    ),
)
