"""What the training window lets a person do, greyed by their rights as the main window
greys its menus (:mod:`ui.people_actions`): a button a person's roles do not allow is
disabled, its tooltip saying why in the core's words, and the participants' personal data
(names, e-mails, rosters, the certificate register) is not even read for a person without
the right to read it: they see how many people there are, not who."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton
from sqlalchemy.orm import Session, sessionmaker

from genebank.services.refusals import Refused
from genebank.users.actor import attached
from genebank.users.roles import Right, roles_holding
from ui import messages

WhyNot = Callable[[Right], "str | None"]  # why the person may not (None: they may)
Control = QAbstractButton | QAction  # a button, or an entry of a menu


def why_not_of(factory: sessionmaker[Session]) -> WhyNot:
    """Why the person signed in on ``factory`` may not do what needs a right (None: they
    may; nobody signed in: the core decides, as before sign-in)."""
    def why_not(right: Right) -> str | None:
        actor = attached(factory)
        if actor is None or actor.may(right):
            return None
        return messages.say(Refused("not_allowed", user=actor.name, right=right.value,
                                    roles=[role.value for role in roles_holding(right)]))
    return why_not


class Greying:
    """Buttons (or menu entries) and the right each needs; :meth:`apply` enables each the
    person may use (and whose own condition holds), the others saying why in their
    tooltip."""

    def __init__(self, why_not: WhyNot) -> None:
        self.why_not = why_not
        self.rights: dict[Control, Right] = {}
        self.tips: dict[Control, str] = {}

    def needs(self, button: Control, right: Right) -> Control:
        self.rights[button] = right
        self.tips[button] = button.toolTip()
        return button

    def allowed(self, button: Control) -> bool:
        right = self.rights.get(button)
        return right is None or self.why_not(right) is None

    def apply(self, condition: Callable[[Control], bool] = lambda _b: True) -> None:
        for button, right in self.rights.items():
            reason = self.why_not(right)
            button.setEnabled(reason is None and condition(button))
            button.setToolTip(reason or self.tips[button])
