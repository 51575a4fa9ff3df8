"""The command line: the gene bank's own institute codes, and a Genesys download imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from genebank import cli, db
from genebank.models import Accession
from tests.genebank.test_genesys_downloads import api_csv


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_own_instcodes_are_set_shown_and_cleared(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`settings own-instcodes` stores the codes read as INSTCODEs, `settings show` prints
    them, a bad code changes nothing, `--none` clears them; a new database has none."""
    base = ["--database", str(tmp_path / "g.sqlite")]
    assert run(capsys, *base, "init")[0] == 0
    assert run(capsys, *base, "settings", "show")[1] == "own-instcodes: (none)\n"
    code, out, _ = run(capsys, *base, "settings", "own-instcodes", "kaz001, KAZ002")
    assert (code, out) == (0, "Own institute codes: KAZ001,KAZ002\n")
    code, out, err = run(capsys, *base, "settings", "own-instcodes", "KAZ003,Almaty")
    assert code == 1 and "'Almaty' is not a WIEWS institute code" in err
    assert run(capsys, *base, "settings", "show")[1] == "own-instcodes: KAZ001,KAZ002\n"
    assert run(capsys, *base, "settings", "own-instcodes")[0] == 2  # neither codes nor --none
    assert run(capsys, *base, "settings", "own-instcodes", "--none")[0] == 0
    assert run(capsys, *base, "settings", "show")[1] == "own-instcodes: (none)\n"


def test_import_of_a_genesys_download_says_what_it_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """import-mcpd of the API's CSV: historic rows named and counted apart, other
    institutes' rows flagged once, the full names split."""
    path = tmp_path / "g.sqlite"
    base = ["--database", str(path)]
    run(capsys, *base, "init")
    run(capsys, *base, "settings", "own-instcodes", "KAZ001")
    code, out, err = run(capsys, *base, "import-mcpd", str(api_csv(tmp_path / "genesys.csv")))
    assert code == 0, err
    assert "2 row(s) are marked historic (no longer held by their institute) and are not " \
           "imported: rows 4 (KZ-3), 6 (UZ-8)" in err
    assert "2 row(s) are held by other institutes (UZB006: 2 rows): not held by you" in err
    assert "column F (fullTaxa) is split into GENUS, SPECIES" in err
    assert "4 created, 0 updated, 0 unchanged, 0 skipped, 2 historic not imported" in out
    database = db.open_database(db.sqlite_url(path), create=False)
    try:
        with database.session_factory() as session:
            assert sorted(session.scalars(select(Accession.accenumb))) == [
                "KZ-1", "KZ-2", "UZ-7", "UZ-9"]
    finally:
        database.close()
