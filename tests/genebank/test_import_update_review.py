"""The review's findings on updating accessions from a sheet: an export of accessions with
safety duplicates imports back unchanged, a coordinate given in one form never leaves the
other stored form disagreeing, and an accession number spelt differently (case, width,
spaces) is the stored accession."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from genebank import db
from genebank.conservation import regenerations, seed_lots
from genebank.demo import demo
from genebank.io.passport_preview import ImportPreview, RowStatus, Severity
from genebank.models import Accession
from genebank.passport import mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.passport.passport_import import OnExisting, apply_import
from tests.genebank.test_import_update import (
    FULL,
    apply,
    checked,
    passport,
    stored,
    update_sheet,
)


def _export(database: db.Database, path: Path, ids: list[int] | None = None) -> Path:
    with database.session_factory() as session:
        ids = ids if ids is not None else matching_ids(session, AccessionFilter())
        mcpd_export.export_passports(session, path, ids)
    return path


def _send_duplicate(database: db.Database, accession_id: int, site: str = "NOR051") -> int:
    """A base lot of the accession, part of it sent to ``site`` as a safety duplicate."""
    with database.session_factory.begin() as session:
        lot = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L1",
                                   storage_type="base", stored_on=dt.date(2020, 1, 1),
                                   seeds=5000, today=dt.date(2026, 11, 23))
        return regenerations.send_safety_duplicate(
            session, lot_id=lot, institute_code=site, sent_on=dt.date(2021, 1, 1),
            seeds=500, today=dt.date(2026, 11, 23))


def _withdraw(database: db.Database, duplicate_id: int) -> None:
    with database.session_factory.begin() as session:
        regenerations.set_duplicate_status(session, duplicate_id, "withdrawn",
                                           today=dt.date(2026, 11, 23))


def _warnings(result: ImportPreview, row: int = 0) -> list[str]:
    return [f"{p.field}: {p.message}" for p in result.rows[row].problems
            if p.severity is Severity.WARNING]


def test_demo_export_with_safety_duplicates_imports_back_unchanged(
        tmp_path: Path, sqlite_database: db.Database) -> None:
    """The demo with lots (safety duplicates at NOR051 and others), exported and imported
    back as an update: every accession unchanged, no version moves."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=300, lots=True)
    with sqlite_database.session_factory() as session:
        versions = dict(session.execute(select(Accession.id, Accession.version)).all())
    result = checked(sqlite_database, _export(sqlite_database, tmp_path / "demo.xlsx"))
    changed = [(r.row, r.changes) for r in result.rows if r.changes]
    assert changed == []
    assert all(r.unchanged for r in result.rows)
    summary = apply(sqlite_database, result)
    assert (summary.updated, summary.unchanged) == (0, 300)
    with sqlite_database.session_factory() as session:
        assert dict(session.execute(select(Accession.id, Accession.version)).all()) == versions


def test_reimport_does_not_store_a_safety_duplicate_site(
        tmp_path: Path, database: db.Database) -> None:
    """An accession with a lot at Svalbard: its export imported back changes nothing, and
    once the duplicate is withdrawn the export no longer names NOR051."""
    accession_id = stored(database, {**FULL, "DUPLSITE": None})
    duplicate = _send_duplicate(database, accession_id)
    before = passport(database, accession_id)
    result = checked(database, _export(database, tmp_path / "e.xlsx", [accession_id]))
    assert result.rows[0].changes == ()
    apply(database, result)
    after = passport(database, accession_id)
    assert after.version == before.version
    assert "DUPLSITE" not in after.values
    _withdraw(database, duplicate)
    again = _export(database, tmp_path / "w.csv", [accession_id])
    header, line = again.read_text(encoding="utf-8-sig").splitlines()[:2]
    assert "NOR051" not in line
    assert "DUPLSITE" in header


