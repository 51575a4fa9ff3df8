"""The undo preview in Arabic, right to left (QA finding 15): each number of the sentence
keeps its place ("puts back the values of ١; ٢ stay as they are", never "٢ ;١"), and a
withdrawn accession that keeps an imported one is named; an undo that has nothing left to
undo when it runs is refused in the dialog, the import not marked undone (QA finding 21);
once undone, the import log still names what the undo left in the collection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from genebank import db, transactions
from genebank.conservation import seed_lots
from genebank.demo import demo
from genebank.passport import accessions, import_undo, withdrawals
from genebank.passport.import_logs import recent_imports
from genebank.passport.passport_import import OnExisting
from tests.genebank.test_import_undo import import_file
from tests.ui import shots
from ui.dialogs.import_log import ImportLogDialog
from ui.dialogs.import_undo import UndoImportDialog
from ui.views.shown_values import FSI, PDI, plain

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def arabic() -> Iterator[None]:
    """Arabic (Jordan) numbers, right to left, as the app runs under LANG=ar_JO.UTF-8."""
    before = QLocale()  # the default the other tests run with, put back after
    QLocale.setDefault(QLocale(QLocale.Language.Arabic, QLocale.Country.Jordan))
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        yield
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        QLocale.setDefault(before)


def test_the_numbers_of_the_undo_preview_keep_their_places_right_to_left(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path, arabic: None) -> None:
    database = sqlite_database
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=3, lots=False, today=TODAY)
    path = tmp_path / "imp1.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,SPECIES,CROPNAME,ORIGCTY,SAMPSTAT,STORAGE\n"
                    "KAZ001,QA-001,Triticum,aestivum,bread wheat,KAZ,300,13\n"
                    "KAZ001,QA-002,Triticum,aestivum,bread wheat,KAZ,300,13\n"
                    "KAZ001,QA-003,Hordeum,vulgare,barley,FRA,300,13\n"
                    "KAZ001,DEMO-0000002,Solanum,lycopersicum,tomato,UZB,420,40\n",
                    encoding="utf-8")
    log_id = import_file(database, OnExisting.UPDATE, path=path, sheet="")
    with database.session_factory.begin() as session:
        qa2 = accessions.find_accession_id(session, instcode="KAZ001", accenumb="QA-002")
        assert qa2 is not None
        seed_lots.create_lot(session, accession_id=qa2, lot_number="QA-L-2",
                             storage_type="base", stored_on=TODAY, seeds=800, today=TODAY)
        withdrawals.withdraw_accession(session, "KAZ001:DEMO-0000001", on=TODAY,
                                       reason="duplicate", other="KAZ001:QA-003", today=TODAY)
    dialog = UndoImportDialog(database.session_factory, log_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    heading = dialog.heading.text()
    # 1 removed, 1 put back, 2 kept: each number isolated, so none moves across the ";".
    assert f"removes {FSI}١{PDI} accession(s) and puts back the values of {FSI}١{PDI}; " \
           f"{FSI}٢{PDI} stay as they are" in heading
    assert plain(heading).startswith(f"Import {log_id}: imp1.csv, ")
    kept = dialog.tree.topLevelItem(1)
    rows = {kept.child(i).text(0): plain(kept.child(i).text(1))
            for i in range(kept.childCount())}
    assert rows == {"KAZ001:QA-002": "١ seed lot(s)",
                    "KAZ001:QA-003": "withdrawn KAZ001:DEMO-0000001: named as the other "
                                     "accession of its withdrawal"}
    dialog.resize(760, 420)
    shots.shot(dialog, "ar-undo-preview", under="import_undo")


def test_an_undo_with_nothing_left_when_it_runs_is_refused_in_the_dialog(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path,
        message_boxes: list[str]) -> None:
    """The preview offered to remove QA-201; meanwhile another workstation withdrew a
    duplicate naming it. Undo import says there is nothing to undo now, stays off, and the
    import can be undone later."""
    database = sqlite_database
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=3, lots=False, today=TODAY)
    path = tmp_path / "imp5.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,SPECIES,CROPNAME,ORIGCTY,SAMPSTAT,STORAGE\n"
                    "KAZ001,QA-201,Triticum,aestivum,bread wheat,KAZ,300,13\n",
                    encoding="utf-8")
    log_id = import_file(database, path=path, sheet="")
    dialog = UndoImportDialog(database.session_factory, log_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    assert dialog.confirm.isEnabled()
    with database.session_factory.begin() as session:
        withdrawals.withdraw_accession(session, "KAZ001:DEMO-0000003", on=TODAY,
                                       reason="duplicate", other="KAZ001:QA-201", today=TODAY)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.write is not None and dialog.write.finished, timeout=30000)
    assert not dialog.write.ok and dialog.isVisible()
    assert message_boxes[-1].startswith(
        f"Import {log_id} has nothing to undo now: of what it created or changed, 1 "
        "accession(s) are kept because other records depend on them")
    assert not dialog.confirm.isEnabled()
    [entry] = [e for e in transactions.run_read(database, recent_imports, operation="log")
               if e.id == log_id]
    assert entry.undone_at is None


def test_the_log_of_an_undone_import_names_what_the_undo_left(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """QA-002 has a seed lot, QA-003 was edited after the import: the undo leaves both, and
    the log entry, once undone, still says so (the preview said it only once)."""
    database = sqlite_database
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=3, lots=False, today=TODAY)
    path = tmp_path / "imp1.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,SPECIES,CROPNAME,ORIGCTY,SAMPSTAT,STORAGE\n"
                    "KAZ001,QA-001,Triticum,aestivum,bread wheat,KAZ,300,13\n"
                    "KAZ001,QA-002,Triticum,aestivum,bread wheat,KAZ,300,13\n"
                    "KAZ001,QA-003,Hordeum,vulgare,barley,FRA,300,13\n"
                    "KAZ001,DEMO-0000002,Solanum,lycopersicum,tomato,UZB,420,40\n",
                    encoding="utf-8")
    log_id = import_file(database, OnExisting.UPDATE, path=path, sheet="")
    with database.session_factory.begin() as session:
        qa2 = accessions.find_accession_id(session, instcode="KAZ001", accenumb="QA-002")
        qa3 = accessions.find_accession_id(session, instcode="KAZ001", accenumb="QA-003")
        assert qa2 is not None and qa3 is not None
        seed_lots.create_lot(session, accession_id=qa2, lot_number="QA-L-2",
                             storage_type="base", stored_on=TODAY, seeds=800, today=TODAY)
        stored = accessions.get_passport(session, qa3)
        accessions.update_accession(session, qa3, expected_version=stored.version,
                                    values={**stored.values, "ORIGCTY": "ESP"})
    with database.session_factory() as session:
        assert import_undo.left_by_undo(session, log_id).count == 0  # not undone: none
    transactions.run_write(database, lambda session: import_undo.undo_import(
        session, log_id), operation="Undoing")
    with database.session_factory() as session:
        assert import_undo.left_by_undo(session, log_id) == import_undo.LeftByUndo(
            2, ("KAZ001:QA-002", "KAZ001:QA-003"))
    log = ImportLogDialog(database.session_factory)
    qtbot.addWidget(log)
    log.show()
    qtbot.waitUntil(lambda: log.details.toPlainText() != "")
    lines = log.details.toPlainText().splitlines()
    assert lines[0].startswith("Undone on ")
    assert lines[1] == ("Still in the collection, left by the undo (kept for what depends on "
                        "them, or changed after the import): KAZ001:QA-002, KAZ001:QA-003")
    shots.shot(log, "undone-import-log", under="import_undo")
