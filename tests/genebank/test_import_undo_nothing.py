"""An undo of an import that would change nothing is refused, not recorded (QA finding 21):
the import stays undoable once what held its accessions is gone; a withdrawn accession that
holds one is named, not counted as "1 accession(s)"; and the dry run, which only reads, is
open to everyone who reads the collection. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from genebank import cli, db, transactions
from genebank.demo import demo
from genebank.models import ImportLog
from genebank.passport import accessions, import_undo, withdrawals
from genebank.passport.import_logs import recent_imports
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.genebank.test_import_undo import import_file, preview, undo

TODAY = dt.date(2026, 11, 26)


def _import_one(database: db.Database, folder: Path) -> int:
    """QA-201, imported into a collection of three demo accessions."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=3, lots=False, today=TODAY)
    path = folder / "imp5.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,SPECIES,CROPNAME,ORIGCTY,SAMPSTAT,STORAGE\n"
                    "KAZ001,QA-201,Triticum,aestivum,bread wheat,KAZ,300,13\n",
                    encoding="utf-8")
    return import_file(database, path=path, sheet="")


def test_an_undo_that_would_change_nothing_is_refused_and_the_import_stays_undoable(
        database: db.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log_id = _import_one(database, tmp_path)
    with database.session_factory.begin() as session:
        withdrawals.withdraw_accession(session, "KAZ001:DEMO-0000003", on=TODAY,
                                       reason="duplicate", other="KAZ001:QA-201", today=TODAY)
    planned = preview(database, log_id)
    assert not planned.changes_anything and not planned.remove
    [kept] = planned.cannot_remove
    assert kept.key == "KAZ001:QA-201"
    assert kept.dependents == (import_undo.Dependent("accession", 1,
                                                     ("KAZ001:DEMO-0000003",)),)
    with pytest.raises(import_undo.UndoRefused) as refused:
        undo(database, log_id)
    assert refused.value.code == "undo_import_nothing"
    assert str(refused.value).startswith(
        f"import {log_id} has nothing to undo now: of what it created or changed, 1 "
        "accession(s) are kept because other records depend on them and 0 were changed "
        "after it")
    [entry] = [e for e in transactions.run_read(database, recent_imports, operation="log")
               if e.id == log_id]
    assert entry.undone_at is None and entry.undone_by == ""
    # The command line says what stands in the way, then the refusal; nothing is marked.
    assert cli.main(["--database", database.url, "undo-import", str(log_id)]) == 1
    out, err = capsys.readouterr()
    assert ("  KAZ001:QA-201: withdrawn KAZ001:DEMO-0000003 names it as the other accession "
            "of its withdrawal") in out
    assert "has nothing to undo now" in err
    # Once the withdrawn duplicate is reinstated, the undo removes QA-201.
    with database.session_factory.begin() as session:
        withdrawals.reinstate_accession(session, "KAZ001:DEMO-0000003")
    result = undo(database, log_id)
    assert [r.key for r in result.preview.remove] == ["KAZ001:QA-201"]
    with database.session_factory() as session:
        assert accessions.find_accession_id(session, instcode="KAZ001",
                                            accenumb="QA-201") is None
        assert session.scalar(select(ImportLog.undone_at).where(ImportLog.id == log_id))


def test_anyone_who_reads_may_ask_for_the_dry_run_only_a_curator_undoes(
        database: db.Database, tmp_path: Path) -> None:
    log_id = _import_one(database, tmp_path)
    lab = Actor(None, "aigul", frozenset({Role.SEED_LABORATORY}))
    viewer = Actor(None, "Пётр", frozenset({Role.VIEWER}))
    for person in (lab, viewer):
        with database.session_factory() as session:
            planned = import_undo.preview_undo(work_as(session, person), log_id)
        assert [r.key for r in planned.remove] == ["KAZ001:QA-201"]
        with database.session_factory() as session, pytest.raises(Exception) as refused:
            import_undo.undo_import(work_as(session, person), log_id)
        assert getattr(refused.value, "code", None) == "not_allowed"