def test_an_edited_duplsite_stores_only_its_own_sites(
        tmp_path: Path, database: db.Database) -> None:
    """A curator adds ESP004 to an exported DUPLSITE 'DEU146;NOR051': DEU146 and ESP004 are
    stored, NOR051 stays derived from the lot sent there and goes when it is withdrawn."""
    accession_id = stored(database, {**FULL, "DUPLSITE": "DEU146"})
    duplicate = _send_duplicate(database, accession_id)
    path = update_sheet(tmp_path / "dupl.xlsx", ["INSTCODE", "ACCENUMB", "DUPLSITE"],
                        ["KAZ001", "KZ-17", "DEU146;ESP004;NOR051"])
    result = checked(database, path)
    assert [(c.field, c.old, c.new) for c in result.rows[0].changes] == [
        ("DUPLSITE", ["DEU146", "NOR051"], ["DEU146", "ESP004", "NOR051"])]
    apply(database, result)
    assert passport(database, accession_id).values["DUPLSITE"] == ["DEU146", "ESP004"]
    _withdraw(database, duplicate)
    line = _export(database, tmp_path / "w.csv", [accession_id]).read_text(
        encoding="utf-8-sig").splitlines()[1]
    assert "DEU146;ESP004" in line and "NOR051" not in line


def test_a_duplsite_without_the_safety_duplicate_site_says_it_stays(
        tmp_path: Path, database: db.Database) -> None:
    """A DUPLSITE cell that leaves out the site holding a sent duplicate cannot remove it:
    the preview says so, and the accession is unchanged."""
    accession_id = stored(database, {**FULL, "DUPLSITE": "DEU146"})
    _send_duplicate(database, accession_id)
    path = update_sheet(tmp_path / "dupl.xlsx", ["INSTCODE", "ACCENUMB", "DUPLSITE"],
                        ["KAZ001", "KZ-17", "DEU146"])
    result = checked(database, path)
    assert result.rows[0].changes == ()
    assert any("NOR051" in w for w in _warnings(result))


def test_new_decimal_coordinates_replace_the_stored_dms(
        tmp_path: Path, database: db.Database) -> None:
    """A sheet with only DECLATITUDE/DECLONGITUDE: the stored DMS forms become the converted
    values, and the preview says so (old -> new)."""
    accession_id = stored(database)
    path = update_sheet(tmp_path / "dec.xlsx",
                        ["INSTCODE", "ACCENUMB", "DECLATITUDE", "DECLONGITUDE"],
                        ["KAZ001", "KZ-17", 45.1, 60.2])
    result = checked(database, path)
    assert [(c.field, c.old, c.new) for c in result.rows[0].changes] == [
        ("DECLATITUDE", 46.8, 45.1), ("LATITUDE", "464800N", "450600N"),
        ("DECLONGITUDE", 61.6, 60.2), ("LONGITUDE", "0613600E", "0601200E")]
    warnings = _warnings(result)
    assert any("464800N -> 450600N" in w for w in warnings)
    assert any("0613600E -> 0601200E" in w for w in warnings)
    assert not any("does not agree" in w for w in warnings)
    apply(database, result)
    values = passport(database, accession_id).values
    assert (values["LATITUDE"], values["DECLATITUDE"]) == ("450600N", 45.1)
    assert (values["LONGITUDE"], values["DECLONGITUDE"]) == ("0601200E", 60.2)


def test_new_dms_coordinates_replace_the_stored_decimals(
        tmp_path: Path, database: db.Database) -> None:
    """A sheet with only LATITUDE/LONGITUDE in DMS: the stored decimals become the
    converted values; a DMS without seconds that disagrees is refused, not guessed."""
    accession_id = stored(database)
    path = update_sheet(tmp_path / "dms.xlsx", ["INSTCODE", "ACCENUMB", "LATITUDE", "LONGITUDE"],
                        ["KAZ001", "KZ-17", "450600N", "0601200E"])
    result = checked(database, path)
    changes = {c.field: (c.old, c.new) for c in result.rows[0].changes}
    assert changes["DECLATITUDE"] == (46.8, 45.1)
    assert changes["DECLONGITUDE"] == (61.6, 60.2)
    assert any("46.8 -> 45.1" in w for w in _warnings(result))
    apply(database, result)
    values = passport(database, accession_id).values
    assert (values["DECLATITUDE"], values["DECLONGITUDE"]) == (45.1, 60.2)

    rough = update_sheet(tmp_path / "rough.xlsx", ["INSTCODE", "ACCENUMB", "LATITUDE"],
                         ["KAZ001", "KZ-17", "40----N"])
    refused = checked(database, rough)
    assert refused.rows[0].status is RowStatus.ERROR
    assert any("DECLATITUDE" in p.message for p in refused.rows[0].problems)


