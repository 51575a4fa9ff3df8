"""Updating accessions that exist from a sheet: only filled cells change, clearing is asked
for, every rule runs on the record that would be stored, and equal rows change nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from genebank import db
from genebank.io.passport_preview import ImportPreview, RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.models import Accession, ImportLog
from genebank.passport import accessions, mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import (
    ImportRefused,
    ImportSummary,
    OnErrors,
    OnExisting,
    apply_import,
)
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
TITLE = "Corrections from the 2026 field check (J. Omarova)"
# A full passport, as a curator typed it in the form.
FULL = passport_values(
    ACCENUMB="KZ-17", COLLNUMB="KZ-C-17", COLLDATE="19750612",
    COLLSITE="Aral shore, 12 km N of Aralsk", DECLATITUDE="46.8", LATITUDE="464800N",
    DECLONGITUDE="61.6", LONGITUDE="0613600E", ELEVATION="55", COLLSRC="20",
    OTHERNUMB="KAZ004:K-17", REMARKS="COLLSITE:near the old port", DUPLSITE="NOR051",
    COLLCODE="KAZ004", ACCENAME="Kazakhstanskaya 10;Aral wheat")


def stored(database: db.Database, values: dict[str, object] = FULL) -> int:
    with database.session_factory.begin() as session:
        return accessions.create_accession(session, values=values).id


def passport(database: db.Database, accession_id: int) -> accessions.Passport:
    with database.session_factory() as session:
        return accessions.get_passport(session, accession_id)


def update_sheet(path: Path, header: list[str], *rows: list[object]) -> Path:
    """A sheet as a person makes it in Excel: a title on row 1, headings, a few columns,
    cells left empty where there is nothing to say."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Corrections"
    sheet.append([TITLE])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def checked(database: db.Database, path: Path, *, clear_blank: bool = False) -> ImportPreview:
    result = preview_passports(read_sheet(path), today=TODAY)
    with database.session_factory() as session:
        mark_existing(session, result, clear_blank=clear_blank)
    return result


def apply(database: db.Database, result: ImportPreview, **options: object) -> ImportSummary:
    with database.session_factory.begin() as session:
        return apply_import(session, result, on_existing=OnExisting.UPDATE,  # type: ignore[arg-type]
                            **options)


def test_an_update_changes_only_the_filled_cells(tmp_path: Path, database: db.Database) -> None:
    """Blank cells and absent columns keep what is stored; a list cell replaces the list;
    a species keeps the genus, authority and crop name."""
    accession_id = stored(database)
    before = passport(database, accession_id)
    path = update_sheet(tmp_path / "corrections.xlsx",
                        ["INSTCODE", "ACCENUMB", "Genus", "Country of origin", "COLLNUMB",
                         "SPECIES", "STORAGE", "ACCENAME"],
                        ["KAZ001", "KZ-17", "Triticum", "UZB", None, "durum", "12;13", ""])
    result = checked(database, path)
    summary = apply(database, result)
    after = passport(database, accession_id)
    expected = {**before.values, "SPECIES": "durum", "ORIGCTY": "UZB", "STORAGE": [12, 13]}
    assert after.values == expected
    assert [(c.field, c.old, c.new) for c in result.rows[0].changes] == [
        ("SPECIES", "aestivum", "durum"), ("ORIGCTY", "KAZ", "UZB"), ("STORAGE", [13], [12, 13])]
    assert (summary.updated, summary.unchanged) == (1, 0)
    assert after.version == before.version + 1


