"""The identity key costs an import little: computed once a row, and cheaply for ASCII."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from genebank import db
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.mcpd import identity
from genebank.passport import accessions
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import OnExisting, apply_import
from tests.conftest import passport_values

ROWS = 40


def sheet(path: Path) -> Path:
    book = Workbook()
    rows = book.active
    rows.append(["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY", "SAMPSTAT", "STORAGE"])
    for i in range(ROWS):
        rows.append(["KAZ001", f"KZ-{i}", "Triticum", "aestivum", "KAZ", 300, 13])
    book.save(path)
    return path


def test_an_import_computes_each_rows_identity_key_once(
        tmp_path: Path, database: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Previewing, finding the existing accessions and writing 40 rows (one of them an
    update) normalise each row's INSTCODE and ACCENUMB once, not once per step."""
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-3"))
    calls = []
    normalise = identity.identity_text
    monkeypatch.setattr(identity, "identity_text",
                        lambda text: calls.append(text) or normalise(text))
    result = preview_passports(read_sheet(sheet(tmp_path / "mcpd.xlsx")))
    with database.session_factory.begin() as session:
        mark_existing(session, result)
        summary = apply_import(session, result, on_existing=OnExisting.UPDATE)
    assert (summary.created, summary.updated + summary.unchanged) == (ROWS - 1, 1)
    assert len(calls) == 2 * ROWS


def test_a_rows_key_follows_its_changed_number(tmp_path: Path) -> None:
    """The key kept on a preview row is recomputed when its number is replaced."""
    row = preview_passports(read_sheet(sheet(tmp_path / "mcpd.xlsx"))).rows[0]
    assert row.key == identity.accession_key("KAZ001", "KZ-0")
    row.values["ACCENUMB"] = "kz  7 "
    assert row.key == identity.accession_key("KAZ001", "KZ 7")


def test_ascii_text_is_keyed_as_by_the_full_normalisation() -> None:
    """The shortcut for ASCII gives what NFKC, case folding and collapsing give, for every
    ASCII character (the separators \\x1c-\\x1f count as whitespace too)."""
    def full(text: str) -> str:
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
        return " ".join(folded.split())

    for code in range(128):
        char = chr(code)
        for text in (char, f"a{char}B", f" {char} Kz{char}{char}-0{char}", f"ÄB{char}"):
            assert identity.identity_text(text) == full(text), repr(text)


def test_judging_an_import_again_copies_only_the_rows_judged_anew(
        tmp_path: Path, database: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The write judges the rows again (what changed since the preview); of 40 rows only the
    one existing accession is judged anew, so only it is copied: the preview given is left as
    it is, and the new rows are the same in both."""
    from genebank.passport import passport_existing

    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-3"))
    shown = preview_passports(read_sheet(sheet(tmp_path / "mcpd.xlsx")))
    with database.session_factory() as session:
        mark_existing(session, shown)
    before = [(row, row.existing_id, row.stored_version, list(row.problems), row.changes)
              for row in shown.rows]
    copied = []
    copy = passport_existing._copied
    monkeypatch.setattr(passport_existing, "_copied",
                        lambda row: copied.append(row.values["ACCENUMB"]) or copy(row))
    with database.session_factory() as session:
        again = passport_existing.judged_again(session, shown, clear_blank=True)
    assert copied == ["KZ-3"]
    assert [(row, row.existing_id, row.stored_version, list(row.problems), row.changes)
            for row in shown.rows] == before
    assert again.rows[3] is not shown.rows[3] and again.rows[3].existing_id is not None
    assert again.clear_blank and not shown.clear_blank
    assert all(again.rows[i] is shown.rows[i] for i in range(ROWS) if i != 3)
