"""Tools > Users: an administrator's list of the database's people, to add a person,
disable or enable one, set their roles (check boxes) and reset a forgotten password.
Every change goes through the operation runner to :mod:`genebank.users.accounts`, which
checks the right and keeps the last administrator; a refusal is said in the window in
the core's words, and the list is read again after each change."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genebank import db
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.accounts import UserSummary
from genebank.users.actor import Actor, attach
from genebank.users.passwords import MIN_LENGTH, check_strength
from genebank.users.roles import Role
from ui import operations
from ui.dialogs.unsaved_changes import UnsavedChanges
from ui.signing_in import message_label, role_word, signed_in, tr


def _role_boxes(parent: QWidget, layout: QGridLayout, columns: int = 3) -> dict[Role, QCheckBox]:
    boxes: dict[Role, QCheckBox] = {}
    for index, role in enumerate(Role):
        box = QCheckBox(role_word(role), parent)
        box.setObjectName(f"role_{role.value}")
        layout.addWidget(box, index // columns, index % columns)
        boxes[role] = box
    return boxes


class PersonDialog(UnsavedChanges, QDialog):
    """A new person (name, full name, roles, password twice) or, with ``name`` given, a
    new password for that person (``own``: the signed-in person's, after their current
    one). Its fields are read by its caller; the two new passwords are compared here, the
    rest is the core's to refuse.

    Cancel, Escape or the close button after a new person's name, full name or roles were
    typed ask "Save them?" as every form does (Save is OK). A password alone is not asked
    about (typed again in a moment), and the question never shows one."""

    operation = None  # the caller saves, once this closes: nothing runs here
    read_only_reason: str | None = None

    def __init__(self, parent: QWidget | None, *, name: str | None = None,
                 own: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("own_password" if own else "reset_password" if name
                           else "add_person")
        self.setWindowTitle(tr("Change my password") if own else
                            tr("New password for {0}").format(name) if name
                            else tr("Add a person"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("user_name")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("display_name")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.again = QLineEdit(self)
        self.again.setObjectName("password_again")
        self.old = QLineEdit(self)
        self.old.setObjectName("current_password")
        for field in (self.password, self.again, self.old):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        if own:
            form.addRow(tr("Current password:"), self.old)
            # typed first, as it stands first (it was made after the new ones)
            QWidget.setTabOrder(self.old, self.password)
            self.old.setFocus()
        if name is None:
            form.addRow(tr("User name:"), self.name)
            form.addRow(tr("Full name:"), self.display_name)
            form.addRow(tr("Password:"), self.password)
            form.addRow(tr("Password again:"), self.again)
        else:
            form.addRow(tr("New password:"), self.password)
            form.addRow(tr("New password again:"), self.again)
        for field in (self.name, self.display_name, self.old):
            field.setVisible(form.indexOf(field) >= 0)  # the fields this use asks for
        hint = QLabel(tr("At least {0} characters.").format(MIN_LENGTH) if own else
                      tr("At least {0} characters; the person can change it later (File > "
                         "Change my password).").format(MIN_LENGTH), self)
        hint.setWordWrap(True)
        form.addRow("", hint)
        layout.addLayout(form)
        self.roles: dict[Role, QCheckBox] = {}
        if name is None:
            layout.addWidget(QLabel(tr("Roles:"), self))
            grid = QGridLayout()
            self.roles = _role_boxes(self, grid)
            layout.addLayout(grid)
        self.message = message_label(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.roles.items() if box.isChecked())

    @property
    def is_modified(self) -> bool:
        """A new person's name, full name or a role typed (a new password alone: no)."""
        return self.objectName() == "add_person" and bool(
            self.name.text().strip() or self.display_name.text().strip()
            or self.chosen_roles())

    def unsaved_question(self) -> str:
        """Names the person by the user name typed, never by a password."""
        name = self.name.text().strip()
        if name:
            return tr("{0} is not added yet. Add this person?").format(name)
        return tr("The person you were adding is not added yet. Add this person?")

    def save(self) -> None:
        """OK: the passwords compared; the caller adds the person once this closes."""
        self._check()

    def _check(self) -> None:
        if self.password.text() != self.again.text():
            self.message.setText(tr("The two passwords differ: type the same password "
                                    "twice."))
            self.message.show()
            return
        try:  # refused here, the form and its typing stay (the caller saves once it closes)
            check_strength(self.password.text())
        except Refused as refused:
            self.message.setText(operations.message(refused))
            self.message.show()
            return
        self.accept()


