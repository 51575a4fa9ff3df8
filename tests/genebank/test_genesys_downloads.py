"""Genesys downloads import as they are: fullTaxa split when the sheet has no genus or
species column, historic rows left out and named, `available` stored as available for
distribution (and exported and imported back), rows of other institutes flagged once.

The files are shaped as Genesys writes them: the API's tab-separated CSV with camelCase
headings (instCode, acceNumb, doi, historic, available, fullTaxa...) and true/false in
lower case, and the MCPD Excel download with upper-case headings (INSTCODE, DOI, ACCENUMB,
HISTORIC, CURATION, GENUS, ... GRIN_NAME, ... ACCEURL, UUID, LASTMODIFIED) and Excel's
boolean cells (TRUE/FALSE).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from genebank import db, transactions
from genebank.io.passport_preview import ImportPreview, RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.mcpd import Severity
from genebank.models import Accession
from genebank.passport import accessions, mcpd_export, own_institutes
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import ImportSummary, OnErrors, apply_import
from genebank.services.errors import ValidationFailed
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
# The API's CSV (genesysr's get_accessions reads it tab-separated): camelCase headings, no
# GENUS/SPECIES columns beside fullTaxa.
API_HEADINGS = ["instCode", "acceNumb", "doi", "historic", "available", "fullTaxa",
                "cropName", "sampStat", "origCty", "acqDate", "storage"]
API_ROWS = [
    ["KAZ001", "KZ-1", "10.18730/5N2PQ", "false", "true",
     "Triticum aestivum L. subsp. aestivum", "wheat", "300", "KAZ", "19750612", "13"],
    ["KAZ001", "KZ-2", "", "false", "false",
     "Hordeum vulgare subsp. spontaneum (K. Koch) Thell.", "barley", "100", "KAZ", "", "13"],
    ["KAZ001", "KZ-3", "", "true", "false", "Zea mays L.", "maize", "", "MEX", "", "13"],
    ["UZB006", "UZ-7", "", "false", "", "Musa AAA Group", "banana", "", "UZB", "", "30"],
    ["UZB006", "UZ-8", "", "TRUE", "", "Oryza sativa L.", "rice", "", "UZB", "", "13"],
    ["UZB006", "UZ-9", "", "false", "true", "Oryza sativa L.", "rice", "", "UZB", "", "13"],
]
# The MCPD Excel download (/wiews/<code>/download): MCPD codes and Genesys's own columns.
MCPD_HEADINGS = ["INSTCODE", "DOI", "ACCENUMB", "HISTORIC", "CURATION", "GENUS", "SPECIES",
                 "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR", "GRIN_TAXON_ID", "GRIN_NAME",
                 "GRIN_AUTHOR", "CROPNAME", "CROPCODE", "SAMPSTAT", "ACQDATE", "ACCENAME",
                 "ORIGCTY", "STORAGE", "AVAILABLE", "ACCEURL", "REMARKS", "UUID",
                 "LASTMODIFIED", "fullTaxa"]


def api_csv(path: Path, rows: list[list[str]] = API_ROWS,
            headings: list[str] = API_HEADINGS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t" if path.suffix == ".tsv" else ",")
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def mcpd_download(path: Path) -> Path:
    """Two accessions as the MCPD Excel download gives them; HISTORIC and AVAILABLE are
    Excel booleans, and fullTaxa repeats the name the GENUS... columns hold."""
    book = Workbook()
    sheet = book.active
    sheet.title = "MCPD"
    sheet.append(MCPD_HEADINGS)
    common = {"INSTCODE": "KAZ001", "CURATION": None, "GRIN_TAXON_ID": 40544,
              "GRIN_NAME": "Triticum aestivum subsp. aestivum", "GRIN_AUTHOR": "L.",
              "CROPNAME": "wheat", "CROPCODE": "wheat", "SAMPSTAT": 300,
              "ACQDATE": "19750612", "ACCENAME": None, "ORIGCTY": "KAZ", "STORAGE": "13",
              "ACCEURL": None, "REMARKS": None,
              "UUID": "0b7c1a4e-6f0a-4c37-9d1e-2f4f0a0f8c11",
              "LASTMODIFIED": dt.datetime(2023, 5, 4, 10, 30)}
    for number, historic, available, genus, species in (
            ("KZ-10", False, True, "Triticum", "aestivum"),
            ("KZ-11", True, False, "Triticum", "durum")):
        row = {**common, "DOI": f"10.18730/{number}", "ACCENUMB": number,
               "HISTORIC": historic, "GENUS": genus, "SPECIES": species,
               "SPAUTHOR": "Desf." if species == "durum" else "L.", "SUBTAXA": None,
               "SUBTAUTHOR": None, "AVAILABLE": available,
               "fullTaxa": "Aegilops tauschii Coss."}  # never written over GENUS
        sheet.append([row[h] for h in MCPD_HEADINGS])
    book.save(path)
    return path


def checked(database: db.Database, path: Path) -> ImportPreview:
    preview = preview_passports(read_sheet(path), today=TODAY)
    with database.session_factory() as session:
        mark_existing(session, preview)
    return preview


def sheet_codes(preview: ImportPreview) -> list[str | None]:
    return [p.code for p in preview.sheet_problems]


def imported(database: db.Database, preview: ImportPreview) -> ImportSummary:
    return transactions.run_write(database, lambda session: apply_import(
        session, preview, on_errors=OnErrors.SKIP_ROWS), operation="import", bulk=True)


def stored(database: db.Database) -> dict[str, dict[str, object]]:
    with database.session_factory() as session:
        ids = session.scalars(select(Accession.id).order_by(Accession.accenumb)).all()
        return {p.values["ACCENUMB"]: p.values
                for p in (accessions.get_passport(session, i) for i in ids)}


def test_full_taxa_is_split_when_the_sheet_has_no_genus_or_species(
        database: db.Database, tmp_path: Path) -> None:
    """A camelCase download with only fullTaxa: each name is split into GENUS, SPECIES,
    SPAUTHOR, SUBTAXA and SUBTAUTHOR, the sheet says so once, and only the name of an
    unusual shape gets a warning of its row."""
    preview = checked(database, api_csv(tmp_path / "genesys.csv"))
    split = [p for p in preview.sheet_problems if p.code == "full_taxa_split"]
    assert len(split) == 1 and split[0].severity is Severity.WARNING
    assert split[0].params["fields"] == "GENUS, SPECIES, SPAUTHOR, SUBTAXA, SUBTAUTHOR"
    assert split[0].params["heading"] == "fullTaxa" and "column F" in split[0].message
    values = {row.values["ACCENUMB"]: row.values for row in preview.rows}
    assert {k: values["KZ-1"].get(k) for k in ("GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA",
                                              "SUBTAUTHOR")} == {
        "GENUS": "Triticum", "SPECIES": "aestivum", "SPAUTHOR": "L.",
        "SUBTAXA": "subsp. aestivum", "SUBTAUTHOR": None}
    assert (values["KZ-2"]["SUBTAXA"], values["KZ-2"]["SUBTAUTHOR"]) == (
        "subsp. spontaneum", "(K. Koch) Thell.")
    assert "SPAUTHOR" not in values["KZ-2"]
    uncertain = [(row.values["ACCENUMB"], p.column) for row in preview.rows
                 for p in row.problems if p.code == "full_taxa_split_uncertain"]
    assert uncertain == [("UZ-7", "F")]
    assert (values["UZ-7"]["GENUS"], values["UZ-7"].get("SPECIES"),
            values["UZ-7"]["SUBTAXA"]) == ("Musa", None, "AAA Group")
    # GENUS comes from the fullTaxa column: no "no GENUS column" refusal or warning.
    assert not any(p.code in ("update_only_columns", "new_needs_column")
                   for p in preview.problems())
    assert all(row.status is not RowStatus.ERROR for row in preview.rows)
    summary = imported(database, preview)
    assert summary.created == 4
    assert stored(database)["KZ-1"]["SUBTAXA"] == "subsp. aestivum"


def test_full_taxa_never_overwrites_a_genus_or_species_column(
        database: db.Database, tmp_path: Path) -> None:
    """The MCPD download has GENUS and SPECIES: fullTaxa is not split and no part of it
    replaces a value of those columns."""
    preview = checked(database, mcpd_download(tmp_path / "genesys-accessions-KAZ001.xlsx"))
    assert "full_taxa_split" not in sheet_codes(preview)
    assert [(r.values["GENUS"], r.values["SPECIES"], r.values["SPAUTHOR"])
            for r in preview.rows] == [("Triticum", "aestivum", "L.")]
    assert not any(p.code == "full_taxa_split_uncertain" for p in preview.problems())


def test_what_full_taxa_holds_beyond_genus_and_species_is_said_once(
        database: db.Database, tmp_path: Path) -> None:
    """QA finding 3: a hand-made Genesys CSV with genus and species beside fullTaxa lost
    KZ-0002's subspecies and authors without a word. Not split (never filled by guess),
    but said once for the column with the rows and the fields to match columns to."""
    path = api_csv(tmp_path / "genesys.csv", headings=[
        "instCode", "acceNumb", "doi", "genus", "species", "fullTaxa", "historic",
        "available", "mlsStat", "origCty", "sampStat", "acqDate", "storage"], rows=[
        ["KAZ001", "KZ-0001", "", "Triticum", "aestivum", "Triticum aestivum", "false",
         "true", "true", "KAZ", "300", "19750612", "13"],
        ["KAZ001", "KZ-0002", "", "Hordeum", "vulgare",
         "Hordeum vulgare subsp. spontaneum (K. Koch) Thell.", "false", "false", "false",
         "KAZ", "100", "2005", "13;20"],
        ["KAZ001", "KZ-0003", "", "Zea", "mays", "Zea mays L.", "false", "true", "true",
         "MEX", "", "", "13"],
    ])
    preview = checked(database, path)
    notes = [p for p in preview.sheet_problems if p.code == "full_taxa_not_imported"]
    assert [(p.column, p.row, p.severity, p.message) for p in notes] == [
        ("F", 1, Severity.WARNING,
         "column F (fullTaxa) holds parts of the name that the row's own columns do not "
         "give, on 2 row(s) (3–4; first 'Hordeum vulgare subsp. spontaneum (K. Koch) "
         "Thell.'): its SPAUTHOR, SUBTAXA, SUBTAUTHOR are not imported (it is not split "
         "when the sheet has GENUS or SPECIES columns). To keep them, match columns to "
         "SPAUTHOR, SUBTAXA, SUBTAUTHOR")]
    values = {row.values["ACCENUMB"]: row.values for row in preview.rows}
    assert "SUBTAXA" not in values["KZ-0002"] and "SPAUTHOR" not in values["KZ-0003"]
    assert all(not p.warning or p.code != "full_taxa_not_imported"
               for row in preview.rows for p in row.problems)


def test_historic_rows_are_not_imported_and_are_named(
        database: db.Database, tmp_path: Path) -> None:
    """Rows marked historic (false/true, TRUE from Excel's booleans alike) are left out,
    named in one warning by row and accession number, and counted apart."""
    preview = checked(database, api_csv(tmp_path / "genesys.csv"))
    assert preview.historic == [(4, "KZ-3"), (6, "UZ-8")]
    assert {row.values["ACCENUMB"] for row in preview.rows} == {"KZ-1", "KZ-2", "UZ-7",
                                                                 "UZ-9"}
    [note] = [p for p in preview.sheet_problems if p.code == "historic_rows_skipped"]
    assert note.severity is Severity.WARNING
    assert note.message == ("2 row(s) are marked historic (no longer held by their "
                            "institute) and are not imported: rows 4 (KZ-3), 6 (UZ-8)")
    summary = imported(database, preview)
    assert (summary.created, summary.skipped, summary.historic) == (4, 0, 2)
    assert summary.line() == ("4 created, 0 updated, 0 unchanged, 0 skipped, "
                              "2 historic not imported")
    assert set(stored(database)) == {"KZ-1", "KZ-2", "UZ-7", "UZ-9"}

    book = mcpd_download(tmp_path / "genesys-accessions-KAZ001.xlsx")
    assert checked(database, book).historic == [(3, "KZ-11")]  # an Excel TRUE


def test_many_historic_rows_are_summarised(database: db.Database, tmp_path: Path) -> None:
    """The warning names the first ten historic rows and says how many in all."""
    rows = [["KAZ001", f"H-{i}", "", "true", "", "Zea mays L.", "", "", "", "", "13"]
            for i in range(25)]
    preview = checked(database, api_csv(tmp_path / "old.csv", rows))
    [note] = [p for p in preview.sheet_problems if p.code == "historic_rows_skipped"]
    assert note.params["count"] == 25 and preview.rows == []
    assert note.params["rows"].startswith("2 (H-0), 3 (H-1)")
    assert note.params["rows"].endswith("11 (H-9), …")


def test_a_flag_that_is_neither_true_nor_false_is_refused(
        database: db.Database, tmp_path: Path) -> None:
    """'maybe' in available or historic is refused on its row, never guessed."""
    rows = [["KAZ001", "KZ-1", "", "maybe", "", "Zea mays L.", "", "", "", "", "13"],
            ["KAZ001", "KZ-2", "", "", "oui", "Zea mays L.", "", "", "", "", "13"]]
    preview = checked(database, api_csv(tmp_path / "bad.csv", rows))
    refused = [(r.row, p.field, p.column, p.code) for r in preview.rows for p in r.problems
               if p.severity is Severity.ERROR]
    assert refused == [(2, "HISTORIC", "D", "flag_unreadable"),
                       (3, "AVAILABLE", "E", "flag_unreadable")]
    assert preview.historic == []


def test_available_is_stored_exported_and_imported_back(
        database: db.Database, tmp_path: Path) -> None:
    """available true/false/blank is stored as available for distribution (unknown when
    blank), exported as AVAILABLE after the MCPD columns, and an export imports back
    the same."""
    imported(database, checked(database, api_csv(tmp_path / "genesys.csv")))
    with database.session_factory() as session:
        availability = session.execute(
            select(Accession.accenumb, Accession.available_for_distribution)).all()
        assert dict(availability) == {"KZ-1": True, "KZ-2": False, "UZ-7": None,
                                      "UZ-9": True}
        ids = session.scalars(select(Accession.id).order_by(Accession.accenumb)).all()
        for suffix in (".xlsx", ".csv"):
            mcpd_export.export_passports(session, tmp_path / f"out{suffix}", ids)
    book = load_workbook(tmp_path / "out.xlsx")
    header = [cell.value for cell in next(book.active.iter_rows(max_row=1))]
    assert header[-1] == "AVAILABLE" and header[-2] == "REMARKS"
    assert [row[-1] for row in book.active.iter_rows(min_row=2, values_only=True)] == [
        "true", "false", None, "true"]
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][-1] == "AVAILABLE" and [r[-1] for r in lines[1:]] == [
        "true", "false", "", "true"]

    with database.session_factory() as session:  # the export imported back: no change
        for suffix in (".xlsx", ".csv"):
            again = preview_passports(read_sheet(tmp_path / f"out{suffix}"), today=TODAY)
            mark_existing(session, again)
            assert again.existing == 4 and again.unchanged == 4, suffix
    changed = api_csv(tmp_path / "changed.csv", [
        ["KAZ001", "KZ-1", "", "false", "false", "Triticum aestivum L. subsp. aestivum",
         "wheat", "300", "KAZ", "19750612", "13"]])
    with database.session_factory() as session:
        update = preview_passports(read_sheet(changed), today=TODAY)
        mark_existing(session, update)
    assert [(c.field, c.old, c.new) for c in update.rows[0].changes] == [
        ("AVAILABLE", True, False)]


def test_the_form_keeps_available_true_false_or_unknown(database: db.Database) -> None:
    """The accession form's availability (a three-state check box) is saved, read back
    and cleared like any descriptor; anything but true/false/unknown is refused."""
    with database.session_factory.begin() as session:
        saved = accessions.create_accession(session, values=passport_values(AVAILABLE=True))
    with database.session_factory.begin() as session:
        passport = accessions.get_passport(session, saved.id)
        assert passport.values["AVAILABLE"] is True
        values = {**passport.values, "AVAILABLE": None}
        again = accessions.update_accession(session, saved.id, expected_version=saved.version,
                                            values=values)
        assert again.changed
    with database.session_factory() as session:
        assert "AVAILABLE" not in accessions.get_passport(session, saved.id).values
    with database.session_factory.begin() as session, pytest.raises(ValidationFailed) as err:
        accessions.create_accession(
            session, values=passport_values(ACCENUMB="KZ-2", AVAILABLE="perhaps"))
    assert [(p.field, p.code) for p in err.value.problems] == [("AVAILABLE", "flag_unreadable")]


def test_rows_of_other_institutes_are_flagged_once(
        database: db.Database, tmp_path: Path) -> None:
    """With the gene bank's own codes set, the rows of other institutes are flagged once
    for the sheet, counted by institute (a warning: they still import); without them,
    nothing is flagged, and a new database has none."""
    path = api_csv(tmp_path / "genesys.csv")
    with database.session_factory() as session:
        assert own_institutes.own_instcodes(session) == ()
    assert "rows_not_held" not in sheet_codes(checked(database, path))

    with database.session_factory.begin() as session:
        result = own_institutes.set_own_instcodes(session, ["kaz001", "KAZ002", "KAZ001"])
    assert result.codes == ("KAZ001", "KAZ002")
    preview = checked(database, path)
    [note] = [p for p in preview.sheet_problems if p.code == "rows_not_held"]
    assert note.severity is Severity.WARNING and note.field == "INSTCODE"
    assert note.message == ("2 row(s) are held by other institutes (UZB006: 2 rows): not "
                            "held by you")
    with database.session_factory() as session:  # judged again: still said once
        mark_existing(session, preview, clear_blank=True)
    assert sheet_codes(preview).count("rows_not_held") == 1
    assert imported(database, preview).created == 4

    with database.session_factory.begin() as session:
        own_institutes.set_own_instcodes(session, [])
    assert "rows_not_held" not in sheet_codes(checked(database, path))


def test_a_code_that_is_not_an_institute_code_changes_nothing(database: db.Database) -> None:
    """One bad code refuses them all; what was stored stays."""
    with database.session_factory.begin() as session:
        own_institutes.set_own_instcodes(session, ["KAZ001"])
    with database.session_factory.begin() as session, pytest.raises(ValidationFailed) as err:
        own_institutes.set_own_instcodes(session, ["KAZ002", "Kazakhstan"])
    assert [p.code for p in err.value.problems] == ["instcode_invalid"]
    with database.session_factory() as session:
        assert own_institutes.own_instcodes(session) == ("KAZ001",)
        assert own_institutes.collection_settings(session) == {"own_instcodes": "KAZ001"}
