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

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from genebank.io.files import write_whole
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.numbers import NumberRefused, canonical, check_range, read_number, shown
from genebank.text import TextKind, clean_text

GERMINATION, MOISTURE = "germination", "moisture"
KINDS = (GERMINATION, MOISTURE)


@dataclass(frozen=True, slots=True)
class Field:
    code: str
    label: str
    kind: str  # "text", "date", "count", "percent"
    required: bool = False
    variants: tuple[str, ...] = ()


COMMON_START = (
    Field("LOT", "Lot number", "text", True, ("lot", "lot no", "lot number", "seed lot",
                                              "lot id", "lotnumber", "inventory number")),
    Field("DATE", "Date tested", "date", True, ("date", "test date", "tested on",
                                               "date tested", "testing date")),
)
COMMON_END = (
    Field("METHOD", "Method", "text", False, ("method", "protocol", "test method")),
    Field("TESTER", "Tester", "text", False, ("tester", "tested by", "analyst", "technician")),
    Field("NOTES", "Notes", "text", False, ("notes", "remarks", "comments", "remark")),
)
FIELDS: dict[str, tuple[Field, ...]] = {
    GERMINATION: (
        *COMMON_START,
        Field("REPLICATE", "Replicate", "count", False, ("replicate", "rep", "replication",
                                                         "rep no")),
        Field("SOWN", "Seeds sown", "count", True, ("sown", "seeds sown", "number sown",
                                                    "seeds tested", "no of seeds")),
        Field("NORMAL", "Normal seedlings", "count", True, ("normal", "normal seedlings",
                                                            "germinated", "germinated normal")),
        Field("ABNORMAL", "Abnormal seedlings", "count", False, ("abnormal",
                                                                 "abnormal seedlings")),
        Field("DEAD", "Dead seeds", "count", False, ("dead", "dead seeds")),
        Field("UNGERMINATED", "Fresh ungerminated", "count", False, (
            "ungerminated", "fresh", "dormant", "fresh ungerminated", "fresh seeds",
            "fresh dormant", "fresh dormant ungerminated", "fresh/dormant ungerminated")),
        Field("HARD", "Hard seeds", "count", False, ("hard", "hard seeds")),
        Field("PRETREATMENT", "Pre-treatment", "text", False, ("pretreatment",
                                                               "pre treatment",
                                                               "dormancy breaking")),
        Field("SEEDS_USED", "Seeds used from the lot", "count", False, (
            "seeds used", "seeds consumed", "consumed", "seeds withdrawn")),
        *COMMON_END,
    ),
    MOISTURE: (
        *COMMON_START,
        Field("MOISTURE_PCT", "Moisture content % (fresh weight)", "percent", False, (
            "moisture", "moisture content", "mc", "moisture %", "mc %", "seed moisture",
            "seed moisture content", "moisture content fresh weight", "mc fw")),
        Field("ERH_PCT", "Equilibrium RH %", "percent", False, (
            "erh", "erh %", "equilibrium rh", "relative humidity",
            "equilibrium relative humidity", "seed erh", "rh")),
        *COMMON_END,
    ),
}


_LABELS = {f.code: f.label for f in FIELDS[GERMINATION]}


def _key(header: object) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^0-9a-z%]+", " ", str(header or "").lower())).strip()


def _without_percent(key: str) -> str:
    """A header key without its '%' ("moisture content %" -> "moisture content")."""
    return " ".join(key.replace("%", " ").split())


def match_header(header: object, kind: str) -> str | None:
    """The field a header names; a '%' in it ("Moisture content (%)", "% moisture") is only
    the unit and does not stop a match."""
    key = _key(header)
    for candidate in FIELDS[kind]:
        names = (candidate.code.lower().replace("_", " "), _key(candidate.label),
                 *candidate.variants)
        if key in names or _without_percent(key) in {_without_percent(n) for n in names}:
            return candidate.code
    return None


