"""A notice as a printed letter for post: A4, the authority's letterhead, the address placed for a
window envelope, the date, the reference, the subject, the body and the signature, in a PDF whose
text can be selected and read back (screen readers, search, the case's own copy).

The font is Open Sans, shipped by the `ttf-opensans` package (a runtime dependency), so that names
such as "Zoë Ó Súilleabháin", "Łukasz" or "Dafydd ap Gruffydd" print whatever the server has
installed; PDF's built-in fonts are Latin-1 only. A character the font lacks (a Chinese name, an
emoji) prints as "?" rather than as nothing.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from app.domain.notices import Letterhead, Notice
from app.domain.notices.rendering import date_words

# fpdf2 embeds the font through fontTools, whose subsetter logs some 40 INFO lines per letter
logging.getLogger("fontTools").setLevel(logging.WARNING)

_FONT = "opensans"
_MARGIN = 20.0  # mm
# A DL window envelope (220 x 110 mm, window about 90 x 45 mm, 20 mm from the left and 15 mm from
# the top of the envelope) shows this block of an A4 letter folded in three (BS EN ISO 269 sizes).
_ADDRESS_X, _ADDRESS_Y, _ADDRESS_WIDTH, _ADDRESS_LINES = 25.0, 52.0, 80.0, 7
_RIGHT_COLUMN_X = 120.0
_BODY_Y = 100.0
_LINE = 5.2  # mm, for 10.5 pt text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEADING_CHARS = 60
"""A heading is a short line, after a blank line (or first), with its text on the next line."""
_KEEP_WITH_HEADING = 3
"""Lines of text a heading needs below it on the page, or it starts the next page."""


@cache
def _font_paths() -> tuple[Path, Path]:
    """The regular and bold Open Sans files inside the installed package."""
    folder = files("ttf_opensans").joinpath("ttf")
    paths = []
    for name in ("OpenSans-Regular.ttf", "OpenSans-Bold.ttf"):
        with as_file(folder.joinpath(name)) as path:  # a wheel installs real files: the path stays valid
            paths.append(Path(path))
    return paths[0], paths[1]


class _Letter(FPDF):
    reference = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(_FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.reference}    Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def letter_pdf(notice: Notice, letterhead: Letterhead, to_name: str, to_address: str, on: date) -> bytes:
    """The notice as a printable A4 letter to `to_name` at `to_address` (several lines), dated `on`."""
    regular, bold = _font_paths()
    pdf = _Letter(format="A4", unit="mm")
    pdf.add_font(_FONT, "", str(regular))
    pdf.add_font(_FONT, "B", str(bold))
    pdf.set_margins(_MARGIN, 15, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_title(_printable(pdf, notice.subject))
    pdf.set_author(_printable(pdf, letterhead.authority_name))
    pdf.set_creator("FOI tracker")
    pdf.set_creation_date(datetime.combine(on, time(12, 0)))
    reference = _reference(notice)
    pdf.reference = _printable(pdf, reference)
    pdf.add_page()

    # letterhead, top right
    pdf.set_xy(_RIGHT_COLUMN_X, 15)
    pdf.set_font(_FONT, "B", 12)
    pdf.multi_cell(0, 6, _printable(pdf, letterhead.authority_name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, size=9)
    for line in [*_lines(letterhead.postal_address), letterhead.request_email, letterhead.contact]:
        if line.strip():
            pdf.set_x(_RIGHT_COLUMN_X)
            pdf.multi_cell(0, 4.4, _printable(pdf, line.strip()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    letterhead_bottom = pdf.get_y()

    # the addressee, where the envelope's window shows it
    pdf.set_font(_FONT, size=10.5)
    address = [to_name.strip(), *_address_lines(to_address)]
    address = [line for line in address if line][:_ADDRESS_LINES]
    pdf.set_xy(_ADDRESS_X, _ADDRESS_Y)
    for line in address:
        pdf.set_x(_ADDRESS_X)
        pdf.cell(_ADDRESS_WIDTH, _LINE, _fit(pdf, _printable(pdf, line), _ADDRESS_WIDTH), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # date and reference, right column level with the address (below a long letterhead)
    pdf.set_xy(_RIGHT_COLUMN_X, max(_ADDRESS_Y, letterhead_bottom + 2))
    pdf.cell(0, _LINE, date_words(on), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if reference:
        pdf.set_x(_RIGHT_COLUMN_X)
        pdf.cell(0, _LINE, _fit(pdf, _printable(pdf, f"Our reference: {reference}"), 210 - _MARGIN - _RIGHT_COLUMN_X))

    # subject and body
    pdf.set_xy(_MARGIN, max(_BODY_Y, pdf.get_y() + 2 * _LINE))
    pdf.set_font(_FONT, "B", 11)
    pdf.multi_cell(0, 6, _printable(pdf, notice.subject), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(_FONT, size=10.5)
    body = notice.body.rstrip()
    if letterhead.signature.strip() and letterhead.signature.strip() not in body:
        body += f"\n\nYours sincerely,\n\n{letterhead.signature.strip()}\n{letterhead.authority_name.strip()}"
    _write_body(pdf, _printable(pdf, body))
    return bytes(pdf.output())


def _write_body(pdf: FPDF, body: str) -> None:
    """The body line by line: a heading in bold, never left alone at the foot of a page."""
    lines = body.split("\n")
    # the signature block (a name above the authority's) has no headings
    signed_from = next((number for number, line in enumerate(lines) if line.startswith("Yours ")), len(lines))
    for number, line in enumerate(lines):
        if not line.strip():
            pdf.ln(_LINE)
            continue
        if number < signed_from and _is_heading(lines, number):
            if pdf.get_y() + _LINE * (1 + _KEEP_WITH_HEADING) > pdf.page_break_trigger:
                pdf.add_page()
            pdf.set_font(_FONT, "B", 10.5)
            pdf.multi_cell(0, _LINE, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(_FONT, size=10.5)
            continue
        pdf.multi_cell(0, _LINE, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _is_heading(lines: list[str], number: int) -> bool:
    line = lines[number]
    if line != line.lstrip() or len(line) > _HEADING_CHARS or line.startswith("- ") or line.rstrip()[-1] in ".,;":
        return False
    before_blank = number == 0 or not lines[number - 1].strip()
    text_follows = number + 1 < len(lines) and bool(lines[number + 1].strip())
    return before_blank and text_follows


def _reference(notice: Notice) -> str:
    # the subjects the shipped texts write name the reference; an edited subject may not
    found = re.search(r"\b[A-Z]{2,6}-\d{4}-\d{3,}\b", f"{notice.subject}\n{notice.body}")
    return found.group(0) if found else ""


def _address_lines(text: str) -> list[str]:
    """An address as the window shows it: one written on one line ("Flat 1, Ivy Terrace, Redwell, DB5 1TS")
    is set one part a line, so that the postcode, last, is never the part cut off."""
    lines = _lines(text)
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    if len(lines) > _ADDRESS_LINES - 1:  # keep the last line (the postcode): join the first ones instead
        keep = _ADDRESS_LINES - 2
        lines = [", ".join(lines[: len(lines) - keep]), *lines[len(lines) - keep :]]
    return lines


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def _printable(pdf: FPDF, text: str) -> str:
    """The text with what the font cannot draw replaced by "?" and control characters removed."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
    font = pdf.fonts[_FONT]
    cmap = font.cmap if isinstance(font, TTFFont) else {}
    return "".join(ch if ch == "\n" or ord(ch) in cmap else "?" for ch in text)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """One line of the address block, shortened with "…" if it would run past the window."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
