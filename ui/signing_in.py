"""Who works in the window: the sign-in when a database opens (or the person switches),
and the first administrator a database without people asks for.

After a database opens, :func:`sign_in` reads what it needs: a database with people who
must sign in shows :class:`SignInDialog` (Cancel: the database is not opened, as a refusal
to open it); a database with nobody yet (new, or made before sign-in existed) shows
:class:`FirstAdministratorDialog`, whose "Later" opens it as before sign-in and asks again
next time (records keep being stamped with the login name, as they always were: nothing is
lost by waiting, and a technician who opens a colleague's file is not forced to become its
administrator). The demo's own file never asks, nor a server database whose login roles
were not set up (``genebank server set-up``). On a set-up server the sign-in connects as
the person's login role, whose password the server checks
(:func:`genebank.server_roles.sign_in_on_server`). A successful sign-in attaches the
person to the database's session factory (:func:`genebank.users.actor.attach`), the one
factory every operation of
``ui/operations.py`` and every window opens its sessions from, so every write carries them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from genebank import db, demo_database
from genebank.users import accounts
from genebank.users.actor import Actor, attach, attached, detach, work_as
from genebank.users.passwords import MIN_LENGTH
from genebank.users.roles import Role
from ui import operations
from ui.settings import Settings
from ui.sign_in_dialog import SignInDialog, message_label, tr
from ui.sign_in_dialog import password_field as _password_field

__all__ = ["FirstAdministratorDialog", "SignInDialog", "ask_sign_in", "asks_sign_in",
           "attach_person", "role_word", "sign_in", "sign_out", "signed_in"]

ROLE_WORDS = {  # the roles as the dialogs name them
    Role.ADMINISTRATOR: "Administrator", Role.CURATOR: "Curator",
    Role.SEED_LABORATORY: "Seed laboratory", Role.DISTRIBUTION_OFFICER: "Distribution officer",
    Role.TRAINER: "Trainer", Role.VIEWER: "Viewer",
}


def role_word(role: Role) -> str:
    return tr(ROLE_WORDS[role])


class FirstAdministratorDialog(QDialog):
    """A database with nobody yet asks for its administrator: name, display name, the
    password twice (its minimum length said), their roles (a small gene bank's
    administrator often does everything), and, in a SQLite file, "only I use it"."""

    def __init__(self, database: db.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_administrator")
        self.database = database
        self.actor: Actor | None = None
        self.sign_in_off = False
        self.setWindowTitle(tr("The database's administrator"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "{0} has no administrator yet. From now on Genebank records who does what: "
            "each person signs in with their own name. Records made before keep the names "
            "they were stamped with (the computer's login names).\n\nWho is this "
            "database's administrator?").format(database.display_name), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("user_name")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("display_name")
        self.password = _password_field(self, "password")
        self.again = _password_field(self, "password_again")
        form.addRow(tr("User name:"), self.name)
        form.addRow(tr("Full name:"), self.display_name)
        form.addRow(tr("Password:"), self.password)
        form.addRow(tr("Password again:"), self.again)
        hint = QLabel(tr("At least {0} characters; any letters, in any script.")
                      .format(MIN_LENGTH), self)
        hint.setWordWrap(True)
        form.addRow("", hint)
        layout.addLayout(form)
        roles_label = QLabel(tr("Their roles (a small gene bank's administrator often does "
                                "everything; an administrator can change them later):"), self)
        roles_label.setWordWrap(True)
        layout.addWidget(roles_label)
        grid = QGridLayout()
        self.roles: dict[Role, QCheckBox] = {}
        for index, role in enumerate(Role):
            box = QCheckBox(role_word(role), self)
            box.setObjectName(f"role_{role.value}")
            box.setChecked(role is not Role.VIEWER)
            if role is Role.ADMINISTRATOR:
                box.setEnabled(False)  # the first person is the administrator
            grid.addWidget(box, index // 3, index % 3)
            self.roles[role] = box
        layout.addLayout(grid)
        self.only_me = QCheckBox(tr("Only I use this database: don't ask me to sign in"),
                                 self)
        self.only_me.setObjectName("only_me")
        self.only_me.setToolTip(tr(
            "Records will name you without a sign-in. Anyone who can open this file works "
            "as you: use it for a file on your own computer only."))
        self.only_me.setVisible(database.is_sqlite)
        layout.addWidget(self.only_me)
        later = QLabel(tr("Later: the database opens as before, and Genebank asks again the "
                          "next time it is opened."), self)
        later.setWordWrap(True)
        later.setObjectName("later_note")
        layout.addWidget(later)
        self.message = message_label(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            tr("Create the administrator"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.buttons.addButton(tr("Later"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.write: operations.Write[Actor] | None = None

    def chosen_roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.roles.items() if box.isChecked())

    def create(self) -> None:
        if self.password.text() != self.again.text():
            self._refused(tr("The two passwords differ: type the same password twice."), None)
            return
        name, display = self.name.text(), self.display_name.text()
        password, roles, only_me = self.password.text(), self.chosen_roles(), \
            self.only_me.isChecked() and self.only_me.isVisible()

        def work(session: Session) -> Actor:
            made = accounts.create_first_administrator(
                session, name=name, password=password, display_name=display,
                roles=roles)
            actor = Actor(made.id, made.name, frozenset(made.roles))
            if only_me:  # as the administrator just made: settings are theirs
                accounts.set_sign_in_required(work_as(session, actor), False)
            return actor

        self.message.hide()
        write = operations.Write(self, self.database, work,
                                 operation=tr("Creating the administrator"),
                                 changes=operations.Changed())
        write.busy(self.create_button, self.later_button)
        write.success(lambda actor: self._created(actor, only_me))
        write.failure(self._refused)
        self.write = write.run()

    def _created(self, actor: Actor, only_me: bool) -> None:
        self.actor, self.sign_in_off = actor, only_me
        self.accept()

    def _refused(self, text: str, _error: BaseException | None) -> None:
        self.message.setText(text)
        self.message.show()


def _state(session: Session) -> tuple[bool, bool, bool]:
    return (accounts.people_kept_here(session), accounts.needs_first_administrator(session),
            accounts.sign_in_required(session))


def asks_sign_in(database: db.Database) -> bool:
    """Whether :func:`sign_in` shows the sign-in dialog for ``database`` (a short read)."""
    if demo_database.is_demo_file(database.url):
        return False
    kept, first, required = operations.read_now(database, _state,
                                                operation=tr("Opening the database"))
    return kept and not first and required


def sign_in(parent: QWidget | None, database: db.Database, settings: Settings) -> bool:
    """Ask who works on ``database``, as the module says; False when the person cancelled
    a required sign-in (the caller then does not open the database)."""
    if demo_database.is_demo_file(database.url):
        return True  # the demo: nobody's records
    kept, first, required = operations.read_now(database, _state,
                                                operation=tr("Opening the database"))
    if not kept:
        return True
    if first:
        dialog = FirstAdministratorDialog(database, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.actor is not None:
            settings.last_user_name = dialog.actor.name
            if not dialog.sign_in_off:
                attach(database.session_factory, dialog.actor)
        return True
    if not required:
        return True  # sign-in turned off: the one person, implied by the database
    return ask_sign_in(parent, database, settings)


def ask_sign_in(parent: QWidget | None, database: db.Database, settings: Settings) -> bool:
    """The sign-in dialog; on success the person is attached to the database."""
    dialog = SignInDialog(database, settings, parent)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return False
    attach(database.session_factory, dialog.actor)
    return True


def attach_person(database: db.Database, actor: Actor) -> None:
    """``actor`` signed in (:class:`SignInDialog`): every session of ``database`` works
    for them."""
    attach(database.session_factory, actor)


def sign_out(database: db.Database) -> None:
    detach(database.session_factory)


def signed_in(database: db.Database) -> Actor | None:
    return attached(database.session_factory)
