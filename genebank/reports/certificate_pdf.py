"""A training certificate as a one-page A4 landscape PDF, written by fpdf2.

The DejaVu fonts shipped beside this module are embedded, so a name in Latin, Cyrillic or
Arabic script prints as written on any computer; Arabic is shaped (joined, right to left)
by HarfBuzz through fpdf2. Long titles shrink to fit: a certificate is always one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from genebank.io.files import write_whole

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = resources.files("genebank.reports") / "fonts"


@dataclass(frozen=True, slots=True)
class CertificateText:
    number: str
    participant_name: str
    original_name: str
    course_title: str
    course_dates: str  # "12–16 May 2026"
    host: str
    venue: str
    hours: float
    programme: str
    sponsor: str
    issued_on: str  # ISO date


def write_certificate(text: CertificateText, path: Path) -> Path:
    """Write one certificate to ``path`` (.pdf); returns the path."""
    pdf = _document()
    _page(pdf, text)
    path = Path(path).with_suffix(".pdf")
    return write_whole(path, lambda partial: pdf.output(str(partial)))


def _document() -> FPDF:
    # fpdf2 (with fontTools) takes 0.4 s to import: imported when a certificate is written,
    # not at every start of the app (issue 15, start-up).
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_text_shaping(True)
    pdf.set_creator("Genebank")
    return pdf


def _page(pdf: FPDF, text: CertificateText) -> None:
    pdf.add_page()
    pdf.set_title(f"Certificate {text.number}")
    width = pdf.w - 60
    pdf.set_draw_color(40, 90, 60)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    def line(words: str, size: float, style: str = "", gap: float = 4.0,
             colour: tuple[int, int, int] = (30, 30, 30)) -> None:
        pdf.set_font("DejaVu", style, _fitting(pdf, words, style, size, width))
        pdf.set_text_color(*colour)
        pdf.set_x(30)
        pdf.cell(width, size * 0.5, words, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(28)
    line(text.programme, 13, colour=(40, 90, 60), gap=2)
    if text.sponsor:
        line(text.sponsor, 10, colour=(90, 90, 90), gap=6)
    line("CERTIFICATE OF COMPLETION", 26, "B", gap=10, colour=(40, 90, 60))
    line("This is to certify that", 13, gap=4)
    line(text.participant_name, 24, "B", gap=3)
    if text.original_name:
        line(text.original_name, 16, gap=3)
    pdf.ln(2)
    line("has successfully completed the training course", 13, gap=4)
    line(text.course_title, 18, "B", gap=4)
    line(f"held {text.course_dates}" + (f" in {text.venue}" if text.venue else ""), 12, gap=2)
    if text.host:
        line(f"hosted by {text.host}", 12, gap=2)
    line(f"({text.hours:g} hours)", 12, gap=8)
    pdf.set_y(pdf.h - 42)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(60, 60, 60)
    pdf.set_x(30)
    pdf.cell(100, 6, "Course director", border="T", align="C")
    pdf.set_x(pdf.w - 130)
    pdf.cell(100, 6, "For the host institution", border="T", align="C")
    pdf.set_y(pdf.h - 26)
    pdf.set_x(30)
    pdf.cell(width, 5, f"Certificate No. {text.number}    Issued {text.issued_on}", align="C")


def _fitting(pdf: FPDF, words: str, style: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``words`` fit on one line."""
    while size > 7:
        pdf.set_font("DejaVu", style, size)
        if pdf.get_string_width(words) <= width:
            break
        size -= 0.5
    return size
