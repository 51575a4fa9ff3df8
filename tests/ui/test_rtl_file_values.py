"""What the QA tester saw in French and Arabic (RTL) windows (issue 14, QA findings 8 and
19): file values keep their left-to-right order, messages follow the layout direction, the
mapping page keeps its rows still, and the accession form needs no horizontal scrollbar.
Windows are saved as PNGs in /tmp for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QLocale, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import worklists
from genebank.io import headings
from genebank.passport import accessions
from genebank.passport.accession_query import AccessionFilter
from tests.conftest import passport_values
from tests.ui.test_import_wizard import next_page
from tests.ui.test_wizard_summary_buttons import NEXT, click, type_path
from tests.ui.waiting import settled
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.models.accession_table import AccessionTableModel
from ui.views.attention_view import AttentionView


@pytest.fixture
def rtl() -> Iterator[None]:
    """An Arabic-style window: right to left, as the app sets itself in ar_JO."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture
def arabic() -> Iterator[None]:
    """The system's regional format is Arabic (Jordan): Arabic-Indic digits."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Arabic, QLocale.Country.Jordan))
    yield
    QLocale.setDefault(previous)


def inventory(path: Path) -> Path:
    """A French inventory as a technician keeps it: a title row, a blank row, then the
    headings; two storage types in one cell, as MCPD writes them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Inventaire"
    sheet.append(["Inventaire des semences 2024"])
    sheet.append([])
    sheet.append(["Type de stockage", "ACCENUMB", "SAMPSTAT", "ACQDATE", "INSTCODE"])
    sheet.append(["13;20", "K 1998 12", 300, "12/03/1998", "KAZ001"])
    sheet.append(["13", "K-2", 200, "25/03/1998", "KAZ001"])
    sheet.append(["20", "K-3", 100, "01/02/2001", "KAZ001"])
    book.save(path)
    return path


def open_mapping_page(qtbot: QtBot, window: MainWindow, path: Path) -> ImportWizard:
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.resize(1000, 700)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: len(wizard.mapping_page.combos) == 5, timeout=10000)
    qtbot.waitUntil(lambda: "rows below it" in wizard.mapping_page.header_label.text(),
                    timeout=10000)
    return wizard


def ink_centre(widget: QWidget) -> float:
    """Where a widget's text is drawn, from 0 (left edge) to 1 (right edge): the mean x of
    its dark pixels."""
    image = widget.grab().toImage()
    xs = [x for y in range(image.height()) for x in range(image.width())
          if image.pixelColor(x, y).lightness() < 140]
    assert xs, "nothing drawn"
    return sum(xs) / len(xs) / image.width()


