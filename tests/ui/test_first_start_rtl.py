"""The first-start dialog right to left (Arabic): every piece on the mirrored side, the
command links' arrows beside their text (Qt's own painting left them at the far left)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.ui import shots
from ui import database_opening
from ui.database_opening import FirstStartDialog
from ui.views.command_link import CommandLink

SHOTS = shots.folder("first_start_rtl")
OWN = Path("/home/curator/.local/share/Genebank/genebank.sqlite")


@pytest.fixture
def direction(request: pytest.FixtureRequest) -> Iterator[Qt.LayoutDirection]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setLayoutDirection(request.param)
    yield request.param
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _dark_columns(image: QImage, top: int, bottom: int) -> list[int]:
    """The x of every column holding a dark (text or arrow) pixel between top and bottom."""
    return [x for x in range(image.width())
            if any(image.pixelColor(x, y).lightness() < 90 for y in range(top, bottom))]


def _dialog(qtbot: QtBot) -> FirstStartDialog:
    dialog = FirstStartDialog(OWN)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.RightToLeft,
                                       Qt.LayoutDirection.LeftToRight], indirect=True)
def test_the_first_start_dialog_follows_the_layout_direction(
        qtbot: QtBot, direction: Qt.LayoutDirection) -> None:
    dialog = _dialog(qtbot)
    rtl = direction == Qt.LayoutDirection.RightToLeft
    name = "rtl" if rtl else "ltr"
    dialog.grab().save(str(SHOTS / f"first-start-{name}.png"))
    middle = dialog.width() / 2
    for button in dialog.buttons.values():
        assert isinstance(button, CommandLink)
        arrow = button.arrow_rect()
        # The arrow as painted: dark pixels at the leading edge only, next to the title.
        dark = _dark_columns(button.grab().toImage(), arrow.top(), arrow.bottom())
        edge = button.width() - 30
        assert any(x > edge for x in dark) == rtl, button.objectName()
        assert any(x < 30 for x in dark) == (not rtl), button.objectName()
    close = dialog.findChild(QDialogButtonBox).buttons()[0]
    assert (close.geometry().center().x() < middle) == rtl
    # "It will be kept in…" sits under its title: indented on the arrow's side.
    where, create = dialog.where.geometry(), dialog.buttons[dialog.CREATE].geometry()
    indent = dialog.buttons[dialog.CREATE].text_offset()
    if rtl:
        assert where.right() == create.right() - indent and where.left() == create.left()
    else:
        assert where.left() == create.left() + indent and where.right() == create.right()


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.RightToLeft], indirect=True)
def test_screenshot_with_right_to_left_text(qtbot: QtBot, direction: Qt.LayoutDirection,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """As an Arabic translation will show it (each text led by an Arabic word), to look at:
    labels follow their text's direction, so Arabic text lines up on the right."""
    monkeypatch.setattr(database_opening, "tr", lambda text: f"جينبنك {text}")
    dialog = _dialog(qtbot)
    dialog.grab().save(str(SHOTS / "first-start-rtl-arabic.png"))
    where = dialog.where
    dark = _dark_columns(where.grab().toImage(), 0, where.height())
    assert max(dark) > where.width() - 10  # the text begins at the right
