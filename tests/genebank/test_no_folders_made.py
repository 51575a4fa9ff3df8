"""A typo never creates folders: a backup, File > New database or `genebank init` into a
folder that does not exist is refused with one plain line, and nothing appears on disk.
Only Genebank's own data folder is made when missing (the first start's own database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import cli, db, problems


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_backup_into_a_missing_folder_is_refused_and_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "genebank.sqlite"
    assert cli.main(["--database", str(source), "init"]) == 0
    capsys.readouterr()
    before = tree(tmp_path)
    target = tmp_path / "bakcups" / "2026" / "copy.sqlite"
    status = cli.main(["--database", str(source), "backup", str(target)])
    out, err = capsys.readouterr()
    assert status == 1 and out == "" and err.count("\n") == 1
    assert str(target.parent) in err and "does not exist" in err
    assert tree(tmp_path) == before


@pytest.mark.parametrize("how", ["new_database", "init"])
def test_a_new_database_in_a_missing_folder_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    """File > New database calls db.open_database(create=True); `genebank init` too."""
    path = tmp_path / "Documnets" / "genebank.sqlite"
    if how == "new_database":
        with pytest.raises(db.DatabaseMissing) as refused:
            db.open_database(db.sqlite_url(path), create=True)
        assert refused.value.code == "folder_missing"
        assert refused.value.params == {"path": str(path), "folder": str(path.parent)}
        assert str(refused.value) == problems.english("folder_missing",
                                                      refused.value.params)
    else:
        status = cli.main(["--database", str(path), "init"])
        out, err = capsys.readouterr()
        assert status == 1 and out == "" and err.count("\n") == 1
        assert str(path.parent) in err and "nothing was created" in err
    assert tree(tmp_path) == []


def test_genebanks_own_data_folder_is_made_on_the_first_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "data" / "Genebank" / "genebank.sqlite"
    monkeypatch.setattr(db, "default_database_path", lambda: own)
    db.open_database(db.sqlite_url(own), create=True).close()
    assert own.is_file()
