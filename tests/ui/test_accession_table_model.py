"""The lazy accession table model, tested without a view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport.accession_query import AccessionFilter
from ui.models.accession_table import PAGE_SIZE, AccessionTableModel
from ui.views import shown_values


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester, qtbot: QtBot,
                                      collection: db.Database) -> None:
    """The model keeps Qt's model contract, before and after its ids load."""
    model = AccessionTableModel(collection.session_factory)
    with qtbot.waitSignal(model.ids_loaded, timeout=5000):
        model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == 450


def test_first_page_paints_before_the_ids_load(qtbot: QtBot, collection: db.Database) -> None:
    """Count and first page come at once; later rows show a placeholder until ids arrive."""
    model = AccessionTableModel(collection.session_factory)
    with qtbot.waitSignal(model.ids_loaded, timeout=5000):
        model.refresh()
        assert model.rowCount() == 450
        assert model.data(model.index(0, 0)) == "DEMO-0000001"
        if not model.is_complete:
            assert model.data(model.index(PAGE_SIZE + 5, 0)) == model.LOADING_TEXT
    assert model.data(model.index(449, 0)) == "DEMO-0000450"
    assert model.data(model.index(449, 0), AccessionTableModel.ACCESSION_ID_ROLE) == 450


def test_sorting_and_filtering_happen_in_the_database(qtbot: QtBot,
                                                      collection: db.Database) -> None:
    """Sorting descending and filtering change the rows the model shows."""
    model = AccessionTableModel(collection.session_factory)
    with qtbot.waitSignal(model.ids_loaded, timeout=5000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "DEMO-0000450"
    with qtbot.waitSignal(model.count_changed, timeout=5000):
        model.set_filter(AccessionFilter(text="DEMO-000001"))
    assert model.rowCount() == 10
    assert [model.data(model.index(r, 0)) for r in (0, 9)] == ["DEMO-0000019", "DEMO-0000010"]


def test_cells_show_codes_with_meanings(qtbot: QtBot, collection: db.Database) -> None:
    """Status, origin and storage show code and meaning; the tooltip names the institute."""
    model = AccessionTableModel(collection.session_factory)
    with qtbot.waitSignal(model.ids_loaded, timeout=5000):
        model.refresh()
    sampstat = shown_values.plain(model.data(model.index(0, 5)))
    assert sampstat.split(" ", 1)[0].isdigit() and len(sampstat) > 4
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole).startswith("KAZ001 ")
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Accession number"