def test_clear_blank_clears_only_the_blank_cells_of_the_files_columns(
        tmp_path: Path, database: db.Database) -> None:
    """Asked for, a blank cell clears its column's value, never GENUS; columns the file does
    not have keep theirs; the preview counts what will be cleared."""
    accession_id = stored(database)
    before = passport(database, accession_id)
    path = update_sheet(tmp_path / "clear.xlsx",
                        ["INSTCODE", "ACCENUMB", "GENUS", "COLLNUMB", "ACCENAME", "DUPLSITE",
                         "ORIGCTY"],
                        ["KAZ001", "KZ-17", None, "", None, "  ", "KAZ"])
    kept = checked(database, path)
    assert kept.rows[0].unchanged and kept.cleared == 0
    result = checked(database, path, clear_blank=True)
    assert result.cleared == 3
    assert [(c.field, c.new) for c in result.rows[0].changes] == [
        ("COLLNUMB", None), ("ACCENAME", None), ("DUPLSITE", None)]
    apply(database, result)
    after = passport(database, accession_id).values
    assert after == {k: v for k, v in before.values.items()
                     if k not in {"COLLNUMB", "ACCENAME", "DUPLSITE"}}
    assert after["COLLCODE"] == ["KAZ004"]  # the other institutes' role is kept


def test_a_sheet_of_identity_and_one_descriptor_updates_existing_and_refuses_new(
        tmp_path: Path, database: db.Database) -> None:
    """INSTCODE, ACCENUMB and MLSSTAT: a valid update file; a row for an accession that does
    not exist is refused by row, since a new accession needs a genus (storage is warned)."""
    accession_id = stored(database, {**FULL, "MLSSTAT": None})
    path = update_sheet(tmp_path / "mls.xlsx", ["INSTCODE", "ACCENUMB", "MLSSTAT"],
                        ["KAZ001", "KZ-17", 1], ["KAZ001", "KZ-404", 1])
    result = checked(database, path)
    assert result.can_import
    assert [p.severity for p in result.sheet_problems if p.field == "GENUS"] == ["warning"]
    existing, new = result.rows
    assert existing.status is not RowStatus.ERROR
    assert new.status is RowStatus.ERROR
    assert {p.field for p in new.problems if p.severity == "error"} == {"GENUS"}
    assert any("the file has no GENUS column" in p.message for p in new.problems)
    with pytest.raises(ImportRefused):
        apply(database, result)
    summary = apply(database, result, on_errors=OnErrors.SKIP_ROWS)
    assert (summary.created, summary.updated, summary.skipped) == (0, 1, 1)
    assert passport(database, accession_id).values["MLSSTAT"] == 1


def test_a_sheet_with_nothing_but_the_identity_is_refused(tmp_path: Path) -> None:
    """INSTCODE and ACCENUMB alone say nothing to import: one error for the sheet."""
    path = update_sheet(tmp_path / "ids.xlsx", ["INSTCODE", "ACCENUMB"], ["KAZ001", "KZ-17"])
    result = preview_passports(read_sheet(path), today=TODAY)
    assert not result.can_import
    assert any("nothing to import" in p.message for p in result.sheet_problems)


def test_every_rule_runs_on_the_record_that_would_be_stored(tmp_path: Path,
                                                            database: db.Database) -> None:
    """A new decimal latitude replaces the stored DMS one it disagrees with (said, old ->
    new); a SAMPSTAT of 999 is explained by a stored remark; clearing the storage is warned
    (not counted for SDG 2.5.1), not refused."""
    stored(database, {**FULL, "REMARKS": "SAMPSTAT:mixture of landraces from one village"})
    path = update_sheet(tmp_path / "checks.xlsx",
                        ["INSTCODE", "ACCENUMB", "DECLATITUDE", "SAMPSTAT", "STORAGE"],
                        ["KAZ001", "KZ-17", "45.5", "999", None])
    result = checked(database, path)
    row = result.rows[0]
    assert [(p.field, p.severity) for p in row.problems] == [("LATITUDE", "warning")]
    assert "464800N -> 453000N" in row.problems[0].message
    cleared_file = checked(database, path, clear_blank=True)
    assert cleared_file.rows[0].status is RowStatus.WARNING
    assert [p.code for p in cleared_file.sheet_problems if p.field == "STORAGE"] == [
        "fao_column_empty"]


