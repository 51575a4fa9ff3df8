"""How a text table (.csv, .tsv, .txt) is read, on the file page of every import wizard.

A file in UTF-8 or with a byte-order mark is read as it is, and the page says so with its
delimiter. Any other file's encoding is not certain: the core refuses it with the likely
encodings (``text_encoding_unknown``), and this box offers them, each shown with the file's
first lines decoded, so that a person picks the one in which the names read right. Nothing
is chosen for them: Next stays disabled until they choose.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from genebank.io import spreadsheet
from genebank.io.spreadsheet import UnreadableFile
from ui import messages


class TextEncodingBox(QWidget):
    """The encoding and delimiter of a text table, and the choice of encoding when the file
    needs one. ``encoding`` is what to pass to ``read_sheet`` (None: the file's own)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.ask = QLabel(self.tr(
            "This text file is not UTF-8 and does not say its encoding. Choose the encoding "
            "in which its lines below read right (names in their own letters, not symbols)."),
            self)
        self.ask.setWordWrap(True)
        self.choice = QComboBox(self)
        self.choice.setObjectName("encoding")
        self.choice.setPlaceholderText(self.tr("Choose the encoding…"))
        self.lines = QPlainTextEdit(self)
        self.lines.setObjectName("encoding_lines")
        self.lines.setReadOnly(True)
        self.lines.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.lines.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.shape = QLabel(self)
        self.shape.setObjectName("text_shape")
        self.shape.setWordWrap(True)
        for widget in (self.ask, self.choice, self.lines, self.shape):
            layout.addWidget(widget)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.path: Path | None = None
        self.encoding: str | None = None
        self.needs_choice = False
        self.candidates: list[dict[str, object]] = []
        self.clear()

    def clear(self) -> None:
        """No text file: nothing to show."""
        self.path, self.encoding, self.needs_choice, self.candidates = None, None, False, []
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.blockSignals(False)
        self.lines.clear()
        self.shape.clear()
        self.hide()

    def show_for(self, path: Path) -> None:
        """Look at the text file ``path``: say how it is read, or offer the encodings it may
        be in. Raises any other refusal (a missing file, binary data)."""
        self.clear()
        self.path = path
        try:
            encoding, delimiter = spreadsheet.text_shape(path)
        except UnreadableFile as refused:
            if refused.code != "text_encoding_unknown":
                raise
            self._offer(refused.params["candidates"])  # type: ignore[arg-type]
        else:
            self._describe(encoding, delimiter)
        self.show()

    def ready(self) -> bool:
        """Whether the file can be read: its encoding is certain, or one was chosen."""
        return not self.needs_choice or self.encoding is not None

    def _offer(self, candidates: list[dict[str, object]]) -> None:
        self.needs_choice, self.candidates = True, candidates
        self.choice.blockSignals(True)
        for candidate in candidates:
            name = str(candidate["encoding"])
            self.choice.addItem(self.encoding_name(name), name)
        self.choice.setCurrentIndex(-1)
        self.choice.blockSignals(False)
        self.lines.setPlainText(self._side_by_side(candidates))
        for widget in (self.ask, self.choice, self.lines):
            widget.show()
        self.shape.hide()

    def _side_by_side(self, candidates: list[dict[str, object]]) -> str:
        """Before a choice: the first line that reads differently, in each encoding."""
        readings = [[str(line) for line in candidate["lines"]]  # type: ignore[attr-defined]
                    for candidate in candidates]
        index = next((i for i in range(min(map(len, readings), default=0))
                      if len({reading[i] for reading in readings}) > 1), 0)
        return "\n".join(
            f"{self.encoding_name(str(candidate['encoding']))}:  {reading[index]}"
            for candidate, reading in zip(candidates, readings, strict=True) if reading)

    def _chosen(self, index: int) -> None:
        if index < 0 or self.path is None:
            return
        candidate = self.candidates[index]
        self.lines.setPlainText("\n".join(map(str, candidate["lines"])))  # type: ignore[call-overload]
        try:
            encoding, delimiter = spreadsheet.text_shape(self.path,
                                                         encoding=str(candidate["encoding"]))
        except UnreadableFile as refused:
            self.encoding = None
            self.shape.setText(messages.say(refused))
        else:
            self.encoding = encoding
            self._describe(encoding, delimiter)
        self.shape.show()
        self.changed.emit()

    def _describe(self, encoding: str, delimiter: str) -> None:
        if not self.needs_choice:
            for widget in (self.ask, self.choice, self.lines):
                widget.hide()
        self.shape.setText(self.tr("Read as {0}, columns separated by {1}.").format(
            self.encoding_name(encoding), self.delimiter_name(delimiter)))
        self.shape.show()

    def encoding_name(self, encoding: str) -> str:
        """An encoding as people know it (Python's name otherwise)."""
        names = {
            "utf-8": self.tr("UTF-8"), "utf-8-sig": self.tr("UTF-8 (with byte-order mark)"),
            "utf-16": self.tr("UTF-16 (Unicode text)"), "utf-16-le": self.tr("UTF-16 LE"),
            "utf-16-be": self.tr("UTF-16 BE"), "utf-32": self.tr("UTF-32"),
            "cp1251": self.tr("Windows-1251 (Cyrillic)"),
            "cp1256": self.tr("Windows-1256 (Arabic)"),
            "cp1252": self.tr("Windows-1252 (Western European)"),
            "cp1250": self.tr("Windows-1250 (Central European)"),
            "iso8859-1": self.tr("Latin-1 (Western European)"),
            "koi8-r": self.tr("KOI8-R (Russian)"), "cp866": self.tr("DOS 866 (Russian)"),
        }
        return names.get(encoding, encoding)

    def delimiter_name(self, delimiter: str) -> str:
        names = {",": self.tr("commas"), ";": self.tr("semicolons"), "\t": self.tr("tabs"),
                 "|": self.tr("vertical bars")}
        return names.get(delimiter, delimiter)


def file_filter() -> str:
    """The file dialog's filter: every suffix Genebank reads, then all files."""
    patterns = " ".join(f"*{suffix}" for suffix in spreadsheet.SUFFIXES)
    return QCoreApplication.translate(
        "TextEncodingBox", "Spreadsheets and text tables ({0});;All files (*)").format(patterns)
