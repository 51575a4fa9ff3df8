"""Conservation > Storage locations…: the gene bank's places as a tree (site > cold room >
freezer or shelf > box), each with its storage type and set conditions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import conservation_view, storage_locations
from genebank.conservation.storage_locations import STORAGE_TYPES
from genebank.users.roles import Right
from ui import operations
from ui.dialogs.lot_dialogs import STORAGE_LABELS
from ui.dialogs.record_dialog import RecordDialog, amount_box
from ui.operations import Changed
from ui.views import shown_numbers
from ui.views.highlighted_record import HighlightedRecord
from ui.views.training_rights import Greying, why_not_of


class LocationDialog(RecordDialog):
    """A new place, inside ``parent_id`` (None: a new site); or, given ``place``, that
    place renamed or edited (its lots keep pointing at it)."""

    def __init__(self, session_factory: sessionmaker[Session], parent_id: int | None,
                 parent_path: str, parent: QWidget | None = None, *,
                 place: storage_locations.Place | None = None) -> None:
        super().__init__(session_factory, self.tr("Edit storage location") if place
                         else self.tr("New storage location"), parent)
        self.parent_id = parent_id
        self.place = place
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Cold room 1, Freezer 2, Shelf B"))
        self.storage_type = QComboBox(self)
        self.storage_type.addItem(self.tr("(as the place it is in)"), None)
        for code in STORAGE_TYPES:
            self.storage_type.addItem(STORAGE_LABELS[code], code)
        self.temperature = amount_box(self, " °C", 60.0, 1, blank=self.tr("not set"))
        self.temperature.setMinimum(-200.0)
        self.humidity = amount_box(self, " %", 100.0, 0, blank=self.tr("not set"))
        self.form.addRow(self.tr("Inside"), QLineEdit(parent_path or self.tr("(a new site)"),
                                                      readOnly=True))
        self.form.addRow(self.tr("&Name*"), self.name)
        self.form.addRow(self.tr("&Storage type"), self.storage_type)
        self.form.addRow(self.tr("Set &temperature"), self.temperature)
        self.form.addRow(self.tr("Set relative &humidity"), self.humidity)
        if place is not None:
            self.name.setText(place.name)
            self.storage_type.setCurrentIndex(max(self.storage_type.findData(
                place.storage_type), 0))
            if place.temperature_c is not None:
                self.temperature.setValue(place.temperature_c)
            if place.humidity_rh is not None:
                self.humidity.setValue(place.humidity_rh)
            # Before Save, what a new storage type does to the lots kept here (they follow).
            self.following = QLabel(self)
            self.following.setObjectName("lots_following")
            self.following.setWordWrap(True)
            self.following.hide()
            self.form.addRow(self.following)
            self.storage_type.currentIndexChanged.connect(self.say_lots_following)

    changes = Changed(locations=True, lots=True)

    def say_lots_following(self) -> None:
        """Say how many lots take the storage type now chosen (none: nothing said)."""
        assert self.place is not None
        place_id, chosen = self.place.id, self.storage_type.currentData()
        try:
            lots = operations.read_now(
                self.session_factory,
                lambda session: storage_locations.lots_taking_type(session, place_id, chosen),
                operation=self.tr("Reading the storage locations"))
        except Exception as error:  # said in the form; the save decides
            self.following.setText(operations.message(error))
            self.following.show()
            return
        self.following.setText(self.tr(
            "{0} seed lot(s) kept here take this storage type when you save: their next "
            "viability test dates are worked out again. Discarded lots keep theirs.").format(
                shown_numbers.count(lots)) if lots else "")
        self.following.setVisible(bool(lots))
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def work(self) -> Callable[[Session], int | None]:
        if self.place is not None:
            location_id = self.place.id
            edit = partial(
                storage_locations.edit_location, location_id=location_id,
                name=self.name.text(), storage_type=self.storage_type.currentData(),
                temperature_c=self.temperature.optional_value(),
                humidity_rh=self.humidity.optional_value())
            return lambda session: (edit(session), location_id)[1]
        return partial(
            storage_locations.add_location, name=self.name.text(), parent_id=self.parent_id,
            storage_type=self.storage_type.currentData(),
            temperature_c=self.temperature.optional_value(),
            humidity_rh=self.humidity.optional_value())


class StorageLocationsDialog(QDialog):
    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.setWindowTitle(self.tr("Storage locations"))
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Place"), self.tr("Storage type"),
                                   self.tr("Temperature"), self.tr("RH")])
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 160)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.on_place: list[QPushButton] = []  # act on the highlighted place: off without one
        for text, slot in ((self.tr("New &site…"), lambda: self.add(top=True)),
                           (self.tr("&Add inside…"), lambda: self.add(top=False)),
                           (self.tr("&Move into…"), lambda: self.move()),
                           (self.tr("&Edit…"), lambda: self.edit()),
                           (self.tr("&Remove…"), lambda: self.remove())):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.on_place.append(button)
        self.greying = Greying(why_not_of(session_factory))  # who may change the places
        for button in self.on_place:
            self.greying.needs(button, Right.CHANGE_CONSERVATION)
        self.on_place.pop(0)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.rights_label = QLabel(self)  # why this person may only read the places
        self.rights_label.setObjectName("read_only_reason")
        self.rights_label.setWordWrap(True)
        self.rights_label.setStyleSheet("color: #8a4b00;")
        reason = self.greying.why_not(Right.CHANGE_CONSERVATION)
        self.rights_label.setText(self.tr("Read-only: {0}").format(reason) if reason else "")
        self.rights_label.setVisible(reason is not None)
        layout.addWidget(self.rights_label)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.highlighted = HighlightedRecord(self.tree, lambda place: self.greying.apply(
            lambda button: place is not None or button not in self.on_place))
        self.greying.apply(lambda button: button not in self.on_place)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Reread the places, highlighting ``select_id`` (else the highlighted place, else
        the first site)."""
        places = operations.read_now(self.session_factory, storage_locations.list_places,
                                     operation=self.tr("Reading the storage locations"))
        # as people sort names, not by code point: "étagère 09" among the e's, and
        # "Shelf 9" before "Shelf 10" (a gene bank has hundreds of places, not more)
        locale = QLocale()  # the C locale has no collation: the common one then
        collator = QCollator(QLocale(QLocale.Language.English)
                             if locale.language() == QLocale.Language.C else locale)
        collator.setNumericMode(True)
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        places = sorted(places, key=lambda place: collator.sortKey(place.name))
        self.places = {place.id: place for place in places}
        items: dict[int, QTreeWidgetItem] = {}
        for place in places:
            item = QTreeWidgetItem([
                place.name, STORAGE_LABELS.get(place.storage_type or "", ""),
                "" if place.temperature_c is None
                else shown_numbers.unit(place.temperature_c, "°C"),
                "" if place.humidity_rh is None else shown_numbers.percent(place.humidity_rh)])
            item.setData(0, Qt.ItemDataRole.UserRole, place.id)
            for column, value in ((2, place.temperature_c), (3, place.humidity_rh)):
                item.setData(column, shown_numbers.NUMBER_ROLE, value)
            items[place.id] = item

        def fill() -> None:
            self.tree.clear()
            for place in places:
                parent = items.get(place.parent_id) if place.parent_id is not None else None
                (parent.addChild if parent else self.tree.addTopLevelItem)(items[place.id])
            self.tree.expandAll()

        self.highlighted.refill(fill, select=select_id)

    def current_id(self) -> int | None:
        """The highlighted place: what Add inside and Move into act on."""
        return self.highlighted.key()

    def add(self, *, top: bool) -> LocationDialog | None:
        """A new site (``top``), or a place inside the highlighted one (None without one)."""
        if not top and self.current_id() is None:
            return None
        parent_id = None if top else self.current_id()
        path = operations.read_now(
            self.session_factory, lambda session: storage_locations.path(session, parent_id),
            operation=self.tr("Reading the storage locations")) if parent_id else ""
        dialog = LocationDialog(self.session_factory, parent_id, path, self)
        dialog.accepted.connect(lambda: self.reload(dialog.saved_id))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def edit(self) -> LocationDialog | None:
        """Rename the highlighted place or change its storage type and conditions."""
        location_id = self.current_id()
        if location_id is None:
            return None
        place = self.places[location_id]
        path = operations.read_now(
            self.session_factory,
            lambda session: storage_locations.path(session, place.parent_id),
            operation=self.tr("Reading the storage locations")) if place.parent_id else ""
        dialog = LocationDialog(self.session_factory, place.parent_id, path, self, place=place)
        dialog.accepted.connect(lambda: self.reload(location_id))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def remove(self, *, confirm: bool = True) -> operations.Write[None] | None:
        """Remove the highlighted place once confirmed; refused (and said) while it holds
        lots or other places, or a lot's ledger names it."""
        location_id = self.current_id()
        if location_id is None:
            return None
        name = self.places[location_id].name
        if confirm and QMessageBox.question(  # the whole path: which place, and room for
                self, self.tr("Remove storage location"),  # the title to be read whole
                self.tr("Remove '{0}'?").format(operations.read_now(
                    self.session_factory,
                    lambda session: storage_locations.path(session, location_id),
                    operation=self.tr("Reading the storage locations"))),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
        operation = operations.Write(
            self, self.session_factory,
            lambda session: storage_locations.remove_location(session, location_id),
            operation=self.tr("Removing '{0}'").format(name),
            changes=Changed(locations=True), initiator=self)
        operation.success(lambda _none: self.reload())
        operation.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not removed"), text))
        return operation.run()  # type: ignore[return-value]

    def move(self, into: int | None = None) -> operations.Write[None] | None:
        """Move the highlighted place into another (asked for unless ``into``); None if
        nothing was started, else the running operation."""
        location_id = self.current_id()
        if location_id is None:
            return None
        paths = operations.read_now(self.session_factory, conservation_view.location_paths,
                                    operation=self.tr("Reading the storage locations"))
        if into is None:
            choices = [self.tr("(top level: a site)"),
                       *sorted(p for i, p in paths.items() if i != location_id)]
            chosen, ok = QInputDialog.getItem(self, self.tr("Move into"), self.tr(
                "Move '{0}' into:").format(paths[location_id]), choices, 0, False)
            if not ok:
                return None
            into = next((i for i, p in paths.items() if p == chosen), None)
        operation = operations.Write(
            self, self.session_factory,
            lambda session: storage_locations.move_location(session, location_id, into),
            operation=self.tr("Moving '{0}'").format(paths[location_id]),
            changes=Changed(locations=True), initiator=self)
        operation.success(lambda _none: self.reload(location_id))
        operation.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not moved"), text))
        return operation.run()  # type: ignore[return-value]
