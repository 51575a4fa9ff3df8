"""Text on its way in: NFC, hidden controls refused in identifiers and removed elsewhere,
every field within its column's size before the database sees it (on both databases)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from genebank import db
from genebank.conservation import seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.io import headings
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.models import Accession, Course, GerminationTest, Participant, SeedLot
from genebank.passport import accessions
from genebank.services.errors import ValidationFailed
from genebank.services.text_fields import TextRefused
from genebank.text import TextKind, clean_text, limit_of, passport_limits, terminal_safe
from genebank.training import participant_import, participants
from tests.conftest import passport_values
from tests.genebank.test_training import a_course

# Every character class the cleaning refuses in identifiers and removes elsewhere.
HIDDEN = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u202a", "\u202b", "\u202c",
          "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
KEPT = ["\u200c", "\u200d", "\u200e", "\u200f"]  # ZWNJ, ZWJ, LRM, RLM: Persian needs them


def test_identifiers_refuse_hidden_controls_other_text_loses_them() -> None:
    """Each control and bidi override is refused in an identifier (with its code point and
    position) and removed from a name with a warning; joiners and marks stay."""
    for char in HIDDEN:
        refused = clean_text(f"KZ{char}1", field="ACCENUMB", kind=TextKind.IDENTIFIER)
        assert [p.code for p in refused.problems] == ["control_refused"]
        assert refused.problems[0].params["character"] == f"U+{ord(char):04X}"
        assert refused.problems[0].params["position"] == 3
        removed = clean_text(f"Ar{char}al", field="COLLSITE")
        assert removed.text == "Aral" and [p.code for p in removed.problems] == \
            ["controls_removed"] and not removed.errors
    for char in KEPT:
        for kind in TextKind:
            kept = clean_text(f"a{char}b", field="x", kind=kind)
            assert kept.text == f"a{char}b" and kept.problems == ()


def test_multi_line_fields_keep_tabs_and_line_breaks() -> None:
    """Notes keep their tabs and line breaks; a one-line field turns them into spaces."""
    assert clean_text("a\tb\r\nc\x07", field="notes", kind=TextKind.LINES).text == "a\tb\r\nc"
    assert clean_text("a\tb\r\nc", field="name").text == "a b c"


def test_text_is_nfc_normalised() -> None:
    """'e' + combining acute and the single 'é' are the same text once stored."""
    assert clean_text("Jose\u0301", field="name").text == "Jos\u00e9"
    assert clean_text("Jose\u0301", field="name").problems == ()


def test_an_import_stores_nfc_and_says_nothing_of_it(tmp_path: Path) -> None:
    """A decomposed accent in a file is stored composed, without a note that would show
    two identical-looking names; a bidi override is removed and written out in the note."""
    path = tmp_path / "accents.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,STORAGE,COLLSITE\n"
                    "KAZ001,A1,Triticum,13,Jose\u0301\nKAZ001,A2,Triticum,13,Ar\u202eal\n",
                    encoding="utf-8")
    preview = preview_passports(read_sheet(path), today=dt.date(2026, 11, 26))
    assert preview.rows[0].values["COLLSITE"] == "Jos\u00e9"
    notes = [(p.row, p.message) for p in preview.problems() if p.column == "E"]
    assert notes == [(3, "'Ar\\u202eal' read as 'Aral'")]


def test_limits_come_from_the_model_columns() -> None:
    """The limit of a field is its column's String(n), written once."""
    assert limit_of(Participant.full_name) == 200 and limit_of(Participant.notes) is None
    assert passport_limits()["ACCENUMB"] == limit_of(Accession.accenumb)
    assert passport_limits()["INSTCODE"] == limit_of(Accession.instcode)


def test_a_250_character_participant_name_is_refused_before_the_database(
        database: db.Database) -> None:
    """On SQLite (which would store it) and PostgreSQL (which raised a raw DataError): a
    coded refusal naming the field and its limit; nothing stored. A 5 MB name likewise."""
    for name in ("N" * 250, "N" * 5_000_000):
        with pytest.raises(TextRefused) as refused, database.session_factory.begin() as s:
            participants.save_participant(s, full_name=name)
        assert refused.value.code == "too_long"
        assert refused.value.params["field"] == "full_name"
        assert refused.value.params["limit"] == 200
        assert "full name: too long" in str(refused.value)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 0


