"""A workbook of plain cells, written fast and exactly: any row at any place (title rows,
blank rows, headings where the person put them), text as string cells (never a formula),
numbers, dates, percentages; a few cell styles; print settings.

Why not a library: the xlsx writer Genebank uses for exports (rustpy_xlsxwriter) writes
one heading row over records, so it cannot copy a person's sheet with its title rows and
repeated or empty headings in place; openpyxl can, but writes about twenty times slower
(minutes for a 100,000-row sheet). A sheet of values is a few lines of XML per cell.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from genebank.io.print_layout import FOOTER, PrintLayout
from genebank.io.spreadsheet import column_letter

# Cell styles (the index of each in styles.xml's cellXfs).
PLAIN, BOLD, WRAPPED, PERCENT, DATE, DATE_TIME, TIME = range(7)
_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk)
# What XML 1.0 cannot hold, and a text that looks like Excel's escape of it: both
# written as Excel writes them (_xHHHH_), which readers turn back into the text.
_ESCAPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
# A text that needs neither: written as it is.
_PLAIN_TEXT = re.compile("(?:[^&<>_\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
                         "|_(?!x[0-9A-Fa-f]{4}_))*")


@dataclass(slots=True)
class PlainSheet:
    """One sheet: ``rows`` as (row number, cells), in increasing row order; a cell is a
    value, or (value, style) to give it a style."""

    name: str
    rows: Iterable[tuple[int, Sequence[object]]]
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    freeze_below: int | None = None  # rows 1..freeze_below stay on screen
    layout: PrintLayout | None = None


def write(path: Path, sheets: Sequence[PlainSheet]) -> None:
    """Write ``sheets`` as the workbook ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(sheets))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", _STYLES)
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w",
                              force_zip64=True) as part:
                for piece in _sheet_xml(sheet):
                    part.write(piece.encode("utf-8"))


def _sheet_xml(sheet: PlainSheet) -> Iterable[str]:
    layout = sheet.layout
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
           '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    if layout is not None and layout.fit_width:
        yield '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
    yield '<sheetViews><sheetView workbookViewId="0">'
    if sheet.freeze_below:
        below = sheet.freeze_below + 1
        yield (f'<pane ySplit="{sheet.freeze_below}" topLeftCell="A{below}" '
               'activePane="bottomLeft" state="frozen"/>'
               f'<selection pane="bottomLeft" activeCell="A{below}" sqref="A{below}"/>')
    yield '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    if sheet.widths:
        yield "<cols>" + "".join(
            f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
            for c, w in sorted(sheet.widths.items())) + "</cols>"
    yield "<sheetData>"
    letters: list[str] = []
    pieces: list[str] = []
    for number, cells in sheet.rows:
        while len(letters) < len(cells):
            letters.append(column_letter(len(letters) + 1))
        pieces.append(f'<row r="{number}">')
        for index, value in enumerate(cells):
            if value is None:
                continue
            if type(value) is str and _PLAIN_TEXT.fullmatch(value):  # most cells: quick
                pieces.append(f'<c r="{letters[index]}{number}" t="inlineStr"><is><t '
                              f'xml:space="preserve">{value}</t></is></c>')
            else:
                pieces.append(_cell(f"{letters[index]}{number}", value))
        pieces.append("</row>")
        if len(pieces) > 20000:
            yield "".join(pieces)
            pieces.clear()
    yield "".join(pieces)
    yield ('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
           'header="0.3" footer="0.3"/>')
    if layout is not None:
        orientation = "landscape" if layout.landscape else "portrait"
        fit = 'fitToWidth="1" fitToHeight="0"' if layout.fit_width else 'scale="100"'
        yield (f'<pageSetup orientation="{orientation}" {fit}/><headerFooter>'
               f"<oddFooter>{escape('&C' + FOOTER)}</oddFooter></headerFooter>")
    yield "</worksheet>"


def _cell(ref: str, value: object) -> str:
    style = PLAIN
    if isinstance(value, tuple):
        value, style = value
        if value is None:
            return f'<c r="{ref}" s="{style}"/>'
    s = f' s="{style}"' if style else ""
    if isinstance(value, str):  # a string cell: the text is never run as a formula
        text = escape(_ESCAPED.sub(lambda m: f"_x{ord(m.group()):04X}_", value))
        return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):  # 850.0 read from a sheet is written 850, as typed
        number = int(value) if isinstance(value, float) and value.is_integer() \
            and abs(value) < 2 ** 53 else value
        return f'<c r="{ref}"{s}><v>{number!r}</v></c>'
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        serial, kind = _serial(value)
        return f'<c r="{ref}" s="{style if style != PLAIN else kind}"><v>{serial!r}</v></c>'
    return _cell(ref, (str(value), style))


def _serial(value: dt.datetime | dt.date | dt.time | dt.timedelta) -> tuple[float, int]:
    """Excel's number for a date or time, and the style that shows it as one."""
    if isinstance(value, dt.datetime):
        days = (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)
        return days, DATE_TIME if days % 1 else DATE
    if isinstance(value, dt.date):
        return float((value - _EPOCH.date()).days), DATE
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second
                + value.microsecond / 1e6) / 86400, TIME
    return value / dt.timedelta(days=1), TIME


def _workbook(sheets: Sequence[PlainSheet]) -> str:
    names = "".join(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{n}" '
                    f'r:id="rId{n}"/>' for n, s in enumerate(sheets, start=1))
    defined = []
    for index, sheet in enumerate(sheets):
        layout = sheet.layout
        if layout is None:
            continue
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        titles = []
        if layout.title_columns:
            first, last = map(column_letter, layout.title_columns)
            titles.append(f"{quoted}!${first}:${last}")
        if layout.title_rows:
            titles.append(f"{quoted}!${layout.title_rows[0]}:${layout.title_rows[1]}")
        if titles:
            defined.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                           f'{escape(",".join(titles))}</definedName>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews>'
            f'<workbookView/></bookViews><sheets>{names}</sheets>'
            + (f"<definedNames>{''.join(defined)}</definedNames>" if defined else "")
            + "</workbook>")


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheets}</Types>")


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{sheets}<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>")


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
    '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
# PLAIN, BOLD, WRAPPED (top-aligned), PERCENT (0.00%), DATE, DATE_TIME, TIME.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://'
    'schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="[h]:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/>'
    '<bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")
