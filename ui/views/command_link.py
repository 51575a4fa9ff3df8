"""A command link (an arrow, a bold title, a line of description) that mirrors right to left.

Qt's ``QCommandLinkButton`` paints its arrow at the left edge whatever the layout direction,
while its text follows the direction: in Arabic the arrow sat at the far left, away from
the right-aligned text it belongs to. Left to right this is Qt's own painting; right to left
the same pieces are painted mirrored (``QStyle.visualRect``), with Qt's margins.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPaintEvent, QPalette
from PySide6.QtWidgets import QCommandLinkButton, QStyle, QStyleOptionButton, QStylePainter

# QCommandLinkButton's own margins and fonts (qcommandlinkbutton.cpp), kept so that both
# directions look the same.
LEFT, TOP, RIGHT, BOTTOM, TEXT_GAP = 7, 10, 4, 10, 6
POINT_SIZE = 9.0


class CommandLink(QCommandLinkButton):
    """``QCommandLinkButton`` whose arrow stays beside its text right to left."""

    def text_offset(self) -> int:
        """Where the text starts, from the arrow's side."""
        return self.icon().actualSize(self.iconSize()).width() + LEFT + TEXT_GAP

    def arrow_rect(self) -> QRect:
        """Where the arrow is painted, in this widget's own direction."""
        size = self.icon().actualSize(self.iconSize())
        return QStyle.visualRect(self.layoutDirection(), self.rect(),
                                 QRect(LEFT, TOP, size.width(), size.height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.layoutDirection() == Qt.LayoutDirection.LeftToRight:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text, option.icon = "", QIcon()  # the frame only; the rest is painted below
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        down = self.isDown()
        shift_x = self.style().pixelMetric(
            QStyle.PixelMetric.PM_ButtonShiftHorizontal, option) if down else 0
        shift_y = self.style().pixelMetric(
            QStyle.PixelMetric.PM_ButtonShiftVertical, option) if down else 0
        arrow = self.arrow_rect()
        if not self.icon().isNull():
            painter.drawPixmap(arrow.left() - shift_x, arrow.top() + shift_y, self.icon().pixmap(
                arrow.size(), QIcon.Mode.Normal if self.isEnabled() else QIcon.Mode.Disabled))
        title_font, description_font = QFont(self.font()), QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(POINT_SIZE)
        description_font.setPointSizeF(POINT_SIZE)
        below_title = TOP + QFontMetrics(title_font).height()
        flags = int(Qt.TextFlag.TextShowMnemonic)
        for font, rect, text, more in (
                (title_font, QRect(self.text_offset(), TOP,
                                   self.width() - self.text_offset() - RIGHT, below_title - TOP),
                 self.text(), 0),
                (description_font, QRect(self.text_offset(), below_title,
                                         self.width() - self.text_offset() - RIGHT,
                                         self.height() - below_title - BOTTOM),
                 self.description(), int(Qt.TextFlag.TextWordWrap))):
            painter.setFont(font)
            shown = QStyle.visualRect(self.layoutDirection(), self.rect(), rect)
            painter.drawItemText(shown.translated(-shift_x, shift_y), flags | more,
                                 self.palette(), self.isEnabled(), text,
                                 QPalette.ColorRole.ButtonText)
