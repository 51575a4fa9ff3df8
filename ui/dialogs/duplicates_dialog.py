"""The way out of duplicate accessions, in the window: what ``genebank resolve-duplicates``
does from the command line.

An older database may hold one accession twice, written differently (``KZ-0001`` and
``kz-0001``); the upgrade that makes each accession's identity unique (schema 0008) stops
there without changing anything (:class:`DuplicateAccessions`). This dialog lists the groups
it found, explains the two ways out (renumber all but the oldest of each group, keeping the
old number in OTHERNUMB; or remove exact copies) and runs the one chosen through
:func:`identity_collisions.resolve_database`, the careful path the command takes (a SQLite
file is checked and backed up first), off the GUI thread. The caller then opens the database
again, which upgrades it.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genebank import backup, db
from genebank.passport import identity_collisions
from genebank.passport.identity_collisions import DuplicateAccessions, Resolved
from ui import file_dialogs, messages
from ui.views.command_link import CommandLink

SQLITE_FILTER = "Genebank databases (*.sqlite *.db);;All files (*)"
SHOWN_GROUPS = 500  # more are in the list file the refusal names


def tr(text: str) -> str:
    return QCoreApplication.translate("DuplicatesDialog", text)


class DuplicateAccessionsDialog(QDialog):
    """The groups, the two ways out, and (for a server) a backup first."""

    RENAME, MERGE, BACKUP = "rename", "merge", "backup"

    def __init__(self, duplicates: DuplicateAccessions, *, on_server: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicate_accessions")
        self.setWindowTitle(tr("Accessions stored twice"))
        self.setMinimumWidth(640)
        self.choice: str | None = None
        groups = duplicates.groups
        layout = QVBoxLayout(self)
        heading = QLabel(tr("{0} holds {1} group(s) of accessions that are one accession "
                            "written differently.").format(_where(duplicates.params),
                                                           len(groups)), self)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        why = QLabel(tr("This version of Genebank keeps one identity per accession: capitals "
                        "and the way characters are written no longer make another number. "
                        "The database cannot be upgraded until each group is one accession. "
                        "Nothing has been changed yet."), self)
        why.setWordWrap(True)
        layout.addWidget(why)
        self.groups = self._group_tree(duplicates)
        layout.addWidget(self.groups, 1)
        self.buttons: dict[str, CommandLink] = {}
        for choice, title, detail in (
                (self.RENAME, tr("Renumber the newer ones"),
                 tr("In each group the oldest accession keeps its number; each other one "
                    "becomes <number>-2, -3… and keeps its old number among its other "
                    "numbers (OTHERNUMB), so searches and labels still find it.")),
                (self.MERGE, tr("Remove exact copies"),
                 tr("A newer accession is removed only when it is a copy of the oldest one "
                    "(the same passport data, its number spelt differently) with no seed "
                    "lots, tests or other records. Other groups are left as they are and "
                    "listed here again."))):
            button = CommandLink(title, detail, self)
            button.setObjectName(choice)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        safety = QLabel(tr(
            "The change is made in one transaction. Back up the server database first.")
            if on_server else tr("The file is checked and backed up beside it first, then "
                                 "upgraded and opened."), self)
        safety.setWordWrap(True)
        layout.addWidget(safety)
        self.details = QLabel(_where_listed(duplicates), self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.details)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.backup_button: QPushButton | None = None
        if on_server:
            self.backup_button = box.addButton(tr("Back up first…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
            self.backup_button.clicked.connect(lambda: self._choose(self.BACKUP))
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def _group_tree(self, duplicates: DuplicateAccessions) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("groups")
        tree.setHeaderLabels([tr("Accession number"), tr("Institute"), tr("Name"),
                              tr("Created"), tr("By")])
        tree.setRootIsDecorated(True)
        for group in duplicates.groups[:SHOWN_GROUPS]:
            numbers = ", ".join(a.accenumb for a in group.accessions)
            top = QTreeWidgetItem(tree, [tr("{0} accessions: {1}").format(
                len(group.accessions), numbers)])
            top.setFirstColumnSpanned(True)
            for position, accession in enumerate(group.accessions):
                number = accession.accenumb if position else tr("{0} (oldest)").format(
                    accession.accenumb)
                QTreeWidgetItem(top, [
                    number, accession.instcode, "; ".join(accession.names),
                    f"{accession.created_at:%Y-%m-%d %H:%M}" if accession.created_at else "",
                    accession.created_by])
        tree.expandAll()
        for column, width in enumerate((150, 80, 150, 120)):
            tree.setColumnWidth(column, width)
        tree.setMinimumHeight(140)
        return tree

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def _where(params: dict[str, object]) -> str:
    """The database, as the heading names it: a file by its path, a server by its address."""
    if params.get("path"):
        return f"'{params['path']}'"
    return tr("the database {0}").format(params.get("shown"))


def _why_unlisted(params: dict[str, object]) -> str:
    """Why the groups' list was not written, in the user's language when the writer's
    problem is coded (its ``cause``)."""
    cause = params.get("cause")
    if isinstance(cause, dict):
        problem = SimpleNamespace(code=cause.get("code"), params=cause.get("params"),
                                  message=params.get("reason"))
        return messages.problem_text(problem).removesuffix(". Nothing was written")
    return str(params.get("reason") or "")


def _where_listed(duplicates: DuplicateAccessions) -> str:
    """Where the groups' list was written (or why it could not be), and the command line's
    way out, for whoever resolves them there."""
    params = duplicates.params
    listed = (tr("Their list is in '{0}'.").format(params["listing"]) if params.get("listing")
              else tr("Their list could not be written ({0}).").format(_why_unlisted(params)))
    return listed + " " + tr("From the command line: genebank --database {0} "
                             "resolve-duplicates --rename (or --merge).").format(
        params["database"])


def resolve(parent: QWidget | None, url: str, duplicates: DuplicateAccessions, *,
            upgrade_confirmed: bool = False) -> bool | None:
    """Ask which way out, then take it (backed up first, off the GUI thread) and say what
    was done. None when the person cancelled or the resolution failed (they were told
    why); else whether the owner has confirmed the upgrade meanwhile (on a server only its
    owner resolves, once a backup is confirmed), so that opening again does not ask twice."""
    from ui import database_opening  # it opens through this module

    url = db.normalise_url(url)  # a path as typed after --database, or a URL
    on_server = db.sqlite_path(url) is None
    dialog = DuplicateAccessionsDialog(duplicates, on_server=on_server, parent=parent)
    try:
        while True:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            if dialog.choice != dialog.BACKUP:
                break
            _back_up_server(parent, url)
        rename = dialog.choice == dialog.RENAME
    finally:
        dialog.deleteLater()
    while True:
        try:
            resolved = database_opening.in_background(
                parent, tr("Renumbering the newer accessions of each group…") if rename
                else tr("Removing exact copies…"),
                lambda _progress, confirmed=upgrade_confirmed:
                    identity_collisions.resolve_database(
                        url, rename=rename, user=db.current_user(),
                        upgrade_confirmed=confirmed))
            break
        except db.NeedsUpgrade as needed:  # on a server its owner confirms a backup first
            if upgrade_confirmed or not needed.params.get("is_owner") \
                    or not database_opening.confirm_server_upgrade(parent, url, needed):
                if not needed.params.get("is_owner"):
                    QMessageBox.warning(parent, tr("Duplicates not resolved"),
                                        messages.say(needed))
                return None
            upgrade_confirmed = True
        except db.DatabaseError as error:
            QMessageBox.warning(parent, tr("Duplicates not resolved"), messages.say(error))
            return None
    QMessageBox.information(parent, tr("Accessions stored twice"), summary(resolved))
    return upgrade_confirmed


def _back_up_server(parent: QWidget | None, url: str) -> None:
    from ui import database_opening

    path, _ = file_dialogs.get_save_file_name(
        parent, tr("Back up the database"),
        str(Path.home() / "genebank-before-resolving.sqlite"), SQLITE_FILTER)
    if not path:
        return
    target = Path(path)
    replace = target.exists()  # the save dialog asked, and the person said Replace
    try:
        made = database_opening.in_background(
            parent, tr("Backing up…"),
            lambda _progress: backup.backup_server(url, target, replace=replace))
    except db.DatabaseError as error:
        QMessageBox.warning(parent, tr("Backup failed"), messages.say(error))
        return
    QMessageBox.information(parent, tr("Backed up"), tr("Backed up to {0}").format(made))


def summary(resolved: Resolved) -> str:
    """What the resolution did, in the words of the command's report."""
    result = resolved.resolution
    lines = []
    if resolved.backup is not None:
        lines.append(tr("The database was backed up first to {0}.").format(resolved.backup))
    if result.renamed:
        lines.append(tr("Renumbered {0} accession(s); each keeps its old number among its "
                        "other numbers:").format(len(result.renamed)))
        lines += [f"  {old} → {new}" for _id, old, new in result.renamed]
    if result.removed:
        lines.append(tr("Removed {0} exact cop(ies):").format(len(result.removed)))
        lines += [tr("  {0} (a copy of accession {1})").format(number, kept)
                  for _id, number, kept in result.removed]
    if result.left:
        lines.append(tr("{0} group(s) are not exact copies and stay as they are: renumber "
                        "them, or correct the records.").format(len(result.left)))
    if not resolved.groups:
        lines.append(tr("No accessions share one identity any more: nothing to resolve."))
    return "\n".join(lines)
