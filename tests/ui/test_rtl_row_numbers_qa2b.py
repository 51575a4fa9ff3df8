"""QA finding 10 on the import wizard in Arabic (RTL): the numbers of one sentence keep their
places, and the check table and its details pane use one digit system."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io import headings
from tests.ui.test_check_page_qa2b import shot
from tests.ui.test_one_import_wizard import checked, open_file
from tests.ui.test_rtl_file_values import arabic, rtl  # noqa: F401 (fixtures)
from ui.dialogs.import_wizard import ImportWizard
from ui.views.shown_values import FSI, PDI


@pytest.mark.usefixtures("rtl", "arabic")
def test_an_arabic_list_says_its_row_numbers_in_order_and_in_one_digit_system(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """QA finding 10, in an Arabic (Jordan) right-to-left window: "Headings found on row
    3; 4 rows below it" read with the two numbers swapped (each is now isolated), and the
    check table's Row column said ٤ while the details pane said "Row 4"."""
    book = openpyxl.Workbook()
    book.active.title = "المشاركون"
    for row in (["ورشة عمل حول بنوك الجينات، عمّان ٢٠٢٦"], [],
                ["الاسم الكامل", "البلد", "البريد الإلكتروني", "الهاتف"],
                ["فاطمة حداد", "LBN", "fatima@example.org", "+961 3 123 456"],
                ["يوسف العلي", "JOR", "yousef@example.org", "+962 7 9876 543"],
                ["ليلى سمير", "EGY", "leila@example.org", "+20 2 1234 5678"],
                ["عمر نادر", "SYR", "omar@example.org", "+963 11 123 4567"]):
        book.active.append(row)
    book.save(tmp_path / "قائمة.xlsx")
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    open_file(qtbot, wizard, tmp_path / "قائمة.xlsx")
    qtbot.waitUntil(lambda: wizard.sheet is not None, timeout=10000)
    text = wizard.mapping_page.header_label.text()
    shot(wizard, "3-ar-headings")
    assert f"{FSI}٣{PDI}" in text and f"{FSI}٤{PDI}" in text  # row 3; 4 rows below
    checked(qtbot, wizard)
    page = wizard.check_page
    page.view.setCurrentIndex(page.model.index(0, 0))
    row_shown = page.model.data(page.model.index(0, 0))
    shot(wizard, "4-ar-check")
    assert row_shown == "٤"
    assert page.details.toPlainText().split(":")[0].endswith(row_shown)
