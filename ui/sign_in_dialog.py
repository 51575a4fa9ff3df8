"""The sign-in dialog, built from PySide6 alone: the start shows it at once for a database
that asked who signs in last time, while SQLAlchemy, the models and the main window load
behind it (:func:`ui.app.start_database`); the database it signs in to may come later
(:meth:`SignInDialog.set_database`). :mod:`ui.signing_in` says when it is asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from genebank import db, server_roles
    from genebank.users.actor import Actor
    from ui import operations


def tr(text: str) -> str:
    return QCoreApplication.translate("SigningIn", text)


def message_label(parent: QWidget) -> QLabel:
    """The line where a dialog says what the core refused (hidden until then)."""
    label = QLabel(parent)
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class SignInDialog(QDialog):
    """The user name (the workstation's last one offered) and the password; a wrong one
    is said as the core says it, in the dialog, which stays open for another try. Opened
    before its database (``database`` None, named ``display_name``), a Sign in clicked
    meanwhile waits for :meth:`set_database`, then checks."""

    painted = Signal()  # the first time the dialog is on the screen

    def __init__(self, database: db.Database | None, settings: Settings,
                 parent: QWidget | None = None, *, display_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("sign_in")
        self.database = database
        self.settings = settings
        self.actor: Actor | None = None
        self.waiting = False  # Sign in was clicked before the database was open
        self.closed = False  # accepted or cancelled (done)
        self._painted = False
        self.setWindowTitle(tr("Sign in"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        where = QLabel(tr("Sign in to {0}").format(
            database.display_name if database is not None else display_name), self)
        where.setWordWrap(True)
        layout.addWidget(where)
        form = QFormLayout()
        self.name = QLineEdit(settings.last_user_name, self)
        self.name.setObjectName("user_name")
        self.password = password_field(self, "password")
        form.addRow(tr("User name:"), self.name)
        form.addRow(tr("Password:"), self.password)
        layout.addLayout(form)
        self.message = message_label(self)
        layout.addWidget(self.message)
        self.opening = QLabel(tr("Opening the database…"), self)  # a Sign in waiting for it
        self.opening.setObjectName("opening")
        self.opening.hide()
        layout.addWidget(self.opening)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(tr("Sign in"))
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if self.name.text() else self.name).setFocus()
        self.attempt: operations.Read[Actor] | None = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def set_database(self, database: db.Database) -> None:
        """The database is open: a Sign in clicked meanwhile is checked now."""
        self.database = database
        if self.waiting:
            self.waiting = False
            self.try_sign_in()

    def try_sign_in(self) -> None:
        """Check the name and password off the GUI thread (a password check takes a
        noticeable moment, by design)."""
        self.message.hide()
        if self.database is None:  # still opening: checked once it is open
            self.waiting = True
            self.opening.show()
            for widget in (self.sign_in_button, self.name, self.password):
                widget.setEnabled(False)
            return
        from genebank import server_roles
        from genebank.users import accounts
        from ui import operations

        self.opening.hide()
        for widget in (self.sign_in_button, self.name, self.password):
            widget.setEnabled(True)
        name, password = self.name.text(), self.password.text()
        database = self.database

        def check(session: Session) -> Actor | server_roles.SignedIn:
            if database.is_sqlite:
                return accounts.sign_in(session, name=name, password=password)
            # A server checks the password itself: the window connects as the person
            # (the database's engine is replaced on the GUI thread, in _signed_in).
            return server_roles.connect_as_person(database, name, password)

        read = operations.Read(self, database, check, operation=tr("Signing in"))
        read.busy(self.sign_in_button, self.name, self.password)
        read.success(self._signed_in)
        read.failure(self._refused)
        self.attempt = read.run()

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    def _signed_in(self, result: Actor | server_roles.SignedIn) -> None:
        from genebank import server_roles

        if isinstance(result, server_roles.SignedIn):
            if self.closed or self.database is None:
                # cancelled while the server checked: nobody signs in, the window keeps
                # its connection
                result.engine.dispose()
                return
            server_roles.use_engine(self.database, result.engine)  # on the GUI thread
            actor = result.actor
        else:
            actor = result
        self.actor = actor
        self.settings.last_user_name = actor.name
        self.accept()

    def _refused(self, text: str, _error: BaseException) -> None:
        self.message.setText(text)
        self.message.show()
        self.password.clear()
        self.password.setFocus()
