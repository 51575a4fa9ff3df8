"""Every setting the GUI keeps (QSettings), typed, with its default, in one place."""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QSettings

# 2: recent databases are kept without passwords (older versions kept them in clear).
SETTINGS_VERSION = 2
MAX_RECENT = 8


def without_password(url: str) -> str:
    """``url`` without its password (:func:`genebank.connection_urls.without_password`),
    which is imported (with SQLAlchemy) only for a URL that could hold one: a file path or a
    URL without a password is kept as it is (the list holds them as that function wrote
    them), and the start shows its first dialog sooner."""
    if not _has_password(url):
        return url
    from genebank import connection_urls

    return connection_urls.without_password(url)


def _has_password(url: str) -> bool:
    if "@" not in url or "://" not in url:  # a file path, or no user@ part
        return False
    try:
        return urlsplit(url).password is not None
    except ValueError:
        return True  # not read: treated as holding one


class Settings:
    """Typed access to the user's settings. Pass a QSettings to use another store (tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("Genebank", "Genebank")
        self._forget_passwords()
        if int(self._store.value("settings_version", 0)) < SETTINGS_VERSION:
            self._store.setValue("settings_version", SETTINGS_VERSION)

    def _forget_passwords(self) -> None:
        """Rewrite, on every load, a recent list that holds a password (kept by an older
        version, or copied in by hand): the URL stays, the password goes, from the file."""
        stored = self._stored_recent()
        if any(without_password(url) != url for url in stored):
            self._store.setValue("recent_databases", self.recent_databases)
            self._store.sync()

    def _stored_recent(self) -> list[str]:
        value = self._store.value("recent_databases", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v]

    @property
    def recent_databases(self) -> list[str]:
        """Databases opened lately, newest first, without any password."""
        return list(dict.fromkeys(without_password(url) for url in self._stored_recent()))

    def add_recent_database(self, url: str) -> None:
        url = without_password(url)
        items = [url, *[u for u in self.recent_databases if u != url]][:MAX_RECENT]
        self._store.setValue("recent_databases", items)

    def remove_recent_database(self, url: str) -> None:
        url = without_password(url)
        self._store.setValue("recent_databases", [u for u in self.recent_databases if u != url])

    @property
    def last_database(self) -> str | None:
        recent = self.recent_databases
        return recent[0] if recent else None

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._store.value("main_window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._store.setValue("main_window/geometry", value)

    @property
    def table_header_state(self) -> QByteArray | None:
        value = self._store.value("main_window/table_header")
        return value if isinstance(value, QByteArray) else None

    @table_header_state.setter
    def table_header_state(self, value: QByteArray) -> None:
        self._store.setValue("main_window/table_header", value)

    @property
    def saved_mappings(self) -> dict[str, object]:
        """Column mappings older versions saved on this workstation (name -> {column
        heading: MCPD code}); they are moved into the database it opens
        (:mod:`ui.mappings_move`), where every workstation has them."""
        try:
            value = json.loads(str(self._store.value("import/saved_mappings", "{}")))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def forget_mappings(self, names: Iterable[str]) -> None:
        """Remove mappings from this workstation's settings (once in the database)."""
        gone = set(names)
        left = {name: m for name, m in self.saved_mappings.items() if name not in gone}
        if left:
            self._store.setValue("import/saved_mappings", json.dumps(left))
        else:
            self._store.remove("import/saved_mappings")
        self._store.sync()

    @property
    def last_user_name(self) -> str:
        """The name last signed in with on this workstation (never a password): the sign-in
        dialog offers it."""
        return str(self._store.value("sign_in/last_user", ""))

    @last_user_name.setter
    def last_user_name(self, name: str) -> None:
        self._store.setValue("sign_in/last_user", name)

    def sign_in_hint(self, wanted: str) -> str | None:
        """The name the sign-in dialog gave the database ``wanted`` (as asked for: a path,
        a URL) when it was last opened, if it asked who signs in then; None otherwise. The
        start shows that dialog at once, while the rest of the app loads (start-up)."""
        hints = self._sign_in_hints()
        return hints.get(wanted) if isinstance(hints.get(wanted), str) else None

    def set_sign_in_hint(self, wanted: str, display_name: str | None) -> None:
        """Remember whether ``wanted`` asked who signs in (``display_name``: its name in
        the dialog) or not (None). Never for a URL holding a password."""
        if _has_password(wanted):
            return
        hints = self._sign_in_hints()
        if display_name is None:
            hints.pop(wanted, None)
        else:
            hints[wanted] = display_name
        self._store.setValue("sign_in/asked", json.dumps(hints))

    def _sign_in_hints(self) -> dict[str, object]:
        try:
            value = json.loads(str(self._store.value("sign_in/asked", "") or "{}"))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def last_folder(self) -> str:
        return str(self._store.value("files/last_folder", ""))

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        self._store.setValue("files/last_folder", folder)

    def sync(self) -> None:
        self._store.sync()
