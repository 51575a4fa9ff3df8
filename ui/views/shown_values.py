"""Values read from a file or stored as codes, shown as they are written: left to right.

In a right-to-left layout (Arabic, Hebrew) Qt lays out each cell and label as a right-to-left
paragraph, so a run of numbers and punctuation is reordered: a STORAGE cell ``13;20`` would
read ``20;13``, first values ``300 | 300 | 100`` would read ``100 | 300 | 300``. A technician
compares these with the file, so every place that shows such a value goes through
:func:`ltr`: the value is wrapped as a left-to-right isolate (U+2066 LRI ... U+2069 PDI),
which keeps its own order inside any paragraph and leaves the text around it alone. Copying
the text gives the isolate marks too, which are invisible and harmless.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE


def isolated(number: str) -> str:
    """A number set into a sentence (a row, a count), isolated (U+2068 FSI ... U+2069 PDI)
    so that in a right-to-left paragraph two numbers of one sentence keep their places:
    "Headings found on row 3; 4 rows below it" read "row 4; 3 rows" in Arabic."""
    return f"{FSI}{number}{PDI}" if number else number


def ltr(value: object) -> str:
    """``value`` as text that keeps its left-to-right order in any layout ("" stays "")."""
    text = "" if value is None else str(value)
    if not text or (text.startswith(LRI) and text.endswith(PDI)):
        return text
    return f"{LRI}{text}{PDI}"


def joined(values: Iterable[object], separator: str = " | ") -> str:
    """Several file values in one cell, in the file's order, as one left-to-right run."""
    return ltr(separator.join(str(v) for v in values))


def plain(text: str) -> str:
    """``text`` without the isolate marks :func:`ltr` adds (for comparing and copying)."""
    return text.replace(LRI, "").replace(FSI, "").replace(PDI, "")



class _FollowLayout(QObject):
    """Re-aligns a label when its layout direction changes (the application's may be set
    after the label is built)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutDirectionChange and isinstance(watched, QLabel):
            _align(watched)
        return False


def _align(label: QLabel) -> None:
    vertical = label.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
    side = Qt.AlignmentFlag.AlignRight if label.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    label.setAlignment(Qt.AlignmentFlag.AlignAbsolute | side | vertical)


def follow_layout(label: QLabel) -> QLabel:
    """Align ``label``'s lines with the layout direction: on the right in a right-to-left
    layout. A label's default alignment follows the direction of its *text*, so an English
    message (untranslated, or naming codes) in an Arabic window stays stuck on the left
    while everything around it is on the right; this aligns it with the window instead."""
    _align(label)
    watcher = _FollowLayout(label)
    label.installEventFilter(watcher)
    return label
