"""The import log keeps how many existing accessions an import left unchanged, as a number
beside created, updated and skipped, whether the import ran in the window or the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from genebank import cli, db
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.models import ImportLog
from genebank.passport import accessions
from genebank.passport.import_logs import recent_imports
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import OnErrors, OnExisting, apply_import
from tests.conftest import passport_values

# A curator's corrections to the country of origin: two accessions as stored, one to
# change, and one the bank does not hold (a sheet of corrections cannot create it).
HEADER = ["INSTCODE", "ACCENUMB", "ORIGCTY"]
ROWS = [["KAZ001", "KZ-0001", "KAZ"], ["KAZ001", "KZ-0002", "UZB"],
        ["KAZ001", "KZ-0003", "KAZ"], ["KAZ001", "KZ-0099", "TKM"]]


def store_three(database: db.Database) -> None:
    """KZ-0001 to KZ-0003, from Kazakhstan, as typed in the accession form."""
    with database.session_factory.begin() as session:
        for number in ("KZ-0001", "KZ-0002", "KZ-0003"):
            accessions.create_accession(session, values=passport_values(ACCENUMB=number))


def corrections_xlsx(path: Path) -> Path:
    """The corrections as Excel saves them: a title row above the headings."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Corrections ORIGCTY"
    sheet.append(["Corrections du pays d'origine, vérifiées le 12/11/2026"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def corrections_csv(path: Path) -> Path:
    """The corrections as Excel in a French locale saves "CSV UTF-8": a byte-order mark,
    semicolons, CRLF line ends."""
    lines = [";".join(HEADER), *(";".join(row) for row in ROWS)]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    return path


def import_file(database: db.Database, path: Path, on_existing: OnExisting) -> int:
    """Check and import ``path`` as the wizard does; returns the import log entry's id."""
    preview = preview_passports(read_sheet(path))
    with database.session_factory() as session:
        mark_existing(session, preview)
    with database.session_factory.begin() as session:
        summary = apply_import(session, preview, on_existing=on_existing,
                               on_errors=OnErrors.SKIP_ROWS)
    assert summary.log_id is not None
    return summary.log_id


def test_an_update_import_logs_its_unchanged_count(tmp_path: Path,
                                                   database: db.Database) -> None:
    """Two accessions the file holds as stored are counted unchanged in the log's own
    column, beside one updated and one skipped, and the log reads it back."""
    store_three(database)
    log_id = import_file(database, corrections_xlsx(tmp_path / "corrections.xlsx"),
                         OnExisting.UPDATE)
    with database.session_factory() as session:
        log = session.get(ImportLog, log_id)
        assert log is not None
        assert (log.created_count, log.updated_count, log.unchanged_count,
                log.skipped_count) == (0, 1, 2, 1)
        assert log.details.splitlines()[0] == "0 created, 1 updated, 2 unchanged, 1 skipped"
        [entry] = recent_imports(session)
    assert (entry.created, entry.updated, entry.unchanged, entry.skipped) == (0, 1, 2, 1)


def test_skipping_existing_accessions_counts_none_unchanged(tmp_path: Path,
                                                            database: db.Database) -> None:
    """When existing accessions are skipped, nothing is compared: 0 unchanged, 4 skipped."""
    store_three(database)
    import_file(database, corrections_xlsx(tmp_path / "corrections.xlsx"), OnExisting.SKIP)
    with database.session_factory() as session:
        [entry] = recent_imports(session)
    assert (entry.created, entry.updated, entry.unchanged, entry.skipped) == (0, 0, 0, 4)


def test_an_entry_written_without_a_count_says_zero_unchanged(database: db.Database) -> None:
    """Imports that have no unchanged count (or Core inserts) leave 0, never NULL."""
    with database.session_factory.begin() as session:
        session.execute(ImportLog.__table__.insert().values(
            kind="tests", file_name="germination 2026.xlsx", sheet="Feuil1",
            finished_at=dt.datetime(2026, 11, 20, 14, 5), created_count=12,
            updated_count=0, skipped_count=0, details=""))
    with database.session_factory() as session:
        assert session.scalars(select(ImportLog.unchanged_count)).all() == [0]


def test_the_command_line_import_logs_its_unchanged_count(
        tmp_path: Path, database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    """genebank import-mcpd --update on Excel's French CSV: the line and the log entry both
    say 2 unchanged."""
    store_three(database)
    path = corrections_csv(tmp_path / "corrections.csv")
    code = cli.main(["--database", database.url, "import-mcpd", str(path), "--update",
                     "--skip-invalid"])
    out, _ = capsys.readouterr()
    assert code == 1  # a row had an error and was skipped
    assert "0 created, 1 updated, 2 unchanged, 1 skipped (import log" in out
    with database.session_factory() as session:
        [entry] = recent_imports(session)
    assert (entry.file_name, entry.created, entry.updated, entry.unchanged, entry.skipped) \
        == ("corrections.csv", 0, 1, 2, 1)
