"""A file that must not overwrite another (a backup) takes its name in one step: a file
another process creates under that name while the backup is being finished is kept, and
the backup is refused, also where the file system has no hard links."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from genebank.io import files

RIVAL = b"another program's file, written meanwhile"


def write_text(partial: Path) -> None:
    partial.write_bytes(b"the new file")


def rival_appears_before(monkeypatch: pytest.MonkeyPatch, target: Path,
                         names: tuple[str, ...]) -> None:
    """Whichever of os.<names> places the finished file first finds the rival there: it
    was created after write_whole looked, before the file was given its name."""
    for name in names:
        real = getattr(os, name)

        def placing(source: object, destination: object, *args: object,
                    _real: object = real, **kwargs: object) -> object:
            if Path(str(destination)) == target and not target.exists():
                target.write_bytes(RIVAL)
            return _real(source, destination, *args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(os, name, placing)


def test_a_file_created_between_the_check_and_the_rename_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "backup.sqlite"
    rival_appears_before(monkeypatch, target, ("replace", "rename", "link"))
    with pytest.raises(files.FileNotWritten) as refused:
        files.write_whole(target, write_text, check=lambda _p: None, overwrite=False)
    assert refused.value.code == "exists" and refused.value.params == {"path": str(target)}
    assert target.read_bytes() == RIVAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite"]  # no leftover


def no_hard_links(_source: object, _destination: object, *args: object,
                  **kwargs: object) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")  # what vfat says on Linux


def test_without_hard_links_a_new_name_is_still_claimed_in_one_step(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FAT memory stick: the file is written, and a name taken meanwhile is refused."""
    monkeypatch.setattr(os, "link", no_hard_links)
    target = tmp_path / "backup.sqlite"
    files.write_whole(target, write_text, check=lambda _p: None, overwrite=False)
    assert target.read_bytes() == b"the new file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite"]

    second = tmp_path / "second.sqlite"
    real_open = os.open

    def claiming(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(path)) == second and not second.exists():
            second.write_bytes(RIVAL)  # between write_whole's look and its claim
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", claiming)
    with pytest.raises(files.FileNotWritten) as refused:
        files.write_whole(second, write_text, check=lambda _p: None, overwrite=False)
    assert refused.value.code == "exists"
    assert second.read_bytes() == RIVAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite", "second.sqlite"]
