"""Germination and moisture tests as laboratories keep them in Excel, and their template.

A germination sheet has a row per replicate (lot number, date, seeds sown, normal
seedlings...): rows with the same lot and date are one test, their replicates in row order.
A moisture sheet has a row per test. Headers are matched as people write them ("Lot no.",
"Date tested", "Normal seedlings"), and every cell is read strictly: a date that could be
read two ways, or a count with decimals, is refused with its row and column, never guessed.
A cell formatted as a percentage (Excel shows 6.5 %, stores 0.065) is read as the percentage
it shows, with a warning. A germination row is a counted replicate: its normal, abnormal,
dead, fresh ungerminated and hard seeds add up to the seeds sown (an empty count cell, or a
category the sheet has no column for, is 0), or the row is refused at its "Seeds sown" cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from genebank import problems
from genebank.io import headings
from genebank.io.files import write_whole
from genebank.io.sheet_problem import Severity, SheetProblem
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.numbers import NumberRefused, canonical, check_range, read_number
from genebank.problems import Coded
from genebank.text import TextKind, clean_text

GERMINATION, MOISTURE = headings.GERMINATION, headings.MOISTURE
KINDS = (GERMINATION, MOISTURE)


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a test sheet: its code, label and whether the sheet needs it come from
    the one heading matcher (:mod:`genebank.io.headings`); ``kind`` is how its cells read."""

    code: str
    label: str
    kind: str  # "text", "date", "count", "percent"
    required: bool = False


# How each field's cells read; its headings are matched by genebank.io.headings.
VALUE_KINDS = {
    "LOT": "text", "DATE": "date", "REPLICATE": "count", "SOWN": "count", "NORMAL": "count",
    "ABNORMAL": "count", "DEAD": "count", "UNGERMINATED": "count", "HARD": "count",
    "PRETREATMENT": "text", "SEEDS_USED": "count", "METHOD": "text", "TESTER": "text",
    "NOTES": "text", "MOISTURE_PCT": "percent", "ERH_PCT": "percent",
}
FIELDS: dict[str, tuple[Field, ...]] = {
    kind: tuple(Field(f.code, f.label, VALUE_KINDS[f.code], f.required)
                for f in headings.table(kind).fields)
    for kind in KINDS
}


_LABELS = {f.code: f.label for f in FIELDS[GERMINATION]}


def guess_kind(sheet_name: str, headers: list[object]) -> str:
    """Germination if the sheet says so or has seed counts; else moisture."""
    if "moist" in sheet_name.lower():
        return MOISTURE
    germination = len(headings.suggest_mapping(headers, GERMINATION))
    return GERMINATION if germination >= len(headings.suggest_mapping(headers, MOISTURE)) \
        else MOISTURE


def missing_required(mapping: dict[int, str], kind: str) -> list[Field]:
    missing = {f.code for f in headings.table(kind).missing(mapping.values())}
    return [f for f in FIELDS[kind] if f.code in missing]


# A sheet of daily counts (GerminaR, research trials): a column per day, headed D1..Dn,
# T0..Tn, "Day 3", "J3", "День 3", a bare day number or a date; three such columns say it.
_DAY_HEADING = re.compile(r"^(?:d|t|j|day|jour|d[ií]a|день|д)\s*[-_.]?\s*\d{1,3}$",
                          re.IGNORECASE)
_DAY_COLUMNS = 3

problems.register({
    "test_sheet_daily_counts": "this sheet has a column per day ({days}, ...): Genebank takes "
                               "one row per test, with its lot number, date tested, seeds "
                               "sown and normal seedlings; copy each test's totals into the "
                               "germination template",
})


def daily_counts_note(headers: list[object], mapping: dict[int, str],
                      kind: str) -> Coded | None:
    """Said once for a germination sheet that matches none of the required columns and
    has a column per day: why nothing is importable (daily counts are not tests) and
    where to go (the template), so the technician is not left with "still needed" alone.
    No daily count is ever summed into a test: when the test ended is not the sheet's."""
    required = {f.code for f in FIELDS[kind] if f.required}
    if kind != GERMINATION or required & set(mapping.values()):
        return None
    days = [_heading_text(h) for h in headers if _is_day_heading(h)]
    if len(days) < _DAY_COLUMNS:
        return None
    return Coded(code="test_sheet_daily_counts", params={"days": ", ".join(days[:3])})


def _is_day_heading(heading: object) -> bool:
    if isinstance(heading, dt.date):
        return True
    if isinstance(heading, int | float) and not isinstance(heading, bool):
        return float(heading).is_integer() and 0 <= heading <= 366
    return isinstance(heading, str) and bool(_DAY_HEADING.match(heading.strip()))


def _heading_text(heading: object) -> str:
    if isinstance(heading, dt.date):
        return heading.isoformat()[:10]
    if isinstance(heading, float) and heading.is_integer():
        return str(int(heading))
    return str(heading).strip()


