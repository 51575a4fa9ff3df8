"""``genebank users`` and ``--user`` as separate processes, as a script or a technician runs
them: a first administrator, people with French, Russian and Arabic names, imports refused
without a sign-in, with a wrong password, for a role lacking the right or a disabled person,
and the last administrator kept."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

FILES = Path(__file__).resolve().parents[1] / "files" / "formats"
RUSSIAN_CSV = FILES / "russian_cp1251.csv"  # as Russian Excel saves "CSV": cp1251, ';'


def genebank(database: Path, *args: str, user: str | None = None,
             password: str | None = None,
             new_password: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("GENEBANK_") or k == "GENEBANK_TEST_POSTGRES_URL"}
    environment["PYTHONIOENCODING"] = "utf-8"
    if password is not None:
        environment["GENEBANK_PASSWORD"] = password
    if new_password is not None:
        environment["GENEBANK_NEW_PASSWORD"] = new_password
    signed = ["--user", user] if user else []
    return subprocess.run([sys.executable, "-m", "genebank.cli", "--database", str(database),
                           *signed, *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, env=environment, encoding="utf-8")


def refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The one plain line of a refusal (exit 1, no traceback)."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def accessions(database: Path) -> str:
    result = genebank(database, "stats")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[0]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A file with its administrator (typed decomposed, as some keyboards send it) and a
    curator with a Cyrillic name."""
    path = tmp_path / "équipe.sqlite"
    assert genebank(path, "init").returncode == 0
    made = genebank(path, "users", "add", unicodedata.normalize("NFD", "Françoise"),
                    "--roles", "administrator", "--display-name", "Françoise Dubois",
                    new_password="motdepasse-1")
    assert made.returncode == 0 and made.stdout.strip() == "Added Françoise (administrator)"
    made = genebank(path, "users", "add", "Айгерим", "--roles", "curator,seed-laboratory",
                    user="FRANÇOISE", password="motdepasse-1", new_password="пароль-2026")
    assert made.returncode == 0, made.stderr
    return path


def test_a_database_with_people_refuses_changes_without_a_sign_in(database: Path) -> None:
    line = refusal(genebank(database, "import-mcpd", str(RUSSIAN_CSV), "--encoding",
                            "cp1251"))
    assert line == ("genebank: this database requires signing in: give --user NAME (the "
                    "password from the prompt or $GENEBANK_PASSWORD); nothing was changed")
    assert accessions(database) == "Accessions: 0"
    line = refusal(genebank(database, "import-mcpd", str(RUSSIAN_CSV), "--encoding",
                            "cp1251", user="Айгерим"))  # no terminal to ask at
    assert "no password for 'Айгерим': set $GENEBANK_PASSWORD" in line


def test_a_wrong_password_a_missing_right_and_a_disabled_person_are_refused(
        database: Path) -> None:
    args = ("import-mcpd", str(RUSSIAN_CSV), "--encoding", "cp1251")
    assert refusal(genebank(database, *args, user="айгерим", password="пароль-2025")) == \
        "genebank: the user name or the password is wrong"
    assert refusal(genebank(database, *args, user="Françoise", password="motdepasse-1")) \
        == ("genebank: Françoise may not change passport data: that needs the role curator; an "
            "administrator can give it")
    assert accessions(database) == "Accessions: 0"
    imported = genebank(database, *args, user="АЙГЕРИМ", password="пароль-2026")
    assert imported.returncode == 0 and "2 created" in imported.stdout
    assert accessions(database) == "Accessions: 2"
    assert genebank(database, "users", "disable", "айгерим", user="françoise",
                    password="motdepasse-1").stdout.strip() == "Айгерим is disabled"
    assert refusal(genebank(database, *args, user="Айгерим", password="пароль-2026")) == \
        "genebank: 'Айгерим' is disabled: an administrator can enable them again"