def test_participant_text_is_cleaned_in_the_form_and_the_import(
        database: db.Database, tmp_path: Path) -> None:
    """A bidi override in a name is removed (the import says so), a decomposed accent
    composed; a 101-character phone number (String(60)) is refused on its cell."""
    with database.session_factory.begin() as session:
        person = participants.save_participant(session, full_name="Jose\u0301 \u202eRuiz")
    with database.session_factory() as session:
        assert session.get(Participant, person).full_name == "Jos\u00e9 Ruiz"
    path = tmp_path / "people.csv"
    path.write_text("Full name,Phone\nAli\u202e Khan,123\nBo Li," + "1" * 101 + "\n",
                    encoding="utf-8")
    sheet = read_sheet(path)
    mapping = headings.suggest_mapping(sheet.rows[0], headings.PARTICIPANTS)
    with database.session_factory() as session:
        preview = participant_import.preview_participants(session, sheet, mapping)
    first, second = preview.rows
    assert first.values["full_name"] == "Ali Khan" and not first.errors
    assert [(p.column, p.field, p.message) for p in first.warnings] == [
        ("A", "full_name", "full name: 1 invisible control character(s) removed (U+202E)")]
    assert [(p.column, p.field, p.message) for p in second.errors] == [
        ("B", "phone", "phone: too long: 101 characters, at most 60")]


def test_an_accession_form_refuses_a_5_mb_name(database: db.Database) -> None:
    """The form's service checks the same limits as the import: a 5 MB accession name and
    a 101-character accession number are refused by field, nothing stored."""
    for code, value in (("ACCENAME", "a" * 5_000_000), ("ACCENUMB", "A" * 101)):
        with pytest.raises(ValidationFailed) as refused, \
                database.session_factory.begin() as session:
            accessions.create_accession(session, values=passport_values(**{code: value}))
        assert refused.value.problems[0].field == code
        assert "too long" in refused.value.problems[0].message
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == 0


def test_test_texts_are_bounded(database: db.Database) -> None:
    """A germination test's tester past String(100) or 5 MB of notes is refused by field;
    controls in its notes are removed."""
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        lot = seed_lots.create_lot(session, accession_id=accession, lot_number="L-1",
                                   storage_type="base", seeds=1000,
                                   stored_on=dt.date(2025, 1, 1))
    replicates = [Replicate(sown=50, normal=45, abnormal=2, dead=3)]
    for field, value in (("tester", "t" * 101), ("notes", "n" * 5_000_000)):
        with pytest.raises(TextRefused) as refused, database.session_factory.begin() as s:
            seed_tests.record_germination(s, lot, tested_on=dt.date(2025, 2, 1),
                                          replicates=replicates, **{field: value})
        assert refused.value.params["field"] == field
    with database.session_factory.begin() as session:
        test = seed_tests.record_germination(session, lot, tested_on=dt.date(2025, 2, 1),
                                             replicates=replicates, notes="ok\x1b[31m\nred")
    with database.session_factory() as session:
        assert session.get(GerminationTest, test).notes == "ok[31m\nred"


def test_terminal_safe_escapes_controls() -> None:
    """What the CLI prints cannot move the cursor or recolour the terminal."""
    assert terminal_safe("KZ\x1b[2J\u202e1\r") == "KZ\\x1b[2J\\u202e1\\x0d"
    assert terminal_safe("plain\nlines") == "plain\nlines"


def test_every_flush_keeps_texts_within_their_columns(database: db.Database) -> None:
    """Forms whose services do not check a field themselves (a course's title, a lot's
    container) are still refused with a coded problem before the database, on both
    databases; nothing is stored."""
    with pytest.raises(TextRefused) as refused, database.session_factory.begin() as session:
        a_course(session, title="T" * 301)
    assert refused.value.code == "too_long"
    assert refused.value.params["field"] == "course.title"
    assert refused.value.params["limit"] == 300
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
    with pytest.raises(TextRefused) as refused, database.session_factory.begin() as session:
        seed_lots.create_lot(session, accession_id=accession, lot_number="L-2",
                             storage_type="base", seeds=10, stored_on=dt.date(2025, 1, 1),
                             container="c" * 101)
    assert refused.value.params["field"] == "seed_lot.container"
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == 0
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 0