# Reading rows --------------------------------------------------------------------------
# What reading a test sheet says about a cell or a row: each a registered code whose
# English the CLI prints and whose code and params the GUI words (issue 5).
TEMPLATES = problems.register({
    "test_cell_empty": "{label} is empty",
    "test_formula_value_used": "a formula: its last computed value was used",
    "percent_cell_read": "formatted as a percentage: the cell holds {stored} and shows "
                         "{shown} %, read as {shown} %",
    "counts_unbalanced": "{parts} = {counted}, but {sown} seeds were sown: every seed sown "
                         "is counted in one category",
    "cell_not_a_number": "'{value}' is not a number",
    "not_a_seed_count": "'{value:number}' is not a count of seeds (a whole number)",
    "seed_count_too_large": "{count:number} seeds is more than a test counts (at most "
                            "{limit:,})",
    "percent_impossible": "{value:number} % is impossible (0 to 100 %)",
    "percent_text_impossible": "{text} % is impossible (0 to 100 %)",
    "test_date_unsure": "'{value}' is not a date this sheet can be sure of: type it as "
                        "YYYY-MM-DD or as an Excel date",
})


class CellRefused(Coded, ValueError):
    """A cell's value this sheet cannot read: a registered code and its params; the reader
    says it as a :class:`SheetProblem` of its cell."""

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code=code, params=params)


@dataclass(slots=True)
class TestRow:
    """One sheet row, its values read and typed (None: empty)."""

    row: int
    values: dict[str, object] = field(default_factory=dict)


def read_rows(sheet: Sheet, mapping: dict[int, str], kind: str, *,
              header_index: int | None = None) -> tuple[list[TestRow], list[SheetProblem]]:
    """The data rows below the headings, typed, with every problem. ``header_index`` is
    the index in ``sheet.rows`` of the headings' row; by default the row that names most
    fields (title rows above it are skipped)."""
    if header_index is None:
        header_index = headings.find_header_row(sheet.rows, kind)
    fields = {f.code: f for f in FIELDS[kind]}
    rows: list[TestRow] = []
    found: list[SheetProblem] = []
    file = sheet.file.name
    for cells, number in zip(sheet.rows[header_index + 1:],
                             sheet.row_numbers[header_index + 1:], strict=True):
        row = TestRow(number)
        unreadable = False
        for index, code in mapping.items():
            value = cells[index] if index < len(cells) else None
            letter = column_letter(index + 1)
            shown_as_percent = (number, index + 1) in sheet.percent_cells and \
                fields[code].kind == "percent" and isinstance(value, int | float) and \
                not isinstance(value, bool)
            if shown_as_percent:  # Excel shows 6.5 % and stores 0.065
                value = _hundredfold(value)  # type: ignore[arg-type]
                found.append(SheetProblem.said(
                    file, sheet.name, number, letter, code, Severity.WARNING, "percent_cell_read",
                    stored=canonical(float(value) / 100), shown=canonical(value)))
            try:
                row.values[code] = _typed(value, fields[code].kind)
                if code == "LOT" and isinstance(row.values[code], str):
                    row.values[code] = _identifier(row.values[code], fields[code].label)
            except (CellRefused, NumberRefused) as error:
                found.append(SheetProblem.of(file, sheet.name, number, letter, code, error))
                row.values[code] = None
                unreadable = True
                continue
            if fields[code].required and row.values[code] in (None, ""):
                found.append(SheetProblem.said(file, sheet.name, number, letter, code,
                                               Severity.ERROR, "test_cell_empty",
                                               label=fields[code].label))
            if (number, index + 1) in sheet.formula_cells:
                found.append(SheetProblem.said(file, sheet.name, number, letter, code,
                                               Severity.WARNING, "test_formula_value_used"))
        if kind == GERMINATION and not unreadable:
            found += _unbalanced(sheet, row, mapping)
        rows.append(row)
    return rows, found


COUNTED = ("NORMAL", "ABNORMAL", "DEAD", "UNGERMINATED", "HARD")


def _unbalanced(sheet: Sheet, row: TestRow, mapping: dict[int, str]) -> list[SheetProblem]:
    """The row's refusal when its counts do not add up to the seeds sown (read cells only)."""
    sown = row.values.get("SOWN")
    counts = [row.values.get(code) for code in COUNTED]
    if not isinstance(sown, int) or not isinstance(counts[0], int):
        return []  # an empty "Seeds sown" or "Normal seedlings" cell is refused already
    counted = sum(c for c in counts if isinstance(c, int))
    if counted == sown:
        return []
    column = next(index for index, code in mapping.items() if code == "SOWN")
    parts = " + ".join(f"{_LABELS[code].lower()} {value or 0}"
                       for code, value in zip(COUNTED, counts, strict=True)
                       if code in mapping.values())
    given = {code: value or 0 for code, value in zip(COUNTED, counts, strict=True)
             if code in mapping.values()}
    return [SheetProblem.said(sheet.file.name, sheet.name, row.row, column_letter(column + 1),
                              "SOWN", Severity.ERROR, "counts_unbalanced", parts=parts,
                              counts=given, counted=counted, sown=sown)]


