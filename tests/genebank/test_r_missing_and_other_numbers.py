"""Two values a person was not told about (issue 14, values): R's NA for a missing value,
refused in every column before, and a bare number in OTHERNUMB, stored as ``:number``
without a word."""

from __future__ import annotations

from pathlib import Path

from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet

WORLD = Path(__file__).resolve().parent.parent / "files" / "world"
GERMINATE = WORLD / "passport-germinate-example-mcpd.xlsx"


def r_csv(path: Path) -> Path:
    """A passport table as R's write.csv writes it: row names in a first, unheaded column,
    text quoted, a missing value as a bare NA."""
    lines = ['"","INSTCODE","ACCENUMB","GENUS","SPECIES","ACCENAME","ORIGCTY","SAMPSTAT",'
             '"ACQDATE","ELEVATION","DECLATITUDE","STORAGE"']
    for i in range(1, 13):
        elevation = "NA" if i % 3 == 0 else str(1200 + i)
        country = "NA" if i == 1 else "NAM"  # Namibia, as its two-letter code
        lines.append(f'"{i}","NAM001","NA-{i:03d}","Vigna","unguiculata","NA","{country}",NA,'
                     f'NA,{elevation},NA,"13"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_r_na_reads_as_empty_in_columns_of_numbers_dates_and_codes(tmp_path: Path) -> None:
    """NA in SAMPSTAT, ACQDATE, ELEVATION and DECLATITUDE is R's missing value: read as
    empty and said once for each column with the count of cells; in ACCENAME (a name) it is
    kept as written, and in ORIGCTY it is Namibia's two-letter code (stored as NAM)."""
    preview = preview_passports(read_sheet(r_csv(tmp_path / "niebe.csv")))
    # SAMPSTAT and ACQDATE are then empty on every row: said once for the column too; only
    # the first row, NA in ORIGCTY, has a warning of its own.
    assert [row.status for row in preview.rows] == [RowStatus.WARNING, *[RowStatus.OK] * 11]
    said = {p.field: p.message for p in preview.sheet_problems
            if p.code == "r_missing_read_empty"}
    assert said == {
        "SAMPSTAT": "column H (SAMPSTAT): 12 cell(s) hold NA (2–13), R's mark for a missing "
                    "value: read as empty",
        "ACQDATE": "column I (ACQDATE): 12 cell(s) hold NA (2–13), R's mark for a missing "
                   "value: read as empty",
        "ELEVATION": "column J (ELEVATION): 4 cell(s) hold NA (4, 7, 10, 13), R's mark for a "
                     "missing value: read as empty",
        "DECLATITUDE": "column K (DECLATITUDE): 12 cell(s) hold NA (2–13), R's mark for a "
                       "missing value: read as empty",
    }
    first, third = preview.rows[0], preview.rows[2]
    assert first.values["ACCENAME"] == ["NA"] and first.values["ELEVATION"] == 1201
    assert "ELEVATION" not in third.values and "SAMPSTAT" not in third.values
    assert not any(p.code == "r_missing_read_empty" for row in preview.rows
                   for p in row.problems)
    assert first.values["ORIGCTY"] == "NAM"
    assert [p.message for p in first.problems if p.field == "ORIGCTY"] == \
        ["'NA' read as 'NAM'"]


def test_a_number_in_othernumb_is_said_stored_with_its_colon() -> None:
    """Germinate writes OTHERNUMB as a number cell (1000456.0): stored as MCPD's ':1000456'
    (an identifier of an unknown institute), and now said, as a text cell's is."""
    preview = preview_passports(read_sheet(GERMINATE, "DATA"))
    row = next(row for row in preview.rows if row.row == 2)
    assert row.values["OTHERNUMB"] == [":1000456"]
    said, = [p for p in row.problems if p.field == "OTHERNUMB"]
    assert said.code == "othernumb_no_institute"
    assert said.message == ("'1000456' names no institute: stored as ':1000456', MCPD's form "
                            "of an identifier whose institute is not known (write "
                            "INSTCODE:1000456 if it is known)")
