"""The 1000-seed weight as a technician meets it: worked out and said when a lot is stored in
seeds and grams, and set from More > 1000-seed weight… so that a seeds-only germination test
can be taken from a lot held in both units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from genebank import db
from genebank.conservation import regenerations, seed_lots
from genebank.models import SeedLot
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.test_conservation import type_count
from tests.ui.test_number_fields import type_keys
from tests.ui.waiting import done, settled
from ui.dialogs.germination_dialogs import GerminationDialog
from ui.dialogs.lot_dialogs import (
    HarvestDialog,
    NewLotDialog,
    ThousandSeedWeightDialog,
)
from ui.views.conservation_tab import ConservationTab

STORED = dt.date.today() - dt.timedelta(days=60)


@pytest.fixture
def french_system() -> Iterator[None]:
    """A French Windows: '5 000' is five thousand, '250,5' is 250.5."""
    previous = QLocale()
    QLocale.setDefault(QLocale("fr_FR"))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def english_system() -> Iterator[None]:
    """An English (US) Windows: '9,000' is nine thousand."""
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def accession_id(sqlite_database: db.Database) -> int:
    with sqlite_database.session_factory.begin() as session:
        return accessions.create_accession(session, values=passport_values()).id


def shown_tab(qtbot: QtBot, database: db.Database, accession_id: int) -> ConservationTab:
    tab = ConservationTab(database.session_factory, accession_id)
    qtbot.addWidget(tab)
    tab.resize(900, 560)
    tab.show()
    return tab


def test_a_new_lot_in_seeds_and_grams_says_the_weight_worked_out(
        qtbot: QtBot, french_system: None, sqlite_database: db.Database, accession_id: int,
        tmp_path: Path) -> None:
    """Seeds '5 000', weight '250,5', no 1000-seed weight: saved, and the tab says 50,10 g."""
    tab = shown_tab(qtbot, sqlite_database, accession_id)
    dialog = tab.add_lot()
    assert isinstance(dialog, NewLotDialog)
    qtbot.keyClicks(dialog.lot_number, "L-1")
    type_keys(qtbot, dialog.seeds, "5 000")
    type_keys(qtbot, dialog.grams, "250,5")
    qtbot.keyClick(dialog.grams, Qt.Key.Key_Return)  # Enter saves
    settled(qtbot)
    assert not dialog.isVisible(), dialog.error.text()
    assert tab.note.isVisible()
    assert tab.note.text() == ("1000-seed weight worked out as 50,10 g from 5\u202f000 seeds "
                               "and 250,5\u00a0g")
    tab.grab().save(str(tmp_path / "worked-out-note.png"))
    lot = tab.current_lot()
    assert lot is not None and lot.thousand_seed_weight_g == 50.1

    test = tab.record_germination()  # seeds only, the tester's refusal
    assert isinstance(test, GerminationDialog)
    type_count(qtbot, test.replicate_count, 1)
    for cells in test.cells[:1]:
        type_count(qtbot, cells[0], 100)
        type_count(qtbot, cells[1], 90)
        type_count(qtbot, cells[3], 10)
    test.save_button.click()
    settled(qtbot)
    assert not test.isVisible(), test.error.text()
    assert not tab.note.isVisible()  # said once, for the save that worked it out
    after = tab.current_lot()
    assert after is not None and after.seeds_on_hand == 4900
    assert after.grams_on_hand == pytest.approx(245.49)


def test_set_the_weight_from_more_then_record_a_seeds_only_test(
        qtbot: QtBot, english_system: None, sqlite_database: db.Database, accession_id: int,
        tmp_path: Path) -> None:
    """A lot held in seeds and grams without weight: the test is refused, the weight set from
    More, then the same seeds-only test is recorded and both units go down."""
    with sqlite_database.session_factory.begin() as session:
        lot_id = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                      storage_type="base", stored_on=STORED, seeds=5000,
                                      grams=250.5)
        # as main stored such a lot: no 1000-seed weight
        session.execute(update(SeedLot).where(SeedLot.id == lot_id)
                        .values(thousand_seed_weight_g=None))
    tab = shown_tab(qtbot, sqlite_database, accession_id)
    assert tab.select_lot(lot_id)

    def germination() -> GerminationDialog:
        dialog = tab.record_germination()
        assert isinstance(dialog, GerminationDialog)
        type_count(qtbot, dialog.replicate_count, 1)
        type_count(qtbot, dialog.cells[0][0], 100)
        type_count(qtbot, dialog.cells[0][1], 90)
        type_count(qtbot, dialog.cells[0][3], 10)
        dialog.save_button.click()
        settled(qtbot)
        return dialog

    refused = germination()
    assert refused.isVisible()
    assert "Lot L-1 is counted in grams: give the weight, or set its 1000-seed weight" in \
        refused.error.text()
    refused.reject()

    assert tab.weight_action.isEnabled()
    tab.weight_action.trigger()
    dialogs = [w for w in tab.findChildren(QWidget) if isinstance(w, ThousandSeedWeightDialog)
               and w.isVisible()]
    assert len(dialogs) == 1
    weight = dialogs[0]
    type_keys(qtbot, weight.weight, "0")
    assert not done(qtbot, weight.save())
    assert "1000-seed weight 0 g is outside 0.01 to 5,000 g" in weight.error.text()
    weight.weight.setFocus()
    weight.weight.selectAll()
    type_keys(qtbot, weight.weight, "50,1")
    weight.grab().save(str(tmp_path / "weight-dialog.png"))
    qtbot.keyClick(weight.weight, Qt.Key.Key_Return)
    settled(qtbot)
    assert not weight.isVisible(), weight.error.text()
    assert tab.note.text() == "1000-seed weight of lot L-1 set to 50.10 g"
    lot = tab.current_lot()
    assert lot is not None and lot.thousand_seed_weight_g == 50.1

    recorded = germination()
    assert not recorded.isVisible(), recorded.error.text()
    lot = tab.current_lot()
    assert lot is not None and lot.seeds_on_hand == 4900
    assert lot.grams_on_hand == pytest.approx(245.49)
    assert lot.last_viability_pct == 90.0
    with sqlite_database.session_factory() as session:
        assert seed_lots.get_lot(session, lot_id).updated_by == "tester"
    tab.grab().save(str(tmp_path / "weight-set-tab.png"))


def test_a_harvest_in_seeds_and_grams_says_the_weight_worked_out(
        qtbot: QtBot, english_system: None, sqlite_database: db.Database,
        accession_id: int) -> None:
    """A harvest counted and weighed, no 1000-seed weight: the tab says what was worked out."""
    with sqlite_database.session_factory.begin() as session:
        parent = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                      storage_type="base", stored_on=STORED, seeds=400)
        event = regenerations.plan_regeneration(session, source_lot_id=parent, site="field 3",
                                                planned_on=STORED, seeds=150)
        regenerations.record_sowing(session, event, sown_on=STORED + dt.timedelta(days=1))
    tab = shown_tab(qtbot, sqlite_database, accession_id)
    dialog = tab.record_harvest()
    assert isinstance(dialog, HarvestDialog)
    qtbot.keyClicks(dialog.lot_number, "L-2")
    type_keys(qtbot, dialog.seeds, "9,000")
    type_keys(qtbot, dialog.grams, "382.5")
    qtbot.keyClick(dialog.grams, Qt.Key.Key_Return)
    settled(qtbot)
    assert not dialog.isVisible(), dialog.error.text()
    assert tab.note.text() == ("1000-seed weight worked out as 42.50 g from 9,000 seeds and "
                               "382.5\u00a0g")
