"""The search box and filter lists above the accession table.

Typing searches after a short pause; Enter searches at once, and when exactly one
accession matches (a scanned barcode, say) ``open_requested`` asks to open it.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from genebank import countries, mcpd
from genebank.passport.accession_query import AccessionFilter, FilterChoices

SEARCH_DELAY_MS = 250


class FilterBar(QWidget):
    filter_changed = Signal(object)  # AccessionFilter
    search_submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            self.tr("Search accession number, name, taxon, crop or remarks (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        layout.addWidget(self.search, 3)
        self.crop = self._combo(self.tr("All crops"), "crop")
        self.genus = self._combo(self.tr("All genera"), "genus")
        self.country = self._combo(self.tr("All countries"), "country")
        self.sampstat = self._combo(self.tr("Any biological status"), "sampstat")
        for code, meaning in mcpd.SAMPSTAT.items():
            self.sampstat.addItem(f"{code} {meaning}", code)
        self.storage = self._combo(self.tr("Any storage"), "storage")
        for code, meaning in mcpd.STORAGE.items():
            self.storage.addItem(f"{code} {meaning}", code)
        for combo in (self.crop, self.genus, self.country, self.sampstat, self.storage):
            layout.addWidget(combo, 1)
        # Withdrawn accessions left the collection: shown (greyed, with their reason) only
        # when asked; an export of the matching accessions then holds them too.
        self.show_withdrawn = QCheckBox(self.tr("Show withdrawn"), self)
        self.show_withdrawn.setObjectName("show_withdrawn")
        self.show_withdrawn.setToolTip(self.tr(
            "Also show the accessions withdrawn from the collection (greyed, with their "
            "reason); an export of the matching accessions then includes them"))
        self.show_withdrawn.toggled.connect(self._emit)
        layout.addWidget(self.show_withdrawn)
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the search and all filters"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._submit)

    def _combo(self, everything: str, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(everything, None)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def set_loading(self, loading: bool) -> None:
        """While the crops, genera and countries present are first read (in the background:
        they come from the whole collection), their lists are greyed out and say so."""
        for combo in (self.crop, self.genus, self.country):
            combo.setEnabled(not loading)
            combo.setToolTip(self.tr("Reading the choices from the collection…")
                             if loading else "")

    def set_choices(self, choices: FilterChoices) -> None:
        """Offer the crops, genera and countries present, keeping current choices."""
        for combo, items in ((self.crop, [(c, c) for c in choices.cropnames]),
                             (self.genus, [(g, g) for g in choices.genera]),
                             (self.country, [(f"{c} {countries.country_name(c)}", c)
                                             for c in choices.countries])):
            current = combo.currentData()
            with QSignalBlocker(combo):
                while combo.count() > 1:
                    combo.removeItem(1)
                for text, data in items:
                    combo.addItem(text, data)
                combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)

    def current_filter(self) -> AccessionFilter:
        return AccessionFilter(
            text=self.search.text().strip(), cropname=self.crop.currentData(),
            genus=self.genus.currentData(), origcty=self.country.currentData(),
            sampstat=self.sampstat.currentData(), storage=self.storage.currentData(),
            include_withdrawn=self.show_withdrawn.isChecked())

    def clear(self) -> None:
        for combo in (self.crop, self.genus, self.country, self.sampstat, self.storage):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(0)
        with QSignalBlocker(self.search):
            self.search.clear()
        with QSignalBlocker(self.show_withdrawn):
            self.show_withdrawn.setChecked(False)
        self._emit()

    def _emit(self) -> None:
        self._timer.stop()
        self.filter_changed.emit(self.current_filter())

    def _submit(self) -> None:
        self._emit()
        self.search_submitted.emit()
