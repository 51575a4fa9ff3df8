"""Who works in the main window, and what their roles let them do: File > Switch user and
Sign out, Tools > Users (administrators), the signed-in person in the title and status bar,
and the window's actions a person's roles do not allow disabled with the reason (the core
refuses them anyway: this only saves a person from filling in a form they cannot save).
A mixin of :class:`ui.main_window.MainWindow`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox
from sqlalchemy.orm import Session

from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.actor import Actor
from genebank.users.roles import Right, roles_holding
from ui import messages, operations, signing_in

if TYPE_CHECKING:
    from ui.dialogs.users_dialog import PersonDialog, UsersDialog


class PeopleActions:
    """The window provides ``database``, ``settings``, ``menuBar``, ``statusBar``,
    ``_action``, ``_update_title`` and ``tr``; it calls :meth:`_build_people_actions`
    once and :meth:`_apply_rights` whenever the database, the person or the selection
    changes. ``rights`` maps each action to the right it needs."""

    def _build_people_actions(self, file_menu: QMenu, before: QAction) -> None:
        self.switch_user_action = self._action(
            self.tr("S&witch user…"), self.switch_user, None,
            self.tr("Sign in as another person"))
        self.sign_out_action = self._action(self.tr("Sign &out"),
                                            self.sign_out)
        self.own_password_action = self._action(self.tr("Change my &password…"),
                                                self.change_own_password)
        file_menu.insertActions(before, [self.switch_user_action, self.sign_out_action,
                                         self.own_password_action])
        file_menu.insertSeparator(before)
        self.tools_menu = QMenu(self.tr("&Tools"), self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.tools_menu)
        self.tools_menu.setToolTipsVisible(True)
        self.users_action = self._action(
            self.tr("&Users…"), self.show_users, None,
            self.tr("People, their roles and passwords"))
        self.tools_menu.addAction(self.users_action)
        self.user_label = QLabel(self)
        self.user_label.setObjectName("signed_in_user")
        self.statusBar().addPermanentWidget(self.user_label)
        self.rights: dict[QAction, Right] = {}
        self._people = (False, False)  # (the database has people, its sign-in required)
        self.own_password_write: operations.Write[None] | None = None

    # Who ----------------------------------------------------------------------------------
    def _read_people(self) -> None:
        """What the open database says of its people (a short read: two counts)."""
        def state(session: Session) -> tuple[bool, bool]:
            return (accounts.people_kept_here(session)
                    and not accounts.needs_first_administrator(session),
                    accounts.sign_in_required(session))

        self._people = operations.read_now(self.database, state,
                                           operation=self.tr("Opening the database"))

    def signed_in(self) -> Actor | None:
        return signing_in.signed_in(self.database)

    def _reread_person(self) -> None:
        """The signed-in person as the database has them now (a short read by key), at
        each refresh: an administrator on another workstation may have given them other
        roles, and the greying follows; one disabled meanwhile is signed out. Every write
        reads their roles again anyway (:func:`genebank.users.actor.as_now`)."""
        actor = self.signed_in()
        if actor is None or actor.user_id is None:
            return
        try:
            now = operations.read_now(self.database,
                                      lambda session: accounts.person_now(session, actor),
                                      operation=self.tr("Reading who is signed in"))
        except Exception:  # the table's own refresh says what failed
            return
        if now == actor:
            return
        if now is None:
            signing_in.sign_out(self.database)
            self.statusBar().showMessage(self.tr(
                "{0} has been disabled by an administrator: signed out").format(actor.name),
                15000)
        else:
            signing_in.attach_person(self.database, now)
        self._person_changed()

    def signed_in_text(self) -> str:
        """Who works, for the title and the status bar ("" when nobody signs in here)."""
        actor = self.signed_in()
        has_people, required = self._people
        if actor is not None:
            roles = ", ".join(signing_in.role_word(role) for role in sorted(actor.roles))
            return self.tr("Signed in: {0} ({1})").format(actor.name, roles)
        if required:
            return self.tr("Signed out")
        if has_people:
            return self.tr("Sign-in off")
        return ""

    def why_not(self, right: Right) -> str | None:
        """Why the person may not do what needs ``right`` (None: they may), in the core's
        words."""
        required = self._people[1]
        actor = self.signed_in()
        if actor is None:
            if not required:
                return None  # nobody signs in: as before sign-in, the one person does all
            return self.tr("Sign in first (File > Switch user)")
        if actor.may(right):
            return None
        return messages.say(Refused("not_allowed", user=actor.name, right=right.value,
                                    roles=[role.value for role in roles_holding(right)]))

    def _apply_rights(self) -> None:
        """Enable each action the person's roles allow (and the window's own conditions,
        in ``_conditions``); the others say why in their tooltip and status tip."""
        conditions = self._conditions()
        for action, right in self.rights.items():
            reason = self.why_not(right)
            action.setEnabled(reason is None and conditions.get(action, True))
            tip = action.property("own_tip") if action.property("own_tip") is not None \
                else action.statusTip()
            action.setProperty("own_tip", tip)
            action.setToolTip(reason or tip or action.text().replace("&", ""))
            action.setStatusTip(reason or tip)
        has_people, required = self._people
        self.switch_user_action.setVisible(required)
        self.sign_out_action.setVisible(required)
        self.sign_out_action.setEnabled(self.signed_in() is not None)
        self.own_password_action.setVisible(required and self.database.is_sqlite)
        self.own_password_action.setEnabled(self.signed_in() is not None)
        users_reason = None if has_people else self.tr(
            "This database has no people yet: it asks for its administrator when it opens")
        users_reason = users_reason or self.why_not(Right.MANAGE_USERS)
        self.users_action.setEnabled(users_reason is None)
        self.users_action.setToolTip(users_reason or self.tr("People, their roles and passwords"))
        self.user_label.setText(self.signed_in_text())

    # File > Switch user, Sign out ---------------------------------------------------------
    def sign_out(self) -> None:
        """Nobody works in the window any more: every change is refused until someone
        signs in (File > Switch user)."""
        signing_in.sign_out(self.database)
        self._person_changed()

    def switch_user(self) -> bool:
        """Sign out, then ask who signs in (Cancel leaves the window signed out)."""
        signing_in.sign_out(self.database)
        signed = signing_in.ask_sign_in(self, self.database, self.settings)
        self._person_changed()
        return signed

    def _person_changed(self) -> None:
        for window in (self.attention, self.training):
            if window is not None:  # opened as the one before: they may show or allow more
                window.close()
        self._update_title()
        self._apply_rights()

    def change_own_password(self) -> PersonDialog:
        """The signed-in person's new password, given their current one (SQLite: a
        server will keep its own)."""
        from ui.dialogs.users_dialog import PersonDialog

        actor = self.signed_in()
        dialog = PersonDialog(self, name=actor.name if actor else "", own=True)

        def change() -> None:
            old, new = dialog.old.text(), dialog.password.text()
            write = operations.Write(
                self, self.database, lambda session: accounts.change_own_password(
                    session, old=old, new=new),
                operation=self.tr("Changing my password"), changes=operations.Changed())
            write.success(lambda _none: self.statusBar().showMessage(
                self.tr("Your password was changed"), 10000))
            write.failure(lambda text, _error: QMessageBox.warning(
                self, self.tr("Password not changed"), text))
            self.own_password_write = write.run()

        dialog.accepted.connect(change)
        dialog.open()
        return dialog

    # Tools > Users ------------------------------------------------------------------------
    def show_users(self) -> UsersDialog:
        from ui.dialogs.users_dialog import UsersDialog

        dialog = UsersDialog(self.database, self)
        dialog.signed_in_changed.connect(self._person_changed)
        dialog.setModal(True)
        dialog.show()
        return dialog
