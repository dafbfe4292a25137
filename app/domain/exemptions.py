"""The reference list of exemptions and exceptions an authority may rely on.

FOIA Part II (s.21 to s.44), EIR regulations 12 and 13, FOISA Part 2 (s.25 to s.41).
Codes are stable identifiers used in the API, imports and reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import InvalidInput
from app.domain.regimes import Regime


@dataclass(frozen=True, slots=True)
class Exemption:
    code: str
    regime: Regime
    provision: str
    title: str
    absolute: bool = False

    @property
    def label(self) -> str:
        return f"{self.provision} {self.title}"


def _foia(section: str, title: str, absolute: bool = False) -> Exemption:
    return Exemption(f"FOIA-s{section}", Regime.FOIA, f"s.{section}", title, absolute)


def _eir(regulation: str, title: str) -> Exemption:
    return Exemption(f"EIR-r{regulation}", Regime.EIR, f"reg. {regulation}", title)


def _foisa(section: str, title: str, absolute: bool = False) -> Exemption:
    return Exemption(f"FOISA-s{section}", Regime.FOISA, f"s.{section}", title, absolute)


EXEMPTIONS: tuple[Exemption, ...] = (
    _foia("21", "Information accessible to applicant by other means", absolute=True),
    _foia("22", "Information intended for future publication"),
    _foia("22A", "Research"),
    _foia("23", "Information supplied by, or relating to, bodies dealing with security matters", absolute=True),
    _foia("24", "National security"),
    _foia("26", "Defence"),
    _foia("27", "International relations"),
    _foia("28", "Relations within the United Kingdom"),
    _foia("29", "The economy"),
    _foia("30", "Investigations and proceedings conducted by public authorities"),
    _foia("31", "Law enforcement"),
    _foia("32", "Court records", absolute=True),
    _foia("33", "Audit functions"),
    _foia("34", "Parliamentary privilege", absolute=True),
    _foia("35", "Formulation of government policy"),
    _foia("36", "Prejudice to effective conduct of public affairs"),
    _foia("37", "Communications with His Majesty and honours"),
    _foia("38", "Health and safety"),
    _foia("39", "Environmental information"),
    _foia("40", "Personal information", absolute=True),
    _foia("41", "Information provided in confidence", absolute=True),
    _foia("42", "Legal professional privilege"),
    _foia("43", "Commercial interests"),
    _foia("44", "Prohibitions on disclosure", absolute=True),
    _eir("12(4)(a)", "Information not held"),
    _eir("12(4)(b)", "Manifestly unreasonable request"),
    _eir("12(4)(c)", "Request formulated in too general a manner"),
    _eir("12(4)(d)", "Material in the course of completion, unfinished documents or incomplete data"),
    _eir("12(4)(e)", "Internal communications"),
    _eir("12(5)(a)", "International relations, defence, national security or public safety"),
    _eir("12(5)(b)", "The course of justice, fair trial and inquiries"),
    _eir("12(5)(c)", "Intellectual property rights"),
    _eir("12(5)(d)", "Confidentiality of proceedings"),
    _eir("12(5)(e)", "Confidentiality of commercial or industrial information"),
    _eir("12(5)(f)", "Interests of the person who provided the information"),
    _eir("12(5)(g)", "Protection of the environment"),
    _eir("13", "Personal data"),
    _foisa("25", "Information otherwise accessible", absolute=True),
    _foisa("26", "Prohibitions on disclosure", absolute=True),
    _foisa("27", "Information intended for future publication"),
    _foisa("28", "Relations within the United Kingdom"),
    _foisa("29", "Formulation of Scottish Administration policy"),
    _foisa("30", "Prejudice to effective conduct of public affairs"),
    _foisa("31", "National security and defence"),
    _foisa("32", "International relations"),
    _foisa("33", "Commercial interests and the economy"),
    _foisa("34", "Investigations by Scottish public authorities and proceedings"),
    _foisa("35", "Law enforcement"),
    _foisa("36", "Confidentiality", absolute=True),
    _foisa("37", "Court records", absolute=True),
    _foisa("38", "Personal information", absolute=True),
    _foisa("39", "Health, safety and the environment"),
    _foisa("40", "Audit functions"),
    _foisa("41", "Communications with His Majesty and honours"),
)

BY_CODE: dict[str, Exemption] = {exemption.code: exemption for exemption in EXEMPTIONS}
_BY_UPPER_CODE = {code.upper(): exemption for code, exemption in BY_CODE.items()}


def get_exemption(code: str) -> Exemption:
    exemption = _BY_UPPER_CODE.get(code.strip().upper())
    if exemption is None:
        raise InvalidInput("exemptions", f"unknown exemption code '{code}' (use codes such as FOIA-s40, EIR-r12(5)(e))")
    return exemption


def exemptions_for(regime: Regime) -> list[Exemption]:
    return [exemption for exemption in EXEMPTIONS if exemption.regime is regime]


def normalise_exemption_codes(codes: list[str], regime: Regime) -> list[str]:
    """Validates codes against the request's regime; returns canonical codes, de-duplicated, in order."""
    seen: dict[str, None] = {}
    for code in codes:
        exemption = get_exemption(code)
        if exemption.regime is not regime:
            raise InvalidInput("exemptions", f"{exemption.code} belongs to {exemption.regime.label}, not {regime.label}")
        seen[exemption.code] = None
    return list(seen)