def test_a_coordinate_that_agrees_with_the_stored_form_leaves_it(
        tmp_path: Path, database: db.Database) -> None:
    """A DMS without seconds that agrees with the stored decimal keeps the more precise
    decimal: nothing disagrees, nothing is converted."""
    stored(database)
    path = update_sheet(tmp_path / "same.xlsx", ["INSTCODE", "ACCENUMB", "LATITUDE"],
                        ["KAZ001", "KZ-17", "4648--N"])
    result = checked(database, path)
    assert [(c.field, c.new) for c in result.rows[0].changes] == [("LATITUDE", "4648--N")]


def test_an_accession_number_spelt_differently_is_the_same_accession(
        tmp_path: Path, database: db.Database) -> None:
    """'kz-17', full-width 'ＫＺ－17' or 'Kz-17' in a file while 'KZ-17' is stored: on SQLite
    and PostgreSQL alike the row is that accession (a warning names the stored number),
    never a second accession; an update keeps the stored spelling."""
    stored(database)
    for number in ("kz-17", "ＫＺ－17", "Kz-17"):
        path = update_sheet(tmp_path / "case.xlsx", ["INSTCODE", "ACCENUMB", "GENUS",
                                                     "ORIGCTY", "STORAGE"],
                            ["KAZ001", number, "Triticum", "UZB", "13"])
        result = checked(database, path)
        row = result.rows[0]
        assert row.existing_id is not None and row.status is not RowStatus.ERROR
        assert any("stored as KZ-17" in w for w in _warnings(result)), number
    path = update_sheet(tmp_path / "case.xlsx", ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY",
                                                 "STORAGE"],
                        ["KAZ001", "kz-17", "Triticum", "UZB", "13"])
    with database.session_factory.begin() as session:
        skipped = apply_import(session, checked(database, path), on_existing=OnExisting.SKIP)
    assert (skipped.created, skipped.skipped) == (0, 1)
    summary = apply(database, checked(database, path))
    assert (summary.created, summary.updated, summary.skipped) == (0, 1, 0)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == 1
        assert session.execute(select(Accession.accenumb, Accession.origcty)).one() \
            == ("KZ-17", "UZB")


def test_clearing_duplsite_keeps_the_safety_duplicate_site(
        tmp_path: Path, database: db.Database) -> None:
    """With clear-blank, a blank DUPLSITE cell clears the stored sites but not the one a
    sent duplicate gives: the preview says it stays, the export still names it."""
    accession_id = stored(database, {**FULL, "DUPLSITE": "DEU146"})
    _send_duplicate(database, accession_id)
    path = update_sheet(tmp_path / "clear.xlsx", ["INSTCODE", "ACCENUMB", "DUPLSITE"],
                        ["KAZ001", "KZ-17", None])
    result = checked(database, path, clear_blank=True)
    assert [(c.field, c.old, c.new) for c in result.rows[0].changes] == [
        ("DUPLSITE", ["DEU146", "NOR051"], ["NOR051"])]
    assert any("NOR051" in w for w in _warnings(result))
    apply(database, result)
    assert "DUPLSITE" not in passport(database, accession_id).values
    line = _export(database, tmp_path / "e.csv", [accession_id]).read_text(
        encoding="utf-8-sig").splitlines()[1]
    assert "NOR051" in line and "DEU146" not in line
