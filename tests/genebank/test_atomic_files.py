"""Every file Genebank writes appears whole or not at all: backups (SQLite, PostgreSQL, before
an upgrade), exports, the problem report, templates, training workbooks, worklists and
certificates, whatever goes wrong while they are written (an exception, a full disk, a
killed process); leftovers of interrupted writes are cleaned up."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from genebank import backup, cli, db
from genebank.conservation import worklists
from genebank.io import (
    files,
    passport_export,
    passport_template,
    plain_xlsx,
    problem_report,
    test_sheet,
)
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.models.training import Course
from genebank.passport import mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.reports import certificate_pdf
from genebank.training import training_sheets
from tests.conftest import create_postgres_database, drop_postgres_database

ROOT = Path(__file__).resolve().parents[2]
DEMO_ACCESSIONS = 300
REAL_CSV_WRITER = csv.writer


# Helpers ------------------------------------------------------------------------------------
@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A real, nearly empty file system of ``size`` at ``folder`` (skips where none mounts)."""
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    with open(folder / "ballast", "wb") as handle, contextlib.suppress(OSError):
        handle.write(b"\0" * max(0, free - leave))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "ballast")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def genebank(*args: str, stdin: int | None = None, script: str = "") -> subprocess.Popen[str]:
    """A real ``genebank`` process (``script`` runs first in it, e.g. to slow it down)."""
    code = f"{script}\nimport sys\nfrom genebank import cli\nsys.exit(cli.main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database with 300 demo accessions (lots, tests) and two courses."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert cli.main(["--database", str(path), "demo", "--accessions", str(DEMO_ACCESSIONS),
                     "--courses", "2", "--participants", "20"]) == 0
    return path


@pytest.fixture
def demo_database(demo_file: Path, tmp_path: Path) -> Iterator[db.Database]:
    copy = tmp_path / "work" / "demo.sqlite"
    copy.parent.mkdir()
    shutil.copy(demo_file, copy)
    database = db.open_database(str(copy), user="tester")
    yield database
    database.close()


