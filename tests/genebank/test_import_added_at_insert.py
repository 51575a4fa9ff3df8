"""On PostgreSQL an import does not hold the only write lock: another workstation may save
an accession with one of the file's numbers after the import's last look at what exists
and before its rows go in. The import's insert then skips that accession (the server
decides, on the identity key) and names it, instead of failing whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from genebank import cli, db
from genebank.models import ImportLog
from genebank.passport import accessions, passport_import
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.genebank.test_import_edited_meanwhile import add_elsewhere
from tests.genebank.test_import_update import passport, update_sheet

HEADINGS = ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY", "SAMPSTAT", "STORAGE", "ACCENAME",
            "REMARKS"]


def _import_with_someone_adding_at_insert(monkeypatch: pytest.MonkeyPatch, url: str,
                                          accenumb: str, *arguments: str) -> int:
    """``genebank import-mcpd``, with another process saving ``accenumb`` after the write's
    own look at what exists (inside the import's transaction), before its insert."""
    judged = passport_import.judged_at_write
    calls: list[object] = []

    def judged_then_someone_adds(*args: Any, **kwargs: Any) -> Any:
        result = judged(*args, **kwargs)
        calls.append(args)
        if len(calls) == 1:
            add_elsewhere(url, accenumb)  # its own process and connection; it commits
        return result

    monkeypatch.setattr(passport_import, "judged_at_write", judged_then_someone_adds)
    return cli.main(["--database", url, "import-mcpd", *arguments])

@pytest.fixture
def own_postgres() -> Iterator[str]:
    """A PostgreSQL database of this test's own, created as `genebank init` does."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_added")
    db.open_database(url, user="tester").close()
    yield url
    drop_postgres_database(url)



@pytest.mark.postgres
@pytest.mark.parametrize("update", [False, True])
def test_an_accession_saved_elsewhere_just_before_the_insert_is_skipped_and_named(
        tmp_path: Path, own_postgres: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], update: bool) -> None:
    """KZ-20 is saved by another workstation while the import is already writing: the
    import creates KZ-21 and KZ-22, skips KZ-20 and says it was added meanwhile; KZ-20
    keeps that workstation's record, with none of the file's names, storage or remarks."""
    path = update_sheet(tmp_path / "late.xlsx", HEADINGS,
                        *[["KAZ001", f"KZ-{n}", "Triticum", "UZB", "300", "12",
                           f"File name {n}", f"REMARKS:from the file {n}"]
                          for n in (20, 21, 22)])
    arguments = [str(path), *(["--update"] if update else [])]
    assert _import_with_someone_adding_at_insert(monkeypatch, own_postgres, "KZ-20",
                                                 *arguments) == 0
    printed = capsys.readouterr()
    assert "2 created, 0 updated, 0 unchanged, 1 skipped" in printed.out
    assert "1 accession(s) were added by someone else after the check and were " \
        f"{'not updated' if update else 'skipped'}" in printed.err
    assert printed.err.rstrip().endswith("KZ-20")
    database = db.open_database(own_postgres, user="tester")
    try:
        with database.session_factory() as session:
            found = {n: accessions.find_accession_id(session, instcode="KAZ001",
                                                     accenumb=f"KZ-{n}") for n in (20, 21, 22)}
            details = session.query(ImportLog.details).scalar()
            orphans = session.execute(text(
                "SELECT count(*) FROM accession_name n "
                "WHERE NOT EXISTS (SELECT 1 FROM accession a WHERE a.id = n.accession_id)"
            )).scalar()
        assert all(found.values()) and orphans == 0
        theirs = passport(database, found[20])  # type: ignore[arg-type]
        assert (theirs.values["ORIGCTY"], theirs.values["COLLSITE"], theirs.created_by) \
            == ("KAZ", "Aralsk harbour", "baurzhan")
        assert theirs.values["ACCENAME"] == ["Kazakhstanskaya 10", "Aral wheat"]
        assert theirs.values["REMARKS"] == ["COLLSITE:near the old port"]
        ours = passport(database, found[21])  # type: ignore[arg-type]
        assert (ours.values["ACCENAME"], ours.values["STORAGE"]) == (["File name 21"], [12])
        assert "KZ-20" in details and "added by someone else after the preview" in details
    finally:
        database.close()