def visual_x(text: str, part: str) -> float:
    """Where ``part`` of ``text`` is drawn (its leftmost inked pixel) when ``text`` is laid
    out as a right-to-left paragraph, as Qt lays out every cell of an Arabic window: the
    text is painted with only ``part`` visible."""
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    hidden, shown = QTextCharFormat(), QTextCharFormat()
    hidden.setForeground(QColor(0, 0, 0, 0))
    shown.setForeground(QColor(0, 0, 0))
    start = text.index(part)
    ranges = []
    for begin, length, form in ((0, len(text), hidden), (start, len(part), shown)):
        found = QTextLayout.FormatRange()
        found.start, found.length, found.format = begin, length, form
        ranges.append(found)
    layout.setFormats(ranges)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1200)
    layout.endLayout()
    image = QImage(1200, 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    layout.draw(painter, QPointF(0, 0))
    painter.end()
    xs = [x for x in range(image.width()) for y in range(image.height())
          if image.pixelColor(x, y).lightness() < 160]
    assert xs, f"{part!r} not drawn"
    return min(xs)


def reads_in_order(text: str, *parts: str) -> bool:
    """Whether ``parts`` appear on screen left to right, in the order the file has them."""
    xs = [visual_x(text, part) for part in parts]
    return xs == sorted(xs) and len(set(xs)) == len(xs)


def test_the_accession_form_needs_no_horizontal_scrollbar_at_900_px(
        qtbot: QtBot, collection: db.Database) -> None:
    """The Conservation tab with its STORAGE and MLSSTAT warnings fits 900 px: its long
    warnings wrap instead of widening the page."""
    editor = AccessionEditor(collection.session_factory,
                             initial_values={"INSTCODE": "KAZ001", "ACCENUMB": "NEW-1",
                                             "GENUS": "Triticum", "SPECIES": "aestivum"})
    qtbot.addWidget(editor)
    editor.resize(900, 650)
    editor.show()
    editor.check()
    editor.tabs.setCurrentIndex(editor._tab_of["STORAGE"])
    settled(qtbot)
    editor.grab().save("/tmp/guifixes-form-900.png")
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        scroll = editor.tabs.widget(index)
        if isinstance(scroll, QScrollArea):
            qtbot.waitUntil(lambda s=scroll: s.viewport().width() > 0)
            assert not scroll.horizontalScrollBar().isVisible(), editor.tabs.tabText(index)


def test_first_values_and_preview_keep_the_files_order_right_to_left(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, rtl: None) -> None:
    """In an Arabic window the mapping page's first values read as the file has them:
    13;20 (never 20;13), 300 | 200 | 100 and the dates in the file's order; so do the
    preview's accession numbers."""
    wizard = open_mapping_page(qtbot, window, inventory(tmp_path / "inventaire.xlsx"))
    table = wizard.mapping_page.table
    wizard.grab().save("/tmp/guifixes-rtl-mapping.png")
    assert reads_in_order(table.item(0, 1).text(), "13", "20")
    assert reads_in_order(table.item(2, 1).text(), "300", "200", "100")
    assert reads_in_order(table.item(3, 1).text(), "12/03/1998", "25/03/1998", "01/02/2001")
    wizard.mapping_page.dates_combo.setCurrentIndex(1)  # day first
    combo = wizard.mapping_page.combos[0]
    combo.setCurrentIndex(combo.findData("STORAGE"))
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    settled(qtbot)
    wizard.grab().save("/tmp/guifixes-rtl-preview.png")
    model = wizard.check_page.model
    assert reads_in_order(model.data(model.index(0, 2)), "K", "1998", "12")
    wizard.done(0)


def test_the_main_tables_storage_keeps_its_order_right_to_left(
        qtbot: QtBot, collection: db.Database, rtl: None) -> None:
    """"13 Long term, 20 Field collection" never reads "Long term 13" or puts 20 first."""
    with collection.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(
            ACCENUMB="AAA-1", STORAGE="13;20"))
    model = AccessionTableModel(collection.session_factory)
    with qtbot.waitSignal(model.count_changed, timeout=5000):
        model.set_filter(AccessionFilter(text="AAA-1"))
    column = next(i for i, c in enumerate(model.COLUMNS) if c.key.name == "STORAGE")
    qtbot.waitUntil(lambda: model.data(model.index(0, column)) not in (
        None, model.LOADING_TEXT), timeout=5000)
    shown = model.data(model.index(0, column))
    assert reads_in_order(shown, "13", "Long term", "20", "Field collection"), shown


def test_the_mapping_pages_hint_names_every_column_it_needs(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, rtl: None) -> None:
    """Without INSTCODE (and GENUS) the red hint names them all, not only ACCENUMB; in an
    Arabic window it stands on the right like the rest of the page."""
    wizard = open_mapping_page(qtbot, window, inventory(tmp_path / "inventaire.xlsx"))
    page = wizard.mapping_page
    for index in (1, 4):  # ACCENUMB and INSTCODE not imported
        page.combos[index].setCurrentIndex(0)
    text = page.message.text()
    assert "INSTCODE" in text and "ACCENUMB" in text and "GENUS" in text, text
    assert not page.isComplete()
    wizard.grab().save("/tmp/guifixes-rtl-hint.png")
    assert ink_centre(page.message) > 0.5


