"""A full disk is said in one plain line: no line of the xlsx library's own glued to it, the
free space measured once the partial file is gone, and for a server backup about how much
was needed. On real small file systems (tmpfs, when the tests may mount one)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from genebank import cli, db
from genebank.io import files, xlsx_writer
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.genebank.test_atomic_files import genebank, listing, small_disk

NOISE = b'ZipWriter::drop: failed to finalize archive: Io(Os { code: 28, kind: StorageFull, ' \
        b'message: "No space left on device" })'


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database of 1,000 demo accessions, and its MCPD export as CSV beside it."""
    path = tmp_path_factory.mktemp("full") / "demo.sqlite"
    assert cli.main(["--database", str(path), "demo", "--accessions", "1000"]) == 0
    assert cli.main(["--database", str(path), "export-mcpd",
                     str(path.with_name("all.csv"))]) == 0
    return path


def one_plain_line(process_args: tuple[str, ...]) -> str:
    process = genebank(*process_args)
    _out, err = process.communicate(timeout=180)
    assert process.returncode in (1, 2), err
    lines = [line for line in err.splitlines() if not re.match(r"\s*\d+% ", line)]
    assert len(lines) == 1 and lines[0].startswith("genebank: "), err
    assert "ZipWriter" not in err and "Traceback" not in err, err
    return lines[0]


def free_said(line: str, folder: Path) -> None:
    """The free space in ``line`` is the disk's once nothing of the write is left."""
    assert listing(folder) == []
    assert f"({files.size_text(shutil.disk_usage(folder).free)} free" in line, line


def test_an_xlsx_export_onto_a_full_disk_is_one_line_with_the_real_free_space(
        thousand: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "usb", "64k") as usb:
        line = one_plain_line(("--database", str(thousand), "export-mcpd",
                               str(usb / "e.xlsx")))
        assert "cannot write" in line and "the disk is full" in line
        assert "(0 bytes free" not in line
        free_said(line, usb)


def test_a_problem_report_onto_a_full_disk_is_one_line_with_the_real_free_space(
        thousand: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "usb", "64k") as usb:
        line = one_plain_line(("--database", str(thousand), "import-mcpd", "--dry-run",
                               "--report", str(usb / "rep.xlsx"),
                               str(thousand.with_name("all.csv"))))
        assert "the disk is full" in line and "(0 bytes free" not in line
        free_said(line, usb)


@pytest.mark.postgres
def test_a_postgresql_backup_onto_a_full_disk_says_about_how_much_is_needed(
        thousand: Path, tmp_path: Path, postgres_url: str) -> None:
    url = create_postgres_database("genebank_full")
    try:
        server = db.open_database(url, user="tester")
        source = db.open_database(str(thousand))
        from genebank import backup

        with source.engine.connect() as reader:
            backup.copy_rows(reader, server.engine)
        source.close()
        server.close()
        with small_disk(tmp_path / "usb", "256k") as usb:
            line = one_plain_line(("--database", url, "backup", str(usb / "b.sqlite")))
            assert "the disk is full" in line
            assert re.search(r"free, about \d+(\.\d)? MB needed\)", line), line
            free_said(line, usb)
    finally:
        drop_postgres_database(url)


def test_the_xlsx_writers_own_line_is_kept_back_and_other_output_is_not(
        capfd: pytest.CaptureFixture[str]) -> None:
    """What a library writes to file descriptor 2 during a write comes out afterwards,
    without the xlsx writer's failure line (which has no newline of its own)."""
    with xlsx_writer.library_noise_kept_back():
        os.write(2, b"a warning\n")
        with xlsx_writer.library_noise_kept_back():  # nested writes share one capture
            os.write(2, NOISE)
        os.write(2, b"after\n")
    assert capfd.readouterr().err == "a warning\nafter\n"


def test_a_failed_write_leaves_stderr_as_it_was(tmp_path: Path,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    """An exception inside the write still gives stderr back."""
    def failing(partial: Path) -> None:
        with xlsx_writer.library_noise_kept_back():
            os.write(2, NOISE)
            raise OSError(28, "No space left on device")

    with pytest.raises(files.FileNotWritten):
        files.write_whole(tmp_path / "x.xlsx", failing)
    os.write(2, b"still here\n")
    assert capfd.readouterr().err == "still here\n"
    assert listing(tmp_path) == []
