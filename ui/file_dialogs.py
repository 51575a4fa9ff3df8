"""Every file dialog of the app: Qt's own, with icons and types told by the file's name only.

Why: Qt's default icon provider asks the MIME database what each listed file is, and that
opens and reads the file. Closing any descriptor of a file drops all of this process's POSIX
locks on it, so listing the folder that holds the open SQLite database silently dropped the
app's locks; the next other process to close the database then deleted the -wal/-shm files
the app still wrote into, and its later writes reached no one and were lost (QA finding 1).
A provider that never touches the files keeps the locks. Windows locks with LockFileEx,
which a stray open/close does not drop, but one dialog everywhere is simpler to trust.

Call sites use these functions, never QFileDialog's static ones (tests/test_architecture.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QFileInfo, QMimeDatabase
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and the Type column from the name and stat() alone: no file is ever opened
    (QMimeDatabase's MatchExtension reads the name only; its default mode reads content)."""

    def __init__(self) -> None:
        super().__init__()
        self.standard = QFileIconProvider()  # its IconType icons come from the style only
        self.mime_types = QMimeDatabase()

    def icon(self,  # type: ignore[override]  # PySide6 types the two overloads apart
             what: QAbstractFileIconProvider.IconType | QFileInfo) -> QIcon:
        """The style's folder, drive or file icon: the IconType overload reads no file."""
        kind = QAbstractFileIconProvider.IconType
        if isinstance(what, QFileInfo):
            what = kind.Drive if what.isRoot() else kind.Folder if what.isDir() else kind.File
        return self.standard.icon(what)

    def type(self, info: QFileInfo) -> str:
        """The MIME type's name as the suffix tells it ("Excel 2007 spreadsheet"), never sniffed."""
        if info.isDir():
            return QCoreApplication.translate("FileDialogs", "Folder")
        named = self.mime_types.mimeTypeForFile(info.fileName(),
                                                QMimeDatabase.MatchMode.MatchExtension)
        if not named.isDefault():
            return named.comment()
        if info.suffix():
            return QCoreApplication.translate("FileDialogs", "{0} File").format(
                info.suffix().upper())
        return QCoreApplication.translate("FileDialogs", "File")


def file_dialog(parent: QWidget | None, caption: str, directory: str = "",
                name_filter: str = "") -> QFileDialog:
    """Qt's own dialog (a native one would take no icon provider) that opens no file."""
    dialog = QFileDialog(parent, caption, directory, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    provider = NameOnlyIconProvider()
    dialog.setIconProvider(provider)
    dialog.icon_provider_ = provider  # type: ignore[attr-defined]  # Qt does not own it
    return dialog


def _chosen(dialog: QFileDialog) -> tuple[str, str]:
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return "", ""
    return dialog.selectedFiles()[0], dialog.selectedNameFilter()


def get_open_file_name(parent: QWidget | None, caption: str, directory: str = "",
                       name_filter: str = "") -> tuple[str, str]:
    """QFileDialog.getOpenFileName, without opening the files it lists."""
    dialog = file_dialog(parent, caption, directory, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _chosen(dialog)


def get_save_file_name(parent: QWidget | None, caption: str, directory: str = "",
                       name_filter: str = "") -> tuple[str, str]:
    """QFileDialog.getSaveFileName, without opening the files it lists."""
    dialog = file_dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return _chosen(dialog)


def get_existing_directory(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """QFileDialog.getExistingDirectory, without opening the files it lists."""
    dialog = file_dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    return _chosen(dialog)[0]
