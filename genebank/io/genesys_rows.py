"""What Genesys downloads carry beyond MCPD v2.1, read as they are for the passport import.

A Genesys download (the MCPD Excel file of ``/wiews/<code>/download``, or the API's CSV with
camelCase headings) has three columns that are not MCPD descriptors:

- ``fullTaxa``: the whole scientific name ("Triticum aestivum L. subsp. aestivum"). Split
  into GENUS, SPECIES, SPAUTHOR, SUBTAXA and SUBTAUTHOR (``mcpd.full_taxa``) only when the
  sheet has neither a GENUS nor a SPECIES column, and never into a part that has a column
  of its own; the sheet is told once that it was split, and each row whose name had a shape
  the split could only guess at gets a warning of its own.
  When the sheet has a GENUS or SPECIES column, fullTaxa is not split (nothing is filled
  by guess), and what it holds beyond the row's own name columns (a subspecies, an
  author) is said once for the column (:func:`say_full_taxa_not_imported`).
- ``historic`` (true/false): the accession is no longer held. Such rows are not imported
  as held: the preview leaves them out and names them in one warning.
- ``available`` (true/false): available for distribution, stored as the accession's
  AVAILABLE (``accession.available_for_distribution``).

The preview (``io.passport_preview``) calls :func:`genesys_columns` once for the sheet and
:meth:`GenesysColumns.is_historic` and :meth:`GenesysColumns.fill` for each row. Field codes
FULLTAXA, HISTORIC and AVAILABLE are the field codes the one heading matcher
(:mod:`genebank.io.headings`) gives these columns.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from genebank import mcpd, problems
from genebank.io import headings
from genebank.io.column_notes import replace_notes, rows_text
from genebank.io.import_preview import ImportPreview
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import column_letter
from genebank.mcpd import Severity
from genebank.mcpd.full_taxa import split_full_taxa

FULLTAXA, HISTORIC, AVAILABLE = "FULLTAXA", "HISTORIC", "AVAILABLE"
GENESYS_FIELDS = (FULLTAXA, HISTORIC, AVAILABLE)
# The parts a full name is split into, in MCPD order.
TAXON_PARTS = ("GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR")
# Headings (normalised as _key does) of the Genesys columns: the API's camelCase and dotted
# names, the MCPD download's upper-case ones, and plain English.

problems.register({
    "flag_unreadable": "'{value}' is neither true nor false",
    "full_taxa_split": "column {column} ({heading}) is split into {fields}: the sheet has no "
                       "GENUS or SPECIES column",
    "full_taxa_split_uncertain": "'{value}' has an unusual shape; it was split as {parts}: "
                                 "check it",
    "full_taxa_not_imported": "column {column} ({heading}) holds parts of the name that the "
                              "row's own columns do not give, on {count:,} row(s) ({rows}; "
                              "first '{value}'): its {fields} are not imported (it is not "
                              "split when the sheet has GENUS or SPECIES columns). To keep "
                              "them, match columns to {fields}",
    "historic_rows_skipped": "{count:,} row(s) are marked historic (no longer held by their "
                             "institute) and are not imported: rows {rows}",
})

# A problem of a row: (column letter, field, severity, code, params).
# True and false as Genesys writes them: in English only (a download is never translated).
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})

Said = tuple[str | None, str, Severity, str, dict[str, object]]


def match_heading(header: object) -> str | None:
    """FULLTAXA, HISTORIC or AVAILABLE for a heading of one of those columns, else None (the
    one heading matcher's answer, :mod:`genebank.io.headings`)."""
    code = headings.match_heading(header, headings.PASSPORT)
    return code if code in GENESYS_FIELDS else None


def read_flag(value: object) -> bool | None:
    """A true/false cell as Genesys writes it (an Excel boolean, TRUE/FALSE, true/false, 1/0,
    yes/no); None for a blank cell. Anything else is refused, never guessed."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise mcpd.InvalidValue(code="flag_unreadable", params={"value": str(value)[:40]})


# What one distinct full name comes to: canonical parts by code, the parts refused (code,
# error), and the parts as said when the split was not certain (else None).
_Split = tuple[dict[str, Any], list[tuple[str, mcpd.InvalidValue]], str | None]


@dataclass(slots=True)
class GenesysColumns:
    """Where a sheet keeps its Genesys columns (0-based), and what is made of them."""

    fulltaxa: int | None = None
    historic: int | None = None
    available: int | None = None
    accenumb: int | None = None
    # The parts the full name fills (none when the sheet has a GENUS or SPECIES column).
    fills: tuple[str, ...] = ()
    _splits: dict[str, _Split] = field(default_factory=dict)

    @property
    def letter(self) -> str | None:
        return None if self.fulltaxa is None else column_letter(self.fulltaxa + 1)

    def derived(self) -> dict[str, int]:
        """The fields a column other than their own gives: each part of the split name, by
        the full name's column (so its problems are placed in that column)."""
        return {code: self.fulltaxa for code in self.fills} if self.fulltaxa is not None \
            else {}

    def is_historic(self, cells: list[object]) -> bool:
        """Whether the row says it is historic; an unreadable cell is not (``fill`` refuses
        the row)."""
        if self.historic is None or self.historic >= len(cells):
            return False
        try:
            return read_flag(cells[self.historic]) is True
        except mcpd.InvalidValue:
            return False

    def accession_number(self, cells: list[object]) -> str:
        """The row's ACCENUMB as written, to name a row left out."""
        at = self.accenumb
        value = cells[at] if at is not None and at < len(cells) else None
        return "" if value is None else str(value).strip()

    def fill(self, values: MutableMapping[str, Any], cells: list[object],
             failed: set[str]) -> list[Said]:
        """Put the row's Genesys values into ``values`` (AVAILABLE, the split name's parts);
        what could not be read goes into ``failed``; returns the row's problems."""
        said: list[Said] = []
        width = len(cells)
        for code, at in ((HISTORIC, self.historic), (AVAILABLE, self.available)):
            if at is None or at >= width:
                continue
            try:
                flag = read_flag(cells[at])
            except mcpd.InvalidValue as error:
                said.append((column_letter(at + 1), code, Severity.ERROR, error.code,
                             dict(error.params)))
                failed.add(code)
                continue
            if code == AVAILABLE and flag is not None:
                values[AVAILABLE] = flag
        if self.fills and self.fulltaxa is not None and self.fulltaxa < width:
            said += self._split_into(values, cells[self.fulltaxa], failed)
        return said

    def _split_into(self, values: MutableMapping[str, Any], cell: object,
                    failed: set[str]) -> list[Said]:
        if cell is None or isinstance(cell, bool) or not str(cell).strip():
            return []
        text = " ".join(str(cell).split())
        split = self._splits.get(text)
        if split is None:
            split = self._splits[text] = self._split(text)
        parts, refused, uncertain = split
        said: list[Said] = []
        for code, value in parts.items():
            values[code] = value
        for code, error in refused:
            failed.add(code)
            said.append((self.letter, code, Severity.ERROR, error.code, dict(error.params)))
        if uncertain is not None:
            said.append((self.letter, FULLTAXA, Severity.WARNING, "full_taxa_split_uncertain",
                         {"value": text[:60], "parts": uncertain}))
        return said

    def not_imported(self, values: Mapping[str, Any], cells: list[object]) -> list[str]:
        """The parts of the row's full name that its values lack or give otherwise, when
        the name is not split (the sheet has GENUS or SPECIES columns): lost unless said."""
        if self.fills or self.fulltaxa is None or self.fulltaxa >= len(cells):
            return []
        cell = cells[self.fulltaxa]
        if cell is None or isinstance(cell, bool) or not str(cell).strip():
            return []
        taxon = split_full_taxa(" ".join(str(cell).split()))
        if taxon is None:
            return []
        return [code for code, part in taxon.by_code().items()
                if headings.normalise(values.get(code) or "") != headings.normalise(part)]

    def _split(self, text: str) -> _Split:
        """One distinct full name, read once per import (a catalogue repeats its taxa)."""
        taxon = split_full_taxa(text)
        if taxon is None:
            return {}, [], None
        parts: dict[str, Any] = {}
        refused: list[tuple[str, mcpd.InvalidValue]] = []
        by_code = taxon.by_code()
        for code, value in by_code.items():
            if code not in self.fills:
                continue
            try:
                canonical = mcpd.parse_field(code, value)
            except mcpd.InvalidValue as error:
                refused.append((code, error))
                continue
            if canonical is not None:
                parts[code] = canonical
        uncertain = None if taxon.certain else ", ".join(
            f"{code} '{value}'" for code, value in by_code.items())
        return parts, refused, uncertain


def genesys_columns(headers: list[str], mapping: MutableMapping[int, str], *,
                    by_heading: bool = True) -> GenesysColumns:
    """The sheet's Genesys columns: those ``mapping`` gives FULLTAXA, HISTORIC or AVAILABLE,
    and (``by_heading``: a suggested mapping, not one a person chose) those headed so that
    no other field was given (added to ``mapping``, so they count as imported)."""
    taken = set(mapping.values())
    for index, header in enumerate(headers if by_heading else ()):
        code = match_heading(header)
        if code is not None and index not in mapping and code not in taken:
            mapping[index] = code
            taken.add(code)
    at = {code: index for index, code in mapping.items()}
    columns = GenesysColumns(at.get(FULLTAXA), at.get(HISTORIC), at.get(AVAILABLE),
                             at.get("ACCENUMB"))
    if columns.fulltaxa is not None and "GENUS" not in taken and "SPECIES" not in taken:
        columns.fills = tuple(code for code in TAXON_PARTS if code not in taken)
    return columns


def split_note(columns: GenesysColumns, headers: list[str]) -> Said | None:
    """The sheet's one warning that its full names are split, if they are."""
    if not columns.fills or columns.fulltaxa is None:
        return None
    return (columns.letter, FULLTAXA, Severity.WARNING, "full_taxa_split",
            {"column": columns.letter, "heading": headers[columns.fulltaxa],
             "fields": ", ".join(columns.fills)})


def say_full_taxa_not_imported(preview: ImportPreview, columns: GenesysColumns,
                               lost: list[tuple[int, list[str], object]]) -> None:
    """The rows whose full name holds more than their GENUS, SPECIES, SPAUTHOR, SUBTAXA and
    SUBTAUTHOR give (``lost``: row, parts, the fullTaxa cell), said once for the column
    (``full_taxa_not_imported``) with the parts to match columns to: never filled by
    guess, never dropped without a word."""
    notes = []
    if lost and columns.fulltaxa is not None:
        fields = [code for code in TAXON_PARTS if any(code in parts for _, parts, _ in lost)]
        notes.append(SheetProblem.said(
            *preview.place, preview.header_row, columns.letter, FULLTAXA,
            Severity.WARNING, "full_taxa_not_imported", column=columns.letter,
            heading=preview.headers[columns.fulltaxa], count=len(lost),
            rows=rows_text([row for row, _, _ in lost]),
            value=" ".join(str(lost[0][2]).split())[:60], fields=", ".join(fields)))
    replace_notes(preview, ("full_taxa_not_imported",), notes)


def historic_note(skipped: list[tuple[int, str]], *, shown: int = 10) -> Said | None:
    """The sheet's one warning naming the historic rows left out ("5 (IG 101), 9 (IG 102),
    …": the first ``shown``, and how many in all)."""
    if not skipped:
        return None
    rows = ", ".join(f"{row} ({accenumb})" if accenumb else str(row)
                     for row, accenumb in skipped[:shown])
    if len(skipped) > shown:
        rows += ", …"
    return (None, HISTORIC, Severity.WARNING, "historic_rows_skipped",
            {"count": len(skipped), "rows": rows})


def only_mcpd(mapping: Mapping[int, str]) -> dict[int, str]:
    """``mapping`` without the Genesys fields, which no MCPD parser reads."""
    return {index: code for index, code in mapping.items() if code not in GENESYS_FIELDS}
