"""An import updates only the accessions unchanged since its preview: an edit saved on
another workstation in between is kept, and the import names the accession."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from genebank import cli, db
from genebank.models import ImportLog
from genebank.passport import accessions, passport_existing
from tests.genebank.test_import_update import (
    FULL,
    apply,
    checked,
    passport,
    stored,
    update_sheet,
)


def _edit_elsewhere(url: str, accenumb: str, collsite: str) -> None:
    """Another workstation: its own process and connection, saving through the service."""
    database = db.open_database(url, user="baurzhan")
    try:
        with database.session_factory.begin() as session:
            accession_id = accessions.find_accession_id(session, instcode="KAZ001",
                                                        accenumb=accenumb)
            assert accession_id is not None
            current = accessions.get_passport(session, accession_id)
            accessions.update_accession(session, accession_id,
                                        expected_version=current.version,
                                        values={**FULL, "ACCENUMB": accenumb,
                                                "COLLSITE": collsite})
    finally:
        database.close()


def test_an_accession_edited_after_the_preview_keeps_that_edit_and_is_named(
        tmp_path: Path, database: db.Database) -> None:
    """Preview KZ-17 and KZ-18, then another process saves KZ-17: the import updates KZ-18
    only, KZ-17 keeps the other edit (and its own ORIGCTY), and the summary and the import
    log name KZ-17."""
    first = stored(database)
    second = stored(database, {**FULL, "ACCENUMB": "KZ-18"})
    path = update_sheet(tmp_path / "late.xlsx", ["INSTCODE", "ACCENUMB", "ORIGCTY"],
                        ["KAZ001", "KZ-17", "UZB"], ["KAZ001", "KZ-18", "UZB"])
    result = checked(database, path)
    assert [r.existing_id for r in result.rows] == [first, second]
    process = multiprocessing.get_context("spawn").Process(
        target=_edit_elsewhere, args=(database.url, "KZ-17", "Aralsk harbour"))
    process.start()
    process.join(60)
    assert process.exitcode == 0

    summary = apply(database, result)
    assert (summary.updated, summary.skipped, summary.edited_meanwhile) == (1, 1, ["KZ-17"])
    assert any("KZ-17 was edited (or deleted) by someone else after the preview" in reason
               for reason in summary.reasons)
    kept = passport(database, first)
    assert (kept.values["COLLSITE"], kept.values["ORIGCTY"], kept.updated_by) == \
        ("Aralsk harbour", "KAZ", "baurzhan")
    assert passport(database, second).values["ORIGCTY"] == "UZB"
    with database.session_factory() as session:
        details = session.scalars(select(ImportLog.details)).one()
    assert "row 3: not updated, KZ-17 was edited" in details


def test_the_command_line_names_an_accession_edited_after_its_check(
        tmp_path: Path, sqlite_database: db.Database, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """genebank import-mcpd --update: an accession saved elsewhere between the check and the
    write keeps that edit, and the command says so on stderr."""
    first = stored(sqlite_database)
    path = update_sheet(tmp_path / "late.xlsx", ["INSTCODE", "ACCENUMB", "ORIGCTY"],
                        ["KAZ001", "KZ-17", "UZB"])
    check = passport_existing.mark_existing

    checks: list[object] = []

    def check_then_someone_saves(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        if not checks:  # between the check and the write (not inside the write's own)
            _edit_elsewhere(sqlite_database.url, "KZ-17", "Aralsk harbour")
        checks.append(args)

    monkeypatch.setattr(cli.passport_existing, "mark_existing", check_then_someone_saves)
    assert cli.main(["--database", sqlite_database.url, "import-mcpd", str(path),
                     "--update"]) == 0
    printed = capsys.readouterr()
    assert "0 updated" in printed.out and "1 skipped" in printed.out
    assert "1 accession(s) were edited by someone else after the check and were not " \
           "updated (their edits are kept): KZ-17" in printed.err
    assert passport(sqlite_database, first).values["ORIGCTY"] == "KAZ"


def _add_elsewhere(url: str, accenumb: str) -> None:
    """Another workstation saves a new accession through the form's service, in its own
    process and connection."""
    database = db.open_database(url, user="baurzhan")
    try:
        with database.session_factory.begin() as session:
            accessions.create_accession(session, values={**FULL, "ACCENUMB": accenumb,
                                                         "COLLSITE": "Aralsk harbour"})
    finally:
        database.close()


def add_elsewhere(url: str, accenumb: str) -> None:
    process = multiprocessing.get_context("spawn").Process(target=_add_elsewhere,
                                                           args=(url, accenumb))
    process.start()
    process.join(60)
    assert process.exitcode == 0


def _cli_with_someone_adding(monkeypatch: pytest.MonkeyPatch, url: str, accenumb: str,
                             *arguments: str) -> int:
    """``genebank import-mcpd``, with another process saving ``accenumb`` between the
    command's check and its write."""
    check = passport_existing.mark_existing
    checks: list[object] = []

    def check_then_someone_adds(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        if not checks:
            add_elsewhere(url, accenumb)
        checks.append(args)

    monkeypatch.setattr(passport_existing, "mark_existing", check_then_someone_adds)
    return cli.main(["--database", url, "import-mcpd", *arguments])


def test_update_leaves_an_accession_added_elsewhere_after_the_check_as_it_was(
        tmp_path: Path, database: db.Database, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """genebank import-mcpd --update: KZ-20 did not exist at the check; another process
    saves it before the write. Its record is not overwritten (another technician's fresh
    record), the command names it on stderr and the import log keeps the line; KZ-17 is
    updated and KZ-21 created as usual."""
    first = stored(database)
    path = update_sheet(tmp_path / "late.xlsx", ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY",
                                                   "SAMPSTAT", "STORAGE"],
                        ["KAZ001", "KZ-17", "", "UZB"],
                        ["KAZ001", "KZ-20", "Triticum", "UZB", "300", "13"],
                        ["KAZ001", "KZ-21", "Triticum", "UZB", "300", "13"])
    assert _cli_with_someone_adding(monkeypatch, database.url, "KZ-20", str(path),
                                    "--update") == 0
    printed = capsys.readouterr()
    assert "1 created, 1 updated, 0 unchanged, 1 skipped" in printed.out
    assert "1 accession(s) were added by someone else after the check and were not " \
           "updated (their records are kept): KZ-20" in printed.err
    with database.session_factory() as session:
        newcomer = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-20")
        made = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-21")
        details = session.scalars(select(ImportLog.details)).one()
    assert newcomer is not None and made is not None
    kept = passport(database, newcomer)
    assert (kept.values["ORIGCTY"], kept.values["COLLSITE"], kept.updated_by, kept.version) \
        == ("KAZ", "Aralsk harbour", "baurzhan", 1)
    assert passport(database, first).values["ORIGCTY"] == "UZB"
    assert passport(database, made).values["ORIGCTY"] == "UZB"
    assert "row 4: not updated, KZ-20 was added by someone else after the preview" in details


def test_skip_mode_skips_an_accession_added_elsewhere_as_existing_and_says_so(
        tmp_path: Path, sqlite_database: db.Database, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Without --update, KZ-20 saved elsewhere between the check and the write is skipped
    as existing (never added twice), and the command says it was added meanwhile."""
    path = update_sheet(tmp_path / "late.xlsx", ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY",
                                                   "SAMPSTAT", "STORAGE"],
                        ["KAZ001", "KZ-20", "Triticum", "UZB", "300", "13"],
                        ["KAZ001", "KZ-21", "Triticum", "UZB", "300", "13"])
    assert _cli_with_someone_adding(monkeypatch, sqlite_database.url, "KZ-20", str(path)) == 0
    printed = capsys.readouterr()
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in printed.out
    assert "1 accession(s) were added by someone else after the check and were skipped " \
           "as existing: KZ-20" in printed.err
    with sqlite_database.session_factory() as session:
        newcomer = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-20")
        details = session.scalars(select(ImportLog.details)).one()
    assert passport(sqlite_database, newcomer).values["ORIGCTY"] == "KAZ"  # type: ignore[arg-type]
    assert "row 3: skipped, KZ-20 exists already (added by someone else after the " \
           "preview)" in details


def test_an_accession_deleted_after_the_check_is_named_not_made_again(
        tmp_path: Path, database: db.Database) -> None:
    """KZ-17 found at the check and deleted on another workstation before the write: the
    update does not make it again (that deletion stands) and names it; the preview a window
    shows is left as it was judged."""
    first = stored(database)
    path = update_sheet(tmp_path / "late.xlsx", ["INSTCODE", "ACCENUMB", "ORIGCTY"],
                        ["KAZ001", "KZ-17", "UZB"])
    result = checked(database, path)
    with database.session_factory.begin() as session:  # another workstation deletes it
        accessions.delete_accession(session, first, expected_version=1)
    summary = apply(database, result)
    assert (summary.created, summary.updated, summary.edited_meanwhile) == (0, 0, ["KZ-17"])
    with database.session_factory() as session:
        assert accessions.find_accession_id(session, instcode="KAZ001",
                                            accenumb="KZ-17") is None
    assert (result.rows[0].existing_id, result.rows[0].stored_version) == (first, 1)