def test_the_saved_mappings_status_does_not_move_the_dates_row(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """"Exported 2 mappings…" appears below the rows a person is using, not between them."""
    wizard = open_mapping_page(qtbot, window, inventory(tmp_path / "inventaire.xlsx"))
    page = wizard.mapping_page
    before = page.dates_combo.mapTo(page, page.dates_combo.rect().topLeft()).y()
    page.saved._say("Exported 2 mappings to exp.json.")
    QApplication.processEvents()
    page.layout().activate()
    wizard.grab().save("/tmp/guifixes-status-below.png")
    assert page.saved.status.isVisible()
    assert page.dates_combo.mapTo(page, page.dates_combo.rect().topLeft()).y() == before
    assert page.saved.status.mapTo(page, page.saved.status.rect().topLeft()).y() > before


def test_the_row_count_uses_the_locales_digits_only(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, arabic: None) -> None:
    """"Headings found on row ٣; ٣ rows below it.": one digit system in one sentence."""
    wizard = open_mapping_page(qtbot, window, inventory(tmp_path / "inventaire.xlsx"))
    text = wizard.mapping_page.header_label.text()
    assert "٣" in text and not any(c in "0123456789" for c in text), text
    wizard.done(0)


def test_warnings_and_totals_stand_on_the_right_in_rtl(
        qtbot: QtBot, collection: db.Database, rtl: None) -> None:
    """The form's STORAGE and MLSSTAT warnings and the attention view's "Collection: …"
    line follow the layout direction; the storage boxes read "13 Long term"."""
    editor = AccessionEditor(collection.session_factory,
                             initial_values={"INSTCODE": "KAZ001", "ACCENUMB": "NEW-1",
                                             "GENUS": "Triticum", "SPECIES": "aestivum"})
    qtbot.addWidget(editor)
    editor.resize(900, 650)
    editor.show()
    editor.check()
    editor.tabs.setCurrentIndex(editor._tab_of["STORAGE"])
    QApplication.processEvents()
    editor.grab().save("/tmp/guifixes-rtl-form.png")
    boxes = editor.editors["STORAGE"].boxes  # type: ignore[attr-defined]
    assert reads_in_order(boxes[13].text(), "13", "Long term")
    for code in ("STORAGE", "MLSSTAT"):
        label = editor.messages[code]
        assert label.isVisible()
        assert ink_centre(label) > 0.5, code
    view = AttentionView(collection.session_factory)
    qtbot.addWidget(view)
    view.show()
    view.lists.setCurrentRow([w.id for w in worklists.WORKLISTS].index(
        worklists.MISSING_FAO_DATA))
    qtbot.waitUntil(lambda: view.totals.text().startswith("Collection"), timeout=10000)
    view.grab().save("/tmp/guifixes-rtl-worklist.png")
    assert isinstance(view.totals, QLabel) and ink_centre(view.totals) > 0.5


def test_the_sheet_wizards_first_value_keeps_its_order_right_to_left(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path, rtl: None) -> None:
    """A participant list's phone number reads "+221 77 123 45 67" on the column page of
    an Arabic window, not "67 45 123 77 +221"."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Nom de famille", "Prénom", "Pays", "Téléphone"])
    sheet.append(["Diallo", "Moussa", "Sénégal", "+221 77 123 45 67"])
    book.save(tmp_path / "liste.xlsx")
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, tmp_path / "liste.xlsx")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: bool(wizard.mapping_page.combos), timeout=10000)
    wizard.grab().save("/tmp/guifixes-rtl-participants.png")
    shown = wizard.mapping_page.table.item(3, 1).text()
    assert reads_in_order(shown, "+221", "77", "123", "45", "67"), shown