def test_people_are_listed_given_roles_and_the_last_administrator_stays(
        database: Path) -> None:
    admin = {"user": "Françoise", "password": "motdepasse-1"}
    made = genebank(database, "users", "add", "عائشة", "--roles", "trainer",
                    new_password="كلمة-السر-1", **admin)
    assert made.returncode == 0 and made.stdout.strip() == "Added عائشة (trainer)"
    assert refusal(genebank(database, "users", "disable", "FRANÇOISE", **admin)) == \
        ("genebank: 'Françoise' is the last administrator of this database: make someone "
         "else administrator first")
    assert refusal(genebank(database, "users", "set-roles", "Айгерим", "superuser",
                            **admin)).startswith("genebank: 'superuser' is not a role")
    assert genebank(database, "users", "set-roles", "عائشة", "trainer,administrator",
                    **admin).returncode == 0
    assert genebank(database, "users", "disable", "Françoise", user="عائشة",
                    password="كلمة-السر-1").returncode == 0
    listed = genebank(database, "users", "list", user="عائشة", password="كلمة-السر-1")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        "Françoise | Françoise Dubois | administrator | disabled",
        "Айгерим |  | curator,seed_laboratory | enabled",
        "عائشة |  | administrator,trainer | enabled"]
    reset = genebank(database, "users", "reset-password", "айгерим", user="عائشة",
                     password="كلمة-السر-1", new_password="новый-пароль")
    assert reset.returncode == 0
    assert genebank(database, "settings", "own-instcodes", "KAZ001", user="Айгерим",
                    password="новый-пароль").returncode == 1  # a curator: not settings


def test_a_one_person_file_may_turn_sign_in_off(tmp_path: Path) -> None:
    """Then commands need no --user, and records name that person."""
    path = tmp_path / "seul.sqlite"
    assert genebank(path, "init").returncode == 0
    assert genebank(path, "users", "add", "Hélène", "--roles", "administrator,curator",
                    new_password="un-mot-de-passe").returncode == 0
    assert genebank(path, "settings", "sign-in", "off", user="hélène",
                    password="un-mot-de-passe").stdout.strip() == "sign-in: off"
    imported = genebank(path, "import-mcpd", str(RUSSIAN_CSV), "--encoding", "cp1251")
    assert imported.returncode == 0, imported.stderr
    from genebank import db
    from genebank.passport import accessions as service

    opened = db.open_database(str(path), create=False)
    with opened.session_factory() as session:
        found = service.find_accession_id(session, instcode="KAZ001", accenumb="KZ-1")
        assert found is not None
        assert service.get_passport(session, found).created_by == "Hélène"
    opened.close()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal: POSIX only")
def test_at_a_terminal_a_database_without_people_asks_for_its_administrator(
        tmp_path: Path) -> None:
    """The first command that changes an upgraded database at a terminal asks for its
    administrator (the password twice, not echoed), signs them in and goes on: the setting
    is recorded by them, not by the login name."""
    import pty
    import sqlite3
    import time

    path = tmp_path / "avant.sqlite"
    assert genebank(path, "init").returncode == 0
    pid, terminal = pty.fork()
    if pid == 0:  # the child: genebank at a terminal
        os.execv(sys.executable, [sys.executable, "-m", "genebank.cli", "--database",
                                  str(path), "settings", "own-instcodes", "KAZ001"])
    seen = b""

    def answer(prompt: str, typed: str) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while prompt.encode() not in seen and time.monotonic() < deadline:
            seen += os.read(terminal, 1024)
        os.write(terminal, typed.encode() + b"\n")

    answer("user name: ", "Ольга")
    answer("New password for Ольга: ", "пароль-2026")
    answer("again: ", "пароль-2026")
    with contextlib.suppress(OSError):  # the child closed the terminal
        while chunk := os.read(terminal, 1024):
            seen += chunk
    assert os.waitpid(pid, 0)[1] == 0, seen.decode()
    assert "Added the administrator Ольга" in seen.decode()
    assert "пароль" not in seen.decode()  # never echoed
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT value, created_by FROM collection_setting") \
            .fetchall() == [("KAZ001", "Ольга")]