def test_reimporting_an_export_changes_nothing_and_is_logged(tmp_path: Path,
                                                             database: db.Database) -> None:
    """An identical re-import: every row unchanged, no version or "last changed" moves, and
    the import log says how many were unchanged."""
    for number in range(1, 4):
        stored(database, {**FULL, "ACCENUMB": f"KZ-{number}"})
    with database.session_factory() as session:
        ids = matching_ids(session, AccessionFilter())
        mcpd_export.export_passports(session, tmp_path / "export.xlsx", ids)
        before = [(a.version, a.updated_at) for a in session.scalars(
            select(Accession).order_by(Accession.id))]
    result = checked(database, tmp_path / "export.xlsx")
    assert (result.existing, result.unchanged, result.changing) == (3, 3, 0)
    summary = apply(database, result)
    assert summary.line() == "0 created, 0 updated, 3 unchanged, 0 skipped"
    with database.session_factory() as session:
        after = [(a.version, a.updated_at) for a in session.scalars(
            select(Accession).order_by(Accession.id))]
        log = session.get(ImportLog, summary.log_id)
        assert log is not None and log.details.splitlines()[0] == summary.line()
    assert after == before


def test_the_import_log_lists_each_change(tmp_path: Path, database: db.Database) -> None:
    """Each updated accession's changes are kept in the import log, old -> new."""
    stored(database)
    path = update_sheet(tmp_path / "one.xlsx", ["INSTCODE", "ACCENUMB", "ELEVATION"],
                        ["KAZ001", "KZ-17", 61])
    summary = apply(database, checked(database, path))
    with database.session_factory() as session:
        log = session.get(ImportLog, summary.log_id)
    assert log is not None
    assert "row 3: KZ-17 updated: ELEVATION '55' -> '61'" in log.details.splitlines()


def test_an_apostrophe_an_export_added_is_removed_with_a_warning(tmp_path: Path,
                                                                 database: db.Database) -> None:
    """'=1+1 in a cell is read as =1+1, and the row says the apostrophe was removed."""
    path = update_sheet(tmp_path / "escaped.xlsx",
                        ["INSTCODE", "ACCENUMB", "GENUS", "STORAGE", "COLLSITE"],
                        ["KAZ001", "KZ-90", "Triticum", "13", "'=1+1 field"])
    result = checked(database, path)
    row = result.rows[0]
    assert row.values["COLLSITE"] == "=1+1 field"
    notes = [p.message for p in row.problems if p.field == "COLLSITE"]
    assert notes == ["the apostrophe an export puts before '=' was removed: read as "
                     "'=1+1 field'"]


def test_the_command_line_updates_and_clears_only_when_asked(
        tmp_path: Path, database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    """import-mcpd --update keeps blank cells' values; --clear-blank clears them; a dry run
    lists each change; --clear-blank without --update is refused."""
    from genebank import cli

    accession_id = stored(database)
    path = update_sheet(tmp_path / "cli.xlsx", ["INSTCODE", "ACCENUMB", "ORIGCTY", "COLLNUMB"],
                        ["KAZ001", "KZ-17", "UZB", None])
    url = database.url

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--database", url, "import-mcpd", str(path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = run("--clear-blank")
    assert code == 1 and "needs --update" in err
    code, out, _ = run("--update", "--clear-blank", "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "row 3: KZ-17 updated: COLLNUMB 'KZ-C-17' -> (empty); ORIGCTY 'KAZ' -> 'UZB'",
        "1 rows checked: 0 with errors, 0 with warnings, 1 existing (1 to change, 0 unchanged, "
        "1 values to clear); dry run, nothing imported"]
    code, out, _ = run("--update")
    assert code == 0 and out.startswith("0 created, 1 updated, 0 unchanged, 0 skipped")
    after = passport(database, accession_id).values
    assert (after["ORIGCTY"], after["COLLNUMB"]) == ("UZB", "KZ-C-17")
    code, out, _ = run("--update")
    assert out.startswith("0 created, 0 updated, 1 unchanged, 0 skipped")
    code, out, _ = run("--update", "--clear-blank")
    assert out.startswith("0 created, 1 updated, 0 unchanged, 0 skipped")
    assert "COLLNUMB" not in passport(database, accession_id).values


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_reimporting_the_demo_collection_finds_every_accession_unchanged(
        tmp_path: Path, sqlite_database: db.Database, suffix: str) -> None:
    """Every descriptor the demo fills (coordinates, partial dates, lists, remarks) reads
    back from an export equal to what is stored: the update finds nothing to change."""
    from genebank.demo import demo

    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=300, lots=False)
    with sqlite_database.session_factory() as session:
        ids = matching_ids(session, AccessionFilter())
        mcpd_export.export_passports(session, tmp_path / f"demo{suffix}", ids)
    result = checked(sqlite_database, tmp_path / f"demo{suffix}")
    assert [(r.row, r.changes) for r in result.rows if r.changes] == []
    assert (result.existing, result.unchanged) == (300, 300)
    summary = apply(sqlite_database, result)
    assert (summary.updated, summary.unchanged) == (0, 300)


