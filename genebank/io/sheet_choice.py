"""Which sheet of a workbook holds the data of an import, when nobody said: the visible
sheet whose headings include what the kind needs (a passport sheet its INSTCODE and
ACCENUMB, a laboratory sheet its lot, date and counts, a participant list a name).

Workbooks come with a "Read me", a code list or a pivot beside the data; the data sheet is
often not the first. Each visible sheet's first rows are read (at once, even for a large
sheet), its headings matched as the import would match them, and judged. The command line
takes the one sheet that qualifies and names it, and asks for ``--sheet`` when several do;
a wizard preselects the best (:func:`best`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from genebank.io import import_kinds, spreadsheet

TOP_ROWS = 25  # enough for the title rows a passport sheet may have above its headings
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")  # one table: nothing to choose

# (kind, headings) -> the mapping the import would use (the automatic match by default;
# the command line lays --mapping and --map over it).
Matcher = Callable[[str, list[object]], dict[int, str]]


@dataclass(frozen=True, slots=True)
class SheetFit:
    """How well one sheet suits an import."""

    name: str
    kind: str  # the kind it suits best, of those asked for
    matched: int  # headings matched to a field
    qualifies: bool  # it has the headings the kind needs, and rows below them


def visible_sheets(path: Path) -> list[str]:
    """The names of the visible sheets of ``path`` (none for a text file: one table)."""
    if Path(path).suffix.lower() in TEXT_SUFFIXES:
        return []
    return [s.name for s in spreadsheet.list_sheets(Path(path)) if s.visible]


def fit(name: str, rows: Sequence[list[object]], kinds: Sequence[str],
        match: Matcher | None = None) -> SheetFit:
    """How the sheet ``name`` with these first ``rows`` suits the best of ``kinds``: one it
    qualifies for first, then one its name says, then the one matching most headings (a
    germination sheet also has a moisture sheet's lot and date, but more)."""
    match = match or (lambda kind, headers: import_kinds.suggest(kind, headers))
    fits = []
    for kind in kinds:
        index = import_kinds.header_index(kind, rows) if rows else 0
        headers = list(rows[index]) if rows else []
        mapping = match(kind, headers)
        # a template's empty sheet holds nothing to import, even with a stray space in a cell
        has_data = any(_holds_something(row) for row in rows[index + 1:])
        fits.append(SheetFit(name, kind, len(mapping),
                             has_data and import_kinds.qualifies(kind, mapping)))
    # the first of equals; a sheet named "Moisture" is a moisture sheet if it can be one
    return max(fits, key=lambda f: (f.qualifies, f.kind in name.casefold(), f.matched))


def _holds_something(row: Sequence[object]) -> bool:
    """Whether a row has a cell a person could mean: one that is not blank or spaces."""
    return any(not (value is None or (isinstance(value, str) and not value.strip()))
               for value in row)


def sheet_fits(path: Path, kinds: Sequence[str], match: Matcher | None = None,
               *, names: Sequence[str] | None = None) -> list[SheetFit]:
    """The fit of each visible sheet of ``path`` (or of ``names``), in workbook order."""
    result = []
    for name in visible_sheets(path) if names is None else names:
        top = spreadsheet.read_sheet(Path(path), name, first_rows=TOP_ROWS)
        result.append(fit(name, top.rows, kinds, match))
    return result


def best(fits: Sequence[SheetFit]) -> SheetFit | None:
    """The sheet a wizard preselects: one that qualifies, with the most headings matched
    (the first of equals); None when there is none to choose from."""
    return max(fits, key=lambda f: (f.qualifies, f.matched), default=None)


def qualifying(fits: Sequence[SheetFit]) -> list[SheetFit]:
    return [f for f in fits if f.qualifies]
