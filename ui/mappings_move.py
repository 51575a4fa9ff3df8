"""Column mappings that older versions kept in one workstation's settings, moved into the
database the window opens, once: there every workstation has them. Those the database
took are removed from the settings; one it could not take (not a mapping this version
can read) stays there and is named, and so do all when the database refuses the write
(the next database opened gets them)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow

from genebank import db
from genebank.services import import_mappings
from genebank.services.import_mappings import MovedMappings
from ui import operations
from ui.operations import Changed
from ui.settings import Settings


def tr(text: str) -> str:
    return QCoreApplication.translate("MappingsMove", text)


def move_into(window: QMainWindow, database: db.Database,
              settings: Settings) -> operations.Operation[MovedMappings] | None:
    """Start moving this workstation's saved mappings into ``database`` (None when there
    are none); the window's status bar says what became of them."""
    kept = settings.saved_mappings
    if not kept:
        return None

    def moved(result: MovedMappings) -> None:
        settings.forget_mappings(result.moved)
        said = [tr("This workstation's saved column mappings are now in the database, for "
                   "every workstation.")] if result.moved else []
        said += [tr("'{0}' was saved as '{1}' (the database has another mapping of that "
                    "name).").format(old, new) for old, new in result.renamed]
        if result.refused:
            said.append(tr("Not moved (not a mapping this version can use): {0}").format(
                ", ".join(result.refused)))
        window.statusBar().showMessage(" ".join(said), 20000)

    write = operations.Write(window, database,
                             lambda session: import_mappings.move_in(session, kept),
                             operation=tr("Moving the saved column mappings into the "
                                          "database"), changes=Changed())
    write.success(moved)
    write.failure(lambda text, _error: window.statusBar().showMessage(text, 20000))
    return write.run()