def _identifier(text: str, label: str) -> str:
    """A lot number: NFC, and refused when it holds an invisible control character."""
    cleaned = clean_text(text, field="LOT", label=label, kind=TextKind.IDENTIFIER)
    if cleaned.errors:
        raise CellRefused(cleaned.errors[0].code, **cleaned.errors[0].params)
    return cleaned.text


def _hundredfold(value: float) -> float:
    """``value`` x 100 exactly as written (0.065 -> 6.5, not 6.500000000000001)."""
    return float(Decimal(repr(float(value))) * 100)


def _typed(value: object, kind: str) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "text":
        return str(value).strip() if not isinstance(value, float) or not value.is_integer() \
            else str(int(value))
    if kind == "date":
        return _date(value)
    if kind == "count":
        return _count(value)
    return _percent(value)


MAX_COUNT = 1_000_000  # seeds in one count of a test: far more than any test sows


def _count(value: object) -> int:
    """A number of seeds: a whole number cell, or text read without a locale ('1 234');
    NaN, infinity and numbers past :data:`MAX_COUNT` are refused with a message."""
    if isinstance(value, bool):
        raise CellRefused("cell_not_a_number", value=value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellRefused("cell_not_a_number", value=value)
        if value != int(value) or value < 0:
            raise CellRefused("not_a_seed_count", value=value)
        number = int(value)
    else:
        number = int(read_number(str(value), whole=True, minimum=0) or 0)
    if number > MAX_COUNT:
        raise CellRefused("seed_count_too_large", count=number, limit=MAX_COUNT)
    return number


def _percent(value: object) -> float:
    """A percentage: a number cell, or text such as '6,5', '6.5 %' or '٦٫٥' (no locale: a
    file's is unknown); outside 0-100 it is refused, never rescaled."""
    if isinstance(value, bool):
        raise CellRefused("cell_not_a_number", value=value)
    try:
        if isinstance(value, int | float):
            number = math.inf if isinstance(value, int) and abs(value) > 1e300 \
                else float(value)
            check_range(number, minimum=0, maximum=100)
            return number + 0.0  # never a negative zero
        text = str(value).strip().removesuffix("%").strip()
        return float(read_number(text, whole=False, minimum=0, maximum=100) or 0.0)
    except NumberRefused as error:
        if error.code in {"out_of_range", "negative"}:
            number = error.params.get("value")  # the number itself; "text" as typed
            if isinstance(number, int | float):
                raise CellRefused("percent_impossible", value=number) from None
            raise CellRefused("percent_text_impossible",
                              text=error.params.get("text")) from None
        raise


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if isinstance(value, int | float) and float(value).is_integer():
        text = str(int(value))
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellRefused("test_date_unsure", value=value)


# Template ------------------------------------------------------------------------------
def write_template(path: Path, *, replace: bool = True) -> Path:
    """A workbook with a Germination and a Moisture sheet, headed as the import expects."""
    path = Path(path).with_suffix(".xlsx")
    from openpyxl import Workbook  # the writer, imported when used (start-up)
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    workbook.remove(workbook.active)
    required = PatternFill("solid", fgColor="FFF2CC")
    for kind in KINDS:
        sheet = workbook.create_sheet(kind.capitalize())
        for column, candidate in enumerate(FIELDS[kind], start=1):
            cell = sheet.cell(row=1, column=column, value=candidate.label)
            cell.font = Font(bold=True)
            if candidate.required:
                cell.fill = required
            letter = column_letter(column)
            sheet.column_dimensions[letter].width = max(12, len(candidate.label) + 2)
            number_format = {"text": "@", "date": "yyyy-mm-dd"}.get(candidate.kind)
            if number_format:
                for row in range(2, 2001):
                    sheet.cell(row=row, column=column).number_format = number_format
        sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("Help")
    for line in (
        "Germination: one row per replicate. Rows with the same lot number and date are "
        "one test; its replicates are the rows in order.",
        "Each row's normal + abnormal + dead + fresh ungerminated + hard seeds = seeds sown "
        "(0 or empty where there were none); a row that does not add up is refused.",
        "Seeds used from the lot: leave empty when it is the seeds sown.",
        "Moisture: one row per test, moisture content (% of fresh weight) and/or "
        "equilibrium relative humidity (%).",
        "Dates as YYYY-MM-DD or Excel dates. Yellow columns are required.",
        "Import with Conservation > Import tests… in Genebank, or "
        "'genebank import-tests FILE'.",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    return write_whole(path, workbook.save, overwrite=replace)
