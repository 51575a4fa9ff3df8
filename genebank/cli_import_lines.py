"""What ``genebank import-mcpd`` prints of a passport check: the errors, each said once
(a missing column for the sheet, not again on every row), and the warnings that changed a
value (read as, stored as, carried, split), so a person on the command line sees what
would be stored differently from what the file holds without opening ``--report``."""

from __future__ import annotations

from collections.abc import Iterable

from genebank.io import column_notes
from genebank.io.import_preview import ImportPreview
from genebank.io.sheet_problem import SheetProblem

# At most this many lines of errors, and of changed values, are printed; the rest counted.
SHOWN = 20
# The row errors that only repeat that the file lacks a column: said once for the sheet
# (UPDATE_ONLY), or the sheet is refused for it.
_NO_COLUMN = frozenset({"new_needs_column", "new_needs_column_unnamed"})
UPDATE_ONLY = "update_only_columns"
# The warnings that say a value was stored otherwise than the cell writes it.
CHANGED_VALUE = frozenset({
    "value_read_as", "spreadsheet_date_read", "escape_removed", "country_renamed",
    "doi_normalised", "former_country_stored", "species_genus_removed",
    "species_lower_cased", "genus_capitalised", "dms_carried", "coordinate_rounded",
    "coordinate_converted", "othernumb_no_institute",
})
# What the command line adds to a problem whose remedy is one of its options.
_OPTION_HINTS = {"date_order_ambiguous": " (--dates dmy or --dates mdy)"}


def error_lines(preview: ImportPreview) -> list[str]:
    """The errors to print: the sheet's once, then the rows'; a required column the file
    lacks is the sheet's one line counting the rows it refuses
    (``column_notes.note_update_only``), not a line on every row."""
    refusing = [p for p in preview.sheet_problems
                if p.severity == "error" or p.code == UPDATE_ONLY]
    lines = [_line(p) for p in _unique(refusing)]
    lines.extend(_line(p) for row in preview.rows for p in row.problems
                 if p.severity == "error" and p.code not in _NO_COLUMN)
    return _capped(lines, "errors")


def note_lines(preview: ImportPreview) -> list[str]:
    """The warnings said once for a column or the sheet in place of every row's
    (``column_notes.NOTES``), but those :func:`change_lines` and :func:`error_lines`
    print."""
    return [_line(p) for p in preview.sheet_problems if p.code in column_notes.NOTES
            and p.code not in CHANGED_VALUE and p.code != UPDATE_ONLY]


def change_lines(preview: ImportPreview) -> list[str]:
    """The warnings that changed a value (``CHANGED_VALUE``), the sheet's then the rows'."""
    changed = [p for p in preview.problems() if p.severity == "warning"
               and p.code in CHANGED_VALUE]
    return _capped([_line(p) for p in changed], "values changed")


def _line(problem: SheetProblem) -> str:
    return f"{problem.where()}: {problem.message}{_OPTION_HINTS.get(problem.code, '')}"


def _unique(found: Iterable[SheetProblem]) -> list[SheetProblem]:
    seen: set[tuple[object, ...]] = set()
    kept = []
    for problem in found:
        key = (problem.row, problem.column, problem.field, problem.code, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def _capped(lines: list[str], what: str) -> list[str]:
    if len(lines) <= SHOWN:
        return lines
    return [*lines[:SHOWN], f"{len(lines) - SHOWN:,} more {what}: see --report"]