def suggest_mapping(headers: list[object], kind: str) -> dict[int, str]:
    """Column index (0-based) -> field code, each field used once."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        code = match_header(header, kind)
        if code and code not in mapping.values():
            mapping[index] = code
    return mapping


def guess_kind(sheet_name: str, headers: list[object]) -> str:
    """Germination if the sheet says so or has seed counts; else moisture."""
    if "moist" in sheet_name.lower():
        return MOISTURE
    germination = len(suggest_mapping(headers, GERMINATION))
    return GERMINATION if germination >= len(suggest_mapping(headers, MOISTURE)) else MOISTURE


def missing_required(mapping: dict[int, str], kind: str) -> list[Field]:
    return [f for f in FIELDS[kind] if f.required and f.code not in mapping.values()]


# Reading rows --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CellProblem:
    row: int  # spreadsheet row number
    column: str  # "C (Date tested)", or "" for the whole row
    message: str
    warning: bool = False  # the row can still be imported

    def where(self) -> str:
        return f"row {self.row}" + (f", column {self.column}" if self.column else "")


@dataclass(slots=True)
class TestRow:
    """One sheet row, its values read and typed (None: empty)."""

    row: int
    values: dict[str, object] = field(default_factory=dict)


def read_rows(sheet: Sheet, mapping: dict[int, str], kind: str) \
        -> tuple[list[TestRow], list[CellProblem]]:
    """The data rows below the header (the sheet's first row), typed, with every problem."""
    fields = {f.code: f for f in FIELDS[kind]}
    rows: list[TestRow] = []
    problems: list[CellProblem] = []
    for cells, number in zip(sheet.rows[1:], sheet.row_numbers[1:], strict=True):
        row = TestRow(number)
        unreadable = False
        for index, code in mapping.items():
            value = cells[index] if index < len(cells) else None
            where = f"{column_letter(index + 1)} ({fields[code].label})"
            shown_as_percent = (number, index + 1) in sheet.percent_cells and \
                fields[code].kind == "percent" and isinstance(value, int | float) and \
                not isinstance(value, bool)
            if shown_as_percent:  # Excel shows 6.5 % and stores 0.065
                value = _hundredfold(value)  # type: ignore[arg-type]
                problems.append(CellProblem(number, where, PERCENT_CELL.format(
                    stored=canonical(float(value) / 100), shown=canonical(value)),
                    warning=True))
            try:
                row.values[code] = _typed(value, fields[code].kind)
                if code == "LOT" and isinstance(row.values[code], str):
                    row.values[code] = _identifier(row.values[code], fields[code].label)
            except ValueError as error:
                problems.append(CellProblem(number, where, str(error)))
                row.values[code] = None
                unreadable = True
                continue
            if fields[code].required and row.values[code] in (None, ""):
                problems.append(CellProblem(number, where, f"{fields[code].label} is empty"))
            if (number, index + 1) in sheet.formula_cells:
                problems.append(CellProblem(number, where, "a formula: its last computed "
                                                           "value was used", warning=True))
        if kind == GERMINATION and not unreadable:
            problems += _unbalanced(row, mapping)
        rows.append(row)
    return rows, problems


COUNTED = ("NORMAL", "ABNORMAL", "DEAD", "UNGERMINATED", "HARD")


def _unbalanced(row: TestRow, mapping: dict[int, str]) -> list[CellProblem]:
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
    return [CellProblem(row.row, f"{column_letter(column + 1)} (Seeds sown)",
                        f"{parts} = {counted}, but {sown} seeds were sown: every seed sown "
                        "is counted in one category")]


PERCENT_CELL = ("formatted as a percentage: the cell holds {stored} and shows {shown} %, "
                "read as {shown} %")


def _identifier(text: str, label: str) -> str:
    """A lot number: NFC, and refused when it holds an invisible control character."""
    cleaned = clean_text(text, field="LOT", label=label, kind=TextKind.IDENTIFIER)
    if cleaned.errors:
        raise ValueError(cleaned.errors[0].message)
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
        raise ValueError(f"'{value}' is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"'{value}' is not a number")
        if value != int(value) or value < 0:
            raise ValueError(f"'{shown(value)}' is not a count of seeds (a whole number)")
        number = int(value)
    else:
        number = int(read_number(str(value), whole=True, minimum=0) or 0)
    if number > MAX_COUNT:
        raise ValueError(f"{shown(number)} seeds is more than a test counts (at most "
                         f"{MAX_COUNT:,})")
    return number


def _percent(value: object) -> float:
    """A percentage: a number cell, or text such as '6,5', '6.5 %' or '٦٫٥' (no locale: a
    file's is unknown); outside 0-100 it is refused, never rescaled."""
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a number")
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
            said = shown(number) if isinstance(number, int | float) \
                else error.params.get("text")
            raise ValueError(f"{said} % is impossible (0 to 100 %)") from None
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
    raise ValueError(f"'{value}' is not a date this sheet can be sure of: type it as "
                     "YYYY-MM-DD or as an Excel date")


# Template ------------------------------------------------------------------------------
def write_template(path: Path, *, replace: bool = True) -> Path:
    """A workbook with a Germination and a Moisture sheet, headed as the import expects."""
    path = Path(path).with_suffix(".xlsx")
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
