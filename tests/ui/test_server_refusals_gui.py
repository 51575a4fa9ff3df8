"""The window says what a PostgreSQL server that answered refused, as the CLI does: a role
that may not sign in, and a role without table rights (a read is not "refused the change")."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.genebank.test_server_refusals import (  # noqa: F401 (fixtures)
    as_role,
    genebank_database,
    roles,
    statement_error,
)
from tests.ui import shots
from ui import database_opening, messages

pytestmark = pytest.mark.postgres
SHOTS = shots.folder("server_refusals_gui")


def test_say_words_a_refused_read_and_a_refused_change(
        roles: dict[str, str], genebank_database: str) -> None:  # noqa: F811
    url = as_role(genebank_database, roles["login"])
    change = messages.say(statement_error(
        url, "UPDATE alembic_version SET version_num = version_num"),
        operation="Saving KZ-1", database=url)
    read = messages.say(statement_error(url, "SELECT * FROM accession"), database=url)
    assert change.startswith(f"Saving KZ-1: you may not change '{url}' (signed in as "
                             f"{roles['login']}: permission denied for table alembic_version)")
    assert read.startswith(f"You may not read '{url}' (signed in as {roles['login']}: "
                           "permission denied for table accession)")
    for said in (change, read):
        assert "refused the change" not in said and "cannot reach" not in said
        assert f"Ask whoever runs the server to grant {roles['login']} access" in said


@pytest.mark.parametrize("who", ["nologin", "login"])
def test_opening_in_the_window_says_what_the_server_refused(
        qtbot: QtBot, roles: dict[str, str], genebank_database: str,  # noqa: F811
        who: str, message_boxes: list[str]) -> None:
    """File > Open of a server database as a NOLOGIN role, then as a role without table
    rights: the warning says which, and nothing opens."""
    url = as_role(genebank_database, roles[who])
    assert database_opening.open_interactively(None, url) is None
    assert len(message_boxes) == 1
    text = message_boxes[0]
    assert "cannot reach" not in text and "refused the change" not in text
    if who == "nologin":
        assert text.startswith(f"The PostgreSQL server {url.split('@')[1].split('/')[0]} "
                               f"answered, but refused to sign in {roles['nologin']} (role "
                               f"\"{roles['nologin']}\" is not permitted to log in)")
    else:
        assert text.startswith(f"You may not read '{url}' (signed in as {roles['login']}")
    # The box as the window shows it (the test's fixture keeps it from blocking).
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open the database", text)
    qtbot.addWidget(box)
    box.show()
    SHOTS.mkdir(exist_ok=True)
    box.grab().save(str(SHOTS / f"open-as-{who}.png"))