def test_an_update_file_is_not_warned_about_absent_recommended_columns(
        tmp_path: Path, database: db.Database) -> None:
    """A file of existing accessions lacking SPECIES, ORIGCTY… keeps the stored values: no
    sheet warning; one that also creates accessions says how many would lack them."""
    stored(database)
    stored(database, passport_values(ACCENUMB="KZ-18"))
    header = ["INSTCODE", "ACCENUMB", "GENUS", "STORAGE", "COLLSITE"]
    update = checked(database, update_sheet(
        tmp_path / "update.xlsx", header, ["KAZ001", "KZ-17", None, None, "Aral shore, 14 km N"],
        ["KAZ001", "KZ-18", "Triticum", "13", None]))
    assert update.existing == 2 and update.count(RowStatus.ERROR) == 0
    assert not any("SPECIES" in p.message for p in update.sheet_problems)
    mixed = checked(database, update_sheet(
        tmp_path / "mixed.xlsx", header, ["KAZ001", "KZ-17", None, None, "Aral shore, 14 km N"],
        ["KAZ001", "KZ-19", "Hordeum", "13", "Shymkent"], ["KAZ001", "KZ-20", "Avena", "13;20"],
        ["KAZ001", "KZ-21", None, None, "refused: no GENUS"]))
    assert [p.message for p in mixed.sheet_problems if "SPECIES" in p.message] == [
        "no column for SPECIES, ORIGCTY, SAMPSTAT, ACQDATE, MLSSTAT: 2 new accession(s) "
        "would have none of them, and FAO WIEWS reporting uses them"]
    assert mixed.sheet_problems[-1].row == 2  # said at the headings


def test_a_stored_value_the_update_keeps_is_not_warned_on_the_empty_cell(
        tmp_path: Path, database: db.Database) -> None:
    """QA finding 7: REMARKS left blank, the stored remark 'épis barbus' (no FIELD: part)
    was warned about on the empty cell D3 as if the person had typed it; the update keeps
    it as it was accepted, so the file is not told to fix it. ELEVATION still changes."""
    accession_id = stored(database, {**FULL, "REMARKS": "épis barbus"})
    path = update_sheet(tmp_path / "maj.xlsx",
                        ["INSTCODE", "ACCENUMB", "ELEVATION", "REMARKS", "ORIGCTY"],
                        ["KAZ001", "kz-17", "900", None, "uzb"])
    result = checked(database, path)
    row = result.rows[0]
    assert [p.field for p in row.problems if p.field == "REMARKS"] == []
    assert sorted((c.field, c.old, c.new) for c in row.changes) == [
        ("ELEVATION", 55, 900), ("ORIGCTY", "KAZ", "UZB")]
    apply(database, result)
    assert passport(database, accession_id).values["REMARKS"] == ["épis barbus"]
