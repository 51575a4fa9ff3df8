"""The file pages of the import wizards with the files people have: an .xls and an .ods
list their sheets; a text table says how it is read; one whose encoding is not certain
offers the encodings with its first lines in each, and Next waits for a choice."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.ui.test_import_wizard import next_page
from ui.dialogs.text_encoding import file_filter
from ui.main_window import MainWindow

FILES = Path(__file__).parent.parent / "files" / "formats"


def test_the_file_dialogs_offer_every_format() -> None:
    assert file_filter() == ("Spreadsheets and text tables (*.xlsx *.xlsm *.xls *.ods *.csv "
                             "*.tsv *.txt);;All files (*)")


def test_an_xls_and_an_ods_list_their_sheets_and_import(qtbot: QtBot, window: MainWindow,
                                                         tmp_path: Path) -> None:
    """Both sheets are offered, the first is chosen, and the columns are matched from
    column B (column A is empty)."""
    for name in ("libreoffice.xls", "libreoffice.ods"):
        wizard = window.import_accessions()
        qtbot.addWidget(wizard)
        page = wizard.file_page
        page.path_edit.setText(str(shutil.copy(FILES / name, tmp_path / name)))
        page.load_sheets()
        assert [page.sheet_combo.itemData(i) for i in range(page.sheet_combo.count())] == \
            ["MCPD", "Notes"]
        assert page.isComplete() and page.encoding_box.isHidden()
        next_page(qtbot, wizard)
        mapping = wizard.mapping_page
        qtbot.waitUntil(lambda mapping=mapping: len(mapping.combos) == 14, timeout=10000)
        assert [c.currentData() for c in mapping.combos][:4] == [None, "INSTCODE",
                                                                 "ACCENUMB", "GENUS"]
        wizard.reject()


def test_a_unicode_text_file_says_how_it_is_read(qtbot: QtBot, window: MainWindow,
                                                 tmp_path: Path) -> None:
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.path_edit.setText(str(shutil.copy(FILES / "excel_unicode.txt", tmp_path)))
    page.load_sheets()
    assert page.isComplete() and not page.encoding_box.needs_choice
    assert page.encoding_box.shape.text() == \
        "Read as UTF-16 (Unicode text), columns separated by tabs."
    assert page.encoding_box.choice.isHidden()
    wizard.show()
    page.grab().save("/tmp/formats-unicode-text.png")


def test_a_cp1251_file_asks_for_its_encoding_then_imports(qtbot: QtBot, window: MainWindow,
                                                          tmp_path: Path) -> None:
    """Nothing is chosen for the person: Next waits; each candidate shows the first lines
    in it; once Windows-1251 is chosen the names read right and the import reads it so."""
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.file_page
    page.path_edit.setText(str(shutil.copy(FILES / "russian_cp1251.csv", tmp_path)))
    page.load_sheets()
    box = page.encoding_box
    assert box.needs_choice and box.choice.currentIndex() == -1
    assert not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    names = [box.choice.itemText(i) for i in range(box.choice.count())]
    assert "Windows-1251 (Cyrillic)" in names and "Latin-1 (Western European)" in names
    page.grab().save("/tmp/formats-encoding-asked.png")
    box.choice.setCurrentIndex(names.index("Latin-1 (Western European)"))
    assert "Ïøåíèöà" in box.lines.toPlainText()  # what a wrong choice looks like
    box.choice.setCurrentIndex(names.index("Windows-1251 (Cyrillic)"))
    assert "Пшеница озимая" in box.lines.toPlainText()
    assert box.shape.text() == ("Read as Windows-1251 (Cyrillic), columns separated by "
                                "semicolons.")
    assert page.isComplete()
    page.grab().save("/tmp/formats-encoding-chosen.png")
    next_page(qtbot, wizard)
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: len(mapping.combos) == 7, timeout=10000)
    assert wizard.encoding == "cp1251"
    assert wizard.top is not None and wizard.top.rows[1][4] == "Пшеница озимая"
    wizard.reject()


def test_the_tests_wizard_asks_for_an_arabic_files_encoding(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The shared file page of the tests and participants wizards offers the same choice,
    and reads the sheet in the encoding chosen."""
    path = tmp_path / "lab.csv"
    path.write_bytes("Lot no.;Date tested;Seeds sown;Normal seedlings;Remarque\r\n"
                     "L-1;2026-01-05;50;44;بذور جيدة\r\n".encode("cp1256"))
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.file_page
    page.path_edit.setText(str(path))
    page.load_sheets()
    box = page.encoding_box
    assert box.needs_choice and not page.isComplete()
    names = [box.choice.itemText(i) for i in range(box.choice.count())]
    box.choice.setCurrentIndex(names.index("Windows-1256 (Arabic)"))
    assert "بذور جيدة" in box.lines.toPlainText() and page.isComplete()
    wizard.grab().save("/tmp/formats-tests-wizard-arabic.png")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.sheet is not None, timeout=10000)
    assert wizard.sheet is not None and wizard.sheet.rows[1][4] == "بذور جيدة"
    assert wizard.sheet.encoding == "cp1256" and wizard.sheet.delimiter == ";"