class UsersDialog(QDialog):
    """The people of the database, for an administrator."""

    signed_in_changed = Signal()  # the signed-in person's own roles changed

    COLUMNS = ("User name", "Full name", "Roles", "State")

    def __init__(self, database: db.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("users")
        self.database = database
        self.setWindowTitle(tr("Users"))
        self.resize(760, 460)
        self.people: list[UserSummary] = []
        self.last: operations.Write[UserSummary] | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("people")
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        self.roles_label = QLabel(tr("Roles of the selected person:"), self)
        layout.addWidget(self.roles_label)
        grid = QGridLayout()
        self.roles = _role_boxes(self, grid)
        layout.addLayout(grid)
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("Add a person…"), self)
        self.add_button.setObjectName("add")
        self.set_roles_button = QPushButton(tr("Save roles"), self)
        self.set_roles_button.setObjectName("set_roles")
        self.disable_button = QPushButton(tr("Disable"), self)
        self.disable_button.setObjectName("disable")
        self.disable_button.setToolTip(tr("The person can no longer sign in; everything they "
                                          "recorded stays theirs"))
        self.password_button = QPushButton(tr("Reset password…"), self)
        self.password_button.setObjectName("reset_password")
        for button in (self.add_button, self.set_roles_button, self.disable_button,
                       self.password_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = message_label(self)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_person)
        self.set_roles_button.clicked.connect(self.save_roles)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.password_button.clicked.connect(self.reset_password)
        self.reload()

    # The list ------------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        try:
            self.people = operations.read_now(self.database, accounts.list_users,
                                              operation=tr("Reading the users"))
        except Exception as error:  # e.g. no longer an administrator: said, list empty
            self._say(operations.message(error, database=self.database))
            self.people = []
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            values = (person.name, person.display_name,
                      ", ".join(role_word(role) for role in person.roles),
                      tr("disabled") if person.disabled else tr("enabled"))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if person.disabled:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        if keep in [person.name for person in self.people]:
            self.select(keep)
        self._selected()

    def selected(self) -> UserSummary | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.people[min(rows)] if rows else None

    def select(self, name: str) -> None:
        """Highlight ``name``'s row. Through the selection model: QTableView.selectRow
        selects nothing right to left (Qt 6, seen in Arabic)."""
        index = self.table.model().index([p.name for p in self.people].index(name), 0)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(
            index, flags.ClearAndSelect | flags.Rows)

    def _selected(self) -> None:
        person = self.selected()
        if self.last is None or self.last.finished:
            self._say("")  # a refusal is about the person it was said of
        for button in (self.set_roles_button, self.disable_button, self.password_button):
            button.setEnabled(person is not None)
        for role, box in self.roles.items():
            box.setEnabled(person is not None)
            box.setChecked(person is not None and role in person.roles)
        self.disable_button.setText(tr("Enable") if person is not None and person.disabled
                                    else tr("Disable"))
        self.password_button.setVisible(self.database.is_sqlite)  # a server keeps its own

    # Changes -------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _write(self, work: object, operation: str, keep: str | None) -> None:
        self._say("")
        write = operations.Write(self, self.database, work,  # type: ignore[arg-type]
                                 operation=operation, changes=operations.Changed())
        write.busy(self.add_button, self.set_roles_button, self.disable_button,
                   self.password_button)
        write.success(self._changed)
        write.failure(lambda text, _error: self._say(text))
        self.last = write.run()  # type: ignore[assignment]

    def _changed(self, made: UserSummary) -> None:
        """A change saved: the list read again; the signed-in person's own new roles take
        effect in this window at once (``signed_in_changed``)."""
        me = signed_in(self.database)
        if me is not None and me.user_id == made.id:
            attach(self.database.session_factory,
                   Actor(made.id, made.name, frozenset(made.roles)))
            self.signed_in_changed.emit()
        self.reload(keep=made.name)

    def add_person(self) -> PersonDialog:
        dialog = PersonDialog(self)
        dialog.accepted.connect(lambda: self._write(
            lambda session: accounts.add_user(
                session, name=dialog.name.text(), roles=dialog.chosen_roles(),
                password=dialog.password.text(), display_name=dialog.display_name.text()),
            tr("Adding {0}").format(dialog.name.text()), None))
        dialog.open()
        return dialog

    def save_roles(self) -> None:
        person = self.selected()
        if person is None:
            return
        roles = frozenset(role for role, box in self.roles.items() if box.isChecked())
        self._write(lambda session: accounts.set_roles(session, person.name, roles),
                    tr("Setting the roles of {0}").format(person.name), person.name)

    def toggle_disabled(self) -> None:
        person = self.selected()
        if person is None:
            return
        change = accounts.enable_user if person.disabled else accounts.disable_user
        self._write(lambda session: change(session, person.name),
                    tr("Enabling {0}").format(person.name) if person.disabled
                    else tr("Disabling {0}").format(person.name), person.name)

    def reset_password(self) -> PersonDialog | None:
        person = self.selected()
        if person is None:
            return None
        dialog = PersonDialog(self, name=person.name)
        dialog.accepted.connect(lambda: self._write(
            lambda session: accounts.reset_password(session, person.name,
                                                    dialog.password.text()),
            tr("New password for {0}").format(person.name), person.name))
        dialog.open()
        return dialog
