"""Connecting to a PostgreSQL server, and signing in when the server wants a password.

The password is typed into a field that never shows it, used for the connection being
opened, and never kept: settings and the recent-databases menu keep the address without it.
A password left empty lets PostgreSQL's own password file (pgpass) or service file answer,
as ``psql`` does. On a database set up for its team (``genebank server set-up``) the person
types their Genebank name and password here: the connection is made as their login role,
so a server asking every connection for a password (SCRAM in pg_hba.conf) is answered
once, and the window signs them in without asking again (:func:`ui.signing_in.sign_in`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from genebank import db, server_roles
from genebank.connection_urls import needs_password, shown, with_password, without_password
from genebank.users.accounts import name_key

DRIVER = "postgresql+psycopg"
MESSAGE_STYLE = "color: #b00020;"


class ConnectionDialog(QDialog):
    """Server, port, database and user (or a service name), and a password field."""

    def __init__(self, parent: QWidget | None = None, *, url: str = "",
                 message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to a PostgreSQL server"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.setVisible(bool(message))
        layout.addWidget(self.message)
        form = QFormLayout()
        layout.addLayout(form)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("localhost")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("genebank")
        self.user = QLineEdit(self)
        self.user.setText(db.current_user())
        self.service = QLineEdit(self)
        self.service.setPlaceholderText(self.tr("optional: a name from pg_service.conf"))
        self.person = QLineEdit(self)
        self.person.setObjectName("genebank_name")
        self.person.setPlaceholderText(self.tr("on a database set up for its team"))
        self.person.setToolTip(self.tr(
            "On a database whose administrator ran 'genebank server set-up', type your "
            "Genebank name and password: Genebank connects as you, and does not ask again."))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("leave empty to use your PostgreSQL password file"))
        form.addRow(self.tr("&Server:"), self.host)
        form.addRow(self.tr("P&ort:"), self.port)
        form.addRow(self.tr("&Database:"), self.database)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("Ser&vice:"), self.service)
        form.addRow(self.tr("&Genebank name:"), self.person)
        # a person's name replaces the server user: they connect as their login role
        self.person.textChanged.connect(
            lambda name: self.user.setEnabled(not name.strip()))
        form.addRow(self.tr("&Password:"), self.password)
        note = QLabel(self.tr(
            "The password is used for this connection only: Genebank never stores it. "
            "To connect without typing it, put it in PostgreSQL's password file "
            "(pgpass.conf), as for psql.\n\nOn a database set up for its team, type your "
            "Genebank name and your Genebank password: you are signed in at once."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText(self.tr("&Connect"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if url:
            self._fill(url)
        (self.password if url else self.host).setFocus()

    def _fill(self, url: str) -> None:
        try:
            parsed = make_url(without_password(url))
        except ArgumentError:
            return
        self.host.setText(parsed.host or "")
        self.port.setValue(parsed.port or 5432)
        self.database.setText(parsed.database or "")
        self.user.setText(parsed.username or "")
        prefix = server_roles.default_prefix(parsed.database or "")
        if parsed.username and parsed.username.startswith(prefix):
            self.person.setText(parsed.username[len(prefix):])
        self.service.setText(str(parsed.query.get("service") or ""))
        self._extra_query = {k: v for k, v in parsed.query.items() if k != "service"}

    def url(self) -> str:
        """The address typed, without the password; with a Genebank name, as that
        person's login role (``gb_<database>_<name>``)."""
        query = dict(getattr(self, "_extra_query", {}))
        if self.service.text().strip():
            query["service"] = self.service.text().strip()
        service_only = bool(self.service.text().strip()) and not self.host.text().strip()
        user = self.user.text().strip()
        if self.person.text().strip():  # the person's login role on a set-up server
            user = server_roles.login_role(
                server_roles.default_prefix(self.database.text().strip()),
                name_key(self.person.text().strip()))
        return URL.create(
            DRIVER, username=user or None,
            host=self.host.text().strip() or None,
            port=None if service_only else self.port.value(),
            database=self.database.text().strip() or None,
            query=query).render_as_string(hide_password=False)

    def typed_password(self) -> str:
        return self.password.text()


Ask = Callable[[str, str], "tuple[str, str] | None"]


def ask_with_dialog(parent: QWidget | None) -> Ask:
    """Ask with a :class:`ConnectionDialog`: (url, password), or None when cancelled."""
    def ask(url: str, message: str) -> tuple[str, str] | None:
        dialog = ConnectionDialog(parent, url=url, message=message)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.url(), dialog.typed_password()
        finally:
            dialog.password.clear()
            dialog.deleteLater()
    return ask


def open_signed_in(url: str, ask: Ask, *,
                   opener: Callable[..., db.Database] | None = None,
                   **options: bool) -> db.Database | None:
    """Open ``url`` (``options`` as :func:`db.open_database` takes them); when the server
    wants a password that no password file gave, ask for it (again after a wrong one). None
    if the person cancels; other problems raise :class:`db.DatabaseError` as
    :func:`db.open_database` does. ``opener`` (default :func:`db.open_database`) does each
    attempt, e.g. off the GUI thread; the questions stay with the caller's thread."""
    opener = opener or db.open_database
    try:
        return opener(url, **options)
    except db.DatabaseError as error:
        if not needs_password(error):
            raise
    user = make_url(without_password(url)).username or db.current_user()
    message = _tr("{0} asks for the password of {1}.").format(shown(url), user)
    while True:
        answer = ask(without_password(url), message)
        if answer is None:
            return None
        url, password = answer
        try:
            return opener(with_password(url, password) if password else url, **options)
        except db.DatabaseError as error:
            if not needs_password(error):
                raise
        user = make_url(url).username or db.current_user()
        message = _tr("The server did not accept this password for {0}. Type it again, or "
                      "ask whoever runs the server.").format(user)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConnectionDialog", text)