def accessions_in(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM accession").fetchone()[0]


# A killed backup ----------------------------------------------------------------------------
# SQLite's own backup, slowed to one page a step; after a few steps the process says so and
# waits, mid-copy, to be killed.
SLOW_SQLITE_BACKUP = textwrap.dedent("""
    import sqlite3, sqlite3.dbapi2, sys
    class Slow(sqlite3.Connection):
        def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
            steps = []
            def step(status, remaining, total):
                if progress is not None:
                    progress(status, remaining, total)
                steps.append(remaining)
                if len(steps) == 5:
                    print("copying", flush=True)
                    sys.stdin.readline()  # until killed
            return super().backup(target, pages=1, progress=step, name=name)
    _connect = sqlite3.connect
    def connect(*args, **kwargs):
        kwargs.setdefault("factory", Slow)
        return _connect(*args, **kwargs)
    sqlite3.connect = sqlite3.dbapi2.connect = connect
""")

# The PostgreSQL backup's inserts into the SQLite copy: after the first batch of accessions
# the process says so and waits to be killed.
SLOW_POSTGRES_BACKUP = textwrap.dedent("""
    import sys
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    seen = []
    @event.listens_for(Engine, "after_cursor_execute")
    def pause(conn, cursor, statement, parameters, context, executemany):
        if conn.engine.url.get_backend_name() == "sqlite" and statement.startswith(
                "INSERT INTO accession "):
            seen.append(statement)
            if len(seen) == 1:
                print("copying", flush=True)
                sys.stdin.readline()
""")


def kill_mid_copy(url: str, target: Path, script: str) -> None:
    if os.name != "posix":
        pytest.skip("SIGKILL is POSIX")
    process = genebank("--database", url, "backup", str(target), stdin=subprocess.PIPE,
                       script=script)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line == "copying\n", process.stderr.read() if process.stderr else ""
        assert not target.exists(), "the copy is written under the backup's own name"
        assert any(files.is_partial_name(n) for n in os.listdir(target.parent))
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL


def test_a_killed_sqlite_backup_leaves_nothing_under_its_name(
        demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SIGKILL mid-copy: no file under the backup's name; the next backup cleans the
    leftover and is whole (`stats` counts every accession)."""
    target = tmp_path / "backups" / "copy.sqlite"
    target.parent.mkdir()
    kill_mid_copy(str(demo_file), target, SLOW_SQLITE_BACKUP)
    assert not target.exists()
    assert cli.main(["--database", str(demo_file), "backup", str(target)]) == 0
    assert listing(target.parent) == ["copy.sqlite"]  # the killed copy's leftover is gone
    assert cli.main(["--database", str(target), "stats"]) == 0
    assert f"Accessions: {DEMO_ACCESSIONS}\n" in capsys.readouterr().out


@pytest.fixture(scope="module")
def postgres_demo(demo_file: Path, postgres_url: str) -> Iterator[str]:
    """A PostgreSQL database holding the rows of the demo file."""
    url = create_postgres_database("genebank_backup")
    source = db.open_database(url, user="tester")
    demo = db.open_database(str(demo_file))
    with demo.engine.connect() as reader:
        backup.copy_rows(reader, source.engine)
    demo.close()
    source.close()
    yield url
    drop_postgres_database(url)


@pytest.mark.postgres
def test_a_killed_postgresql_backup_leaves_nothing_under_its_name(
        postgres_demo: str, tmp_path: Path) -> None:
    """SIGKILL while rows are copied from PostgreSQL: nothing under the backup's name; the
    next backup is whole and checked."""
    target = tmp_path / "pg.sqlite"
    kill_mid_copy(postgres_demo, target, SLOW_POSTGRES_BACKUP)
    assert not target.exists()
    assert cli.main(["--database", postgres_demo, "backup", str(target)]) == 0
    assert listing(tmp_path) == ["pg.sqlite"]
    assert accessions_in(target) == DEMO_ACCESSIONS


# Out of space -------------------------------------------------------------------------------
def test_a_sqlite_backup_onto_a_full_disk_says_how_much_and_leaves_nothing(
        demo_file: Path, tmp_path: Path) -> None:
    """Backing up a 1.3 MB database onto a disk with 256 KB: refused, sizes named, no file."""
    with small_disk(tmp_path / "usb", "256k") as usb:
        process = genebank("--database", str(demo_file), "backup", str(usb / "copy.sqlite"))
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 1
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "the disk is full" in err and "MB needed" in err and "KB free" in err
        assert listing(usb) == []


def test_a_sqlite_backup_that_fills_the_disk_midway_leaves_nothing(
        demo_database: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough space at the start, then the disk fills midway (another program wrote):
    disk_full, and nothing left on the disk."""
    with small_disk(tmp_path / "usb", "4m") as usb:
        def another_program_fills_the_disk(status: int, remaining: int, total: int) -> None:
            if remaining < total // 2 and not (usb / "ballast").exists():
                fill(usb, leave=0)

        monkeypatch.setattr(backup, "STEP_PAGES", 16)
        monkeypatch.setattr(backup, "_on_step", another_program_fills_the_disk)
        with pytest.raises(backup.BackupFailed) as raised:
            backup.backup(demo_database, usb / "copy.sqlite")
        assert raised.value.code == "disk_full", raised.value
        assert (usb / "ballast").exists() and listing(usb) == []


@pytest.mark.postgres
def test_a_postgresql_backup_onto_a_full_disk_leaves_nothing(postgres_demo: str,
                                                            tmp_path: Path) -> None:
    """A PostgreSQL backup that runs out of space: a plain line, exit 1, no file."""
    with small_disk(tmp_path / "usb", "512k") as usb:
        process = genebank("--database", postgres_demo, "backup", str(usb / "copy.sqlite"))
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 1
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "the disk is full" in err
        assert listing(usb) == []


def test_the_backup_before_an_upgrade_failing_stops_the_upgrade(demo_file: Path,
                                                                tmp_path: Path) -> None:
    """No room for the backup before an upgrade: the upgrade does not start, the database
    file is byte for byte as it was, and no backup file is left."""
    path = tmp_path / "old.sqlite"
    shutil.copy(demo_file, path)
    with contextlib.closing(sqlite3.connect(path)) as connection:  # an older schema
        connection.execute("UPDATE alembic_version SET version_num = '0006'")
        connection.commit()
    before = digest(path)
    with small_disk(tmp_path / "backups", "256k") as folder:
        with pytest.raises(backup.BackupFailed) as raised:
            db.open_database(str(path), backup_dir=folder)
        assert raised.value.code == "upgrade_backup_disk_full"  # said of the upgrade
        assert listing(folder) == []
    assert digest(path) == before
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0006",)


def test_a_backup_folder_that_cannot_be_made_stops_the_upgrade(tmp_path: Path) -> None:
    """A backup folder that cannot be created (a file is in the way) is a plain refusal."""
    path = tmp_path / "old.sqlite"
    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine, "0006")
    engine.dispose()
    (tmp_path / "backups").write_text("a file, not a folder")
    with pytest.raises(backup.BackupFailed, match="backups"):
        db.open_database(str(path), backup_dir=tmp_path / "backups")
    assert db.schema_revision(db.create_engine_for(db.sqlite_url(path)))[0] == "0006"


def test_an_export_onto_a_full_disk_says_so_and_leaves_nothing(demo_database: db.Database,
                                                               tmp_path: Path) -> None:
    """Exports (.xlsx and .csv) that run out of space: disk_full, nothing left, and an
    older export under the same name kept as it was."""
    with small_disk(tmp_path / "usb", "64k") as usb:
        (usb / "old.csv").write_text("the previous export\n")
        fill(usb, leave=8192)
        with demo_database.session_factory() as session:
            ids = matching_ids(session, AccessionFilter())
            for name in ("new.xlsx", "old.csv"):
                with pytest.raises(files.FileNotWritten) as raised:
                    mcpd_export.export_passports(session, usb / name, ids)
                assert raised.value.code == "disk_full", raised.value
                assert "the disk is full" in str(raised.value)
        assert listing(usb) == ["old.csv"]
        assert (usb / "old.csv").read_text() == "the previous export\n"



@pytest.mark.parametrize("system_locale", ["ru_RU.UTF-8", "fr_FR.UTF-8", "ar_JO.UTF-8"])
def test_a_full_disk_is_told_in_any_system_language(demo_database: db.Database, tmp_path: Path,
                                                    system_locale: str) -> None:
    """The GUI sets the system's locale, so the xlsx writer's 'no space left' comes in
    Russian, French or Arabic ('... (os error 28)'): still disk_full with its advice, not
    the raw library text."""
    import locale

    saved = locale.setlocale(locale.LC_ALL)
    try:
        locale.setlocale(locale.LC_ALL, system_locale)
    except locale.Error:
        pytest.skip(f"the {system_locale} locale is not installed here")
    try:
        with small_disk(tmp_path / "usb", "64k") as usb:
            fill(usb, leave=8192)
            with demo_database.session_factory() as session, \
                    pytest.raises(files.FileNotWritten) as raised:
                mcpd_export.export_passports(
                    session, usb / "all.xlsx", matching_ids(session, AccessionFilter()))
            assert raised.value.code == "disk_full", raised.value
            assert listing(usb) == []
    finally:
        locale.setlocale(locale.LC_ALL, saved)

def test_a_problem_report_onto_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    """`import-mcpd --report` onto a full disk: exit 1 with one plain line, no report."""
    rows = ["INSTCODE,ACCENUMB,GENUS,SAMPSTAT,ORIGCTY"]
    rows += [f"XXX001,A-{i:05d},{hashlib.sha256(str(i).encode()).hexdigest()},999,ZZZ"
             for i in range(3000)]
    sheet = tmp_path / "in.csv"
    sheet.write_text("\n".join(rows) + "\n")
    database = tmp_path / "g.sqlite"
    assert cli.main(["--database", str(database), "init"]) == 0
    with small_disk(tmp_path / "usb", "64k") as usb:
        process = genebank("--database", str(database), "import-mcpd", str(sheet),
                           "--dry-run", "--report", str(usb / "problems.xlsx"))
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 1
        assert "Traceback" not in err
        # (the xlsx library itself may print a line of its own about the full disk first)
        assert "genebank: cannot write" in err.splitlines()[-1]
        assert "the disk is full" in err.splitlines()[-1]
        assert listing(usb) == []


def test_a_failed_backup_exits_non_zero_with_one_plain_line(
        demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`genebank backup` into a 'folder' that is a file: exit 1, one line, no traceback."""
    (tmp_path / "usb").write_text("a file where a folder was expected")
    assert cli.main(["--database", str(demo_file), "backup",
                     str(tmp_path / "usb" / "b.sqlite")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("genebank: backup not made: "), err
    assert "usb" in err


# An exception in the middle of each kind of writer ------------------------------------------
def half_then_fail(path: object) -> None:
    """A writer that has written part of its file when something goes wrong."""
    Path(str(path)).write_bytes(b"PK\x03\x04 half a file")
    raise RuntimeError("injected fault")


def first_course(session: object) -> int:
    return session.scalars(select(Course.id).order_by(Course.id)).first()  # type: ignore[attr-defined]


def certificate_text() -> certificate_pdf.CertificateText:
    return certificate_pdf.CertificateText(
        "GB-2026-001", "Aigerim Sadykova", "", "Seed viability testing", "12–16 May 2026",
        "National Gene Bank", "Almaty, Kazakhstan", 30, "Training", "", "2026-05-17")


def _csv_writer_failing_midway(handle: object, *args: object, **kwargs: object) -> object:
    writer = REAL_CSV_WRITER(handle, *args, **kwargs)  # type: ignore[call-overload]

    class Failing:
        rows = 0

        def writerow(self, row: object) -> object:
            Failing.rows += 1
            if Failing.rows > 50:
                raise RuntimeError("injected fault")
            return writer.writerow(row)

    return Failing()


WriterCall = Callable[[object, Path], object]
WRITERS: dict[str, tuple[str, str, WriterCall]] = {
    # kind: (what to fault, file name, the write)
    "MCPD template": ("openpyxl", "template.xlsx",
                      lambda s, p: passport_template.write_template(p)),
    "tests template": ("openpyxl", "tests.xlsx", lambda s, p: test_sheet.write_template(p)),
    "attendance sheet": ("openpyxl", "attendance.xlsx",
                         lambda s, p: training_sheets.attendance_sheet(s, first_course(s), p)),
    "training report": ("openpyxl", "report.xlsx", lambda s, p: training_sheets.report_workbook(
        s, training_sheets.training_reports.Period(), p)),
    "MCPD export .xlsx": ("rust", "export.xlsx", lambda s, p: mcpd_export.export_passports(
        s, p, matching_ids(s, AccessionFilter()))),  # type: ignore[arg-type]
    "MCPD export .csv": ("csv", "export.csv", lambda s, p: mcpd_export.export_passports(
        s, p, matching_ids(s, AccessionFilter()))),  # type: ignore[arg-type]
    "worklist": ("rust", "worklist.xlsx", lambda s, p: worklists.export_worklist(
        s, worklists.WorkQuery(worklists.WORKLISTS[0].id, dt.date(2026, 11, 26)), p)),
    "problem report": ("report", "problems.xlsx", lambda s, p: None),  # see problem_sheet
    "certificate": ("fpdf", "GB-2026-001.pdf",
                    lambda s, p: certificate_pdf.write_certificate(certificate_text(), p)),
}


def fault(monkeypatch: pytest.MonkeyPatch, what: str, writer: Callable[[object], None]) -> None:
    if what == "openpyxl":
        monkeypatch.setattr("openpyxl.Workbook.save", lambda self, name: writer(name))
    elif what == "rust":
        monkeypatch.setattr("rustpy_xlsxwriter.write_worksheet",
                            lambda records, name, **options: writer(name))
    elif what == "report":
        monkeypatch.setattr(plain_xlsx, "write", lambda name, sheets: writer(name))
    elif what == "fpdf":
        monkeypatch.setattr("fpdf.FPDF.output", lambda self, name: writer(name))
    else:
        monkeypatch.setattr(passport_export.csv, "writer", _csv_writer_failing_midway)


@pytest.fixture
def problem_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("INSTCODE,ACCENUMB,GENUS\nXXX001,A-1,\n")
    monkeypatch.setitem(WRITERS, "problem report", (
        "report", "problems.xlsx", lambda s, p: problem_report.write_problem_report(
            read_sheet(sheet), preview_passports(read_sheet(sheet)), p)))


@pytest.mark.parametrize("kind", list(WRITERS))
def test_an_exception_midway_leaves_the_old_file_and_no_leftover(
        kind: str, demo_database: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, problem_sheet: None) -> None:
    """Each writer failing after part of its file is written: the file that was there is
    unchanged, nothing new is left in the folder."""
    what, name, call = WRITERS[kind]
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / name).write_bytes(b"the previous file")
    fault(monkeypatch, what, half_then_fail)
    with demo_database.session_factory() as session, \
            pytest.raises(RuntimeError, match="injected fault"):
        call(session, folder / name)
    assert listing(folder) == [name]
    assert (folder / name).read_bytes() == b"the previous file"


@pytest.mark.parametrize("kind", ["MCPD template", "problem report", "certificate"])
def test_a_file_that_does_not_check_out_is_not_kept(
        kind: str, demo_database: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, problem_sheet: None) -> None:
    """A writer that ends without an error but leaves a truncated workbook or PDF: refused
    (check_failed), nothing under the name."""
    what, name, call = WRITERS[kind]
    fault(monkeypatch, what, lambda path: Path(str(path)).write_bytes(b"%PDF-1.4 PK truncated"))
    folder = tmp_path / "out"
    folder.mkdir()
    with demo_database.session_factory() as session, \
            pytest.raises(files.FileNotWritten) as raised:
        call(session, folder / name)
    assert raised.value.code == "check_failed"
    assert listing(folder) == []


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_writer_writes_a_whole_file(kind: str, demo_database: db.Database,
                                          tmp_path: Path, problem_sheet: None) -> None:
    """Without a fault each writer leaves exactly its file, which passes its check."""
    _what, name, call = WRITERS[kind]
    folder = tmp_path / "out"
    folder.mkdir()
    with demo_database.session_factory() as session:
        call(session, folder / name)
    assert listing(folder) == [name]
    files.check_by_kind(folder / name)


# Leftovers ----------------------------------------------------------------------------------
def test_leftovers_of_interrupted_writes_are_cleaned_by_the_next_write(tmp_path: Path) -> None:
    """A killed write's temporary file (and a SQLite copy's journal) goes at the next write
    into the folder; the user's own files, even with similar names, stay."""
    leftovers = [".export.partial-0123456789ab.xlsx", ".copy.partial-abcdef012345.sqlite",
                 ".copy.partial-abcdef012345.sqlite-journal"]
    own = ["export.xlsx", ".hidden", "notes.partial-1.txt", ".x.partial-zzzz.xlsx"]
    for name in leftovers + own:
        (tmp_path / name).write_bytes(b"x")
    passport_template.write_template(tmp_path / "template.xlsx")
    assert listing(tmp_path) == sorted([*own, "template.xlsx"])


def test_a_temporary_file_another_process_is_writing_is_left_alone(tmp_path: Path) -> None:
    """A write in progress in another process (it holds its temporary file locked) keeps
    its temporary file; once that process is gone, the file is a leftover and goes."""
    fcntl = pytest.importorskip("fcntl")
    busy = tmp_path / ".export.partial-0123456789ab.xlsx"
    busy.write_bytes(b"being written")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys\n"
         f"fd = os.open({str(busy)!r}, os.O_RDWR)\nfcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\nsys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        test_sheet.write_template(tmp_path / "tests.xlsx")
        assert busy.exists()
    finally:
        holder.kill()
        holder.communicate()
    test_sheet.write_template(tmp_path / "tests.xlsx")
    assert listing(tmp_path) == ["tests.xlsx"]
    fd = os.open(tmp_path / "tests.xlsx", os.O_RDONLY)  # and no lock is left on the result
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(fd)


# The backup's check -------------------------------------------------------------------------
def test_a_backup_copy_damaged_on_the_way_to_disk_is_not_kept(
        demo_database: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy on disk is damaged after SQLite wrote it (a failing disk): quick_check
    refuses it and nothing is left under the backup's name."""
    folder = tmp_path / "backups"
    folder.mkdir()

    def damage(status: int, remaining: int, total: int) -> None:
        if remaining == 0:
            (partial,) = [p for p in folder.iterdir() if files.is_partial_name(p.name)]
            with open(partial, "r+b") as handle:
                for page in range(3, total, 7):
                    handle.seek(page * 4096)
                    handle.write(b"\xff" * 64)

    monkeypatch.setattr(backup, "_on_step", damage)
    with pytest.raises(backup.BackupFailed) as raised:
        backup.backup(demo_database, folder / "copy.sqlite")
    assert raised.value.code == "check_failed", raised.value
    assert "did not check out" in str(raised.value)
    assert listing(folder) == []


def test_a_copy_missing_rows_fails_the_check(demo_database: db.Database,
                                             tmp_path: Path) -> None:
    """The row counts catch a copy that lost rows even when quick_check passes."""
    copy = backup.backup(demo_database, tmp_path / "copy.sqlite")
    with contextlib.closing(sqlite3.connect(copy)) as connection:
        expected = backup.table_counts(connection)
        connection.execute("DELETE FROM safety_duplicate")
        connection.commit()
    assert expected["safety_duplicate"] > 0
    with pytest.raises(files.CheckFailed, match="safety_duplicate"):
        backup.verify_copy(copy, expected)
    assert not Path(f"{copy}-wal").exists()  # a backup is one file
