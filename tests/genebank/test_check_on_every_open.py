"""A SQLite file at the current schema with a damaged page is refused when it is opened,
with the same advice as before an upgrade, and left as it was (the check used to run only
before an upgrade). A large file is checked within a time budget, schema first."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import cli, database_file, db
from tests.genebank.test_opening import companions, damage_a_page, digest


def current_file(path: Path, rows: int = 400) -> Path:
    from genebank.models import Base

    database = db.open_database(db.sqlite_url(path), create=True)
    with database.engine.begin() as connection:
        connection.execute(Base.metadata.tables["institute"].insert(), [
            {"code": f"XYZ{n:04d}", "name": f"Institute number {n}", "address": "x" * 80}
            for n in range(rows)])
    database.close()
    return path


def test_a_damaged_current_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = current_file(tmp_path / "genebank.sqlite")
    damage_a_page(path, "institute")
    before = digest(path)
    with pytest.raises(db.DatabaseDamaged) as refused:
        db.open_database(str(path), create=False)
    message = str(refused.value)
    assert refused.value.code == "database_damaged_integrity" and refused.value.params["problems"]
    assert str(path) in message and "latest backup" in message and ".recover" in message
    assert digest(path) == before and companions(path) == []


def test_the_command_line_says_so_in_one_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = current_file(tmp_path / "genebank.sqlite")
    damage_a_page(path, "institute")
    assert cli.main(["--database", str(path), "stats"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "is damaged" in err


def test_a_large_file_is_checked_table_by_table(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Past FULL_CHECK_BYTES the schema and then the tables are checked one by one: the
    damaged table is still found within the budget; a sound file passes."""
    monkeypatch.setattr(database_file, "FULL_CHECK_BYTES", 0)
    sound = current_file(tmp_path / "sound.sqlite")
    assert database_file.opening_problems(sound) == []
    db.open_database(str(sound), create=False).close()
    damaged = current_file(tmp_path / "damaged.sqlite")
    damage_a_page(damaged, "institute")
    assert database_file.opening_problems(damaged, budget=30)
    with pytest.raises(db.DatabaseDamaged):
        db.open_database(str(damaged), create=False)


def test_without_time_only_the_small_tables_are_checked(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """No time left: the empty tables are still checked (a damaged one is found); a table
    with rows is not started, but the descent that sizes it still finds a damaged root."""
    monkeypatch.setattr(database_file, "FULL_CHECK_BYTES", 0)
    checked: list[str | None] = []
    real = database_file._quick_check
    monkeypatch.setattr(database_file, "_quick_check",
                        lambda connection, table: checked.append(table) or real(connection,
                                                                                 table))
    path = current_file(tmp_path / "genebank.sqlite", rows=3000)
    assert database_file.opening_problems(path, budget=0) == []
    assert "certificate" in checked and "institute" not in checked
    damage_a_page(path, "certificate")  # empty
    assert database_file.opening_problems(path, budget=0)
    path = current_file(tmp_path / "second.sqlite", rows=3000)
    damage_a_page(path, "institute")  # 3,000 rows
    assert database_file.opening_problems(path, budget=0)
