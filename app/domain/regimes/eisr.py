"""The Environmental Information (Scotland) Regulations 2004 (environmental information held by
Scottish public authorities), docs/uk-foi-rules.md, "Regimes"."""

from app.domain.regimes.regime import Regime
from app.domain.regimes.rules import CalendarName, Exemption, Extension, ExtensionKind, FeeLapse, RegimeRules


def _exception(regulation: str, title: str) -> Exemption:
    return Exemption(f"EISR-r{regulation}", Regime.EISR, f"reg. {regulation}", title)


RULES = RegimeRules(
    regime=Regime.EISR,
    title="Environmental Information (Scotland) Regulations 2004",
    short_name="EISR",
    reference_prefix="EISR",
    where="Scottish public authorities, for environmental information",
    environmental=True,
    calendar=CalendarName.SCOTLAND,  # reg 2(1): a working day as FOISA s.73 defines it
    calendar_law="EISR reg 2(1), taking FOISA s.73",
    time_limit_working_days=20,
    time_limit_law="EISR reg 5(2)(a)",
    review_working_days=20,
    review_law="EISR reg 16(4)",
    extension=Extension(
        kind=ExtensionKind.COMPLEX_AND_VOLUMINOUS,
        law="EISR reg 7",
        working_days=40,  # reg 7(1), notified within the first 20 working days (reg 7(2))
        notice_law="EISR reg 7",
    ),
    fee_pause_law="EISR reg 8",
    fee_notice_law="EISR reg 8",
    fee_lapse=FeeLapse(law="EISR reg 8", working_days=60),
    clarification_law="EISR reg 9",
    refusal_notice_law="EISR reg 13",
    exemption_word="exception",
    exemption_code_example="EISR-r10(5)(e)",
    otherwise_accessible="EISR reg 6(1)(b): already publicly available and easily accessible",
    manifestly_unreasonable="EISR-r10(4)(b)",  # no cost limit or vexatious refusal: reg 10(4)(b) serves
    exemptions=(
        _exception("10(4)(a)", "Information not held"),
        _exception("10(4)(b)", "Manifestly unreasonable request"),
        _exception("10(4)(c)", "Request formulated in too general a manner"),
        _exception("10(4)(d)", "Material in the course of completion, unfinished documents or incomplete data"),
        _exception("10(4)(e)", "Internal communications"),
        _exception("10(5)(a)", "International relations, defence, national security or public safety"),
        _exception("10(5)(b)", "The course of justice, fair trial and inquiries"),
        _exception("10(5)(c)", "Intellectual property rights"),
        _exception("10(5)(d)", "Confidentiality of proceedings"),
        _exception("10(5)(e)", "Confidentiality of commercial or industrial information"),
        _exception("10(5)(f)", "Interests of the person who provided the information"),
        _exception("10(5)(g)", "Protection of the environment"),
        _exception("11", "Personal data"),
    ),
)
