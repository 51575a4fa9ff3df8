"""The command line: init, demo, stats, backup; exit codes and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import cli, db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_demo_stats_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database is created, filled with demo data, counted and backed up."""
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    assert run(capsys, "--database", url, "init")[0] == 0
    code, out, _ = run(capsys, "--database", url, "demo", "--accessions", "250")
    assert code == 0 and "Added 250 demo accessions" in out and "with seed lots" in out
    code, out, _ = run(capsys, "--database", url, "demo", "--accessions", "10", "--no-lots",
                       "--courses", "5", "--participants", "40")
    assert "DEMO-0000251" in out and "seed lots" not in out  # numbering continues
    assert "training programme: 5 courses, 40 participants" in out
    code, out, _ = run(capsys, "--database", url, "stats")
    assert code == 0 and "Accessions: 260" in out
    code, out, _ = run(capsys, "--database", url, "backup", str(tmp_path / "b.sqlite"))
    assert code == 0 and (tmp_path / "b.sqlite").exists()
    code, out, _ = run(capsys, "--database", str(tmp_path / "b.sqlite"), "stats")
    assert "Accessions: 260" in out


def test_environment_variable_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """GENEBANK_DATABASE_URL is used when --database is not given."""
    monkeypatch.setenv(cli.ENV_DATABASE, str(tmp_path / "env.sqlite"))
    assert run(capsys, "init")[0] == 0
    assert (tmp_path / "env.sqlite").exists()


def test_errors_exit_non_zero_with_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A bad database gives exit 1 and a single line on stderr, no traceback."""
    bad = tmp_path / "bad.sqlite"
    bad.write_text("hello")
    code, _, err = run(capsys, "--database", str(bad), "stats")
    assert code == 1
    assert err.count("\n") == 1 and "not a Genebank database" in err
    code, _, err = run(capsys, "--database", str(tmp_path / "x.sqlite"), "demo",
                       "--accessions", "0")
    assert code == 1 and "at least 1" in err


def test_tests_template_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lab's sheet: refused tests give exit 1 and nothing written unless --skip-invalid."""
    import datetime as dt

    import openpyxl

    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    run(capsys, "--database", url, "demo", "--accessions", "5")
    code, out, _ = run(capsys, "--database", url, "tests-template", str(tmp_path / "t.xlsx"))
    assert code == 0 and "t.xlsx" in out
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    today = dt.date.today()
    for row, values in enumerate((["L00000001", today, 1, 50, 45, 3, 2],
                                  ["NO-SUCH-LOT", today, 1, 50, 45, 3, 2]), start=2):
        for column, value in enumerate(values, start=1):  # below the header, as in Excel
            book["Germination"].cell(row=row, column=column, value=value)
    book.save(tmp_path / "t.xlsx")
    args = ("--database", url, "import-tests", str(tmp_path / "t.xlsx"), "--sheet",
            "Germination")
    code, out, err = run(capsys, *args)
    assert code == 1 and "2 germination tests in 2 rows: 1 ready, 1 refused" in out
    assert "row 3: There is no seed lot numbered 'NO-SUCH-LOT'" in err
    code, out, _ = run(capsys, *args, "--skip-invalid")
    assert code == 1 and out.strip() == "1 test imported, 1 test refused and skipped"
    code, _, err = run(capsys, "--database", url, "import-tests", str(tmp_path / "none.xlsx"))
    assert code == 2


def test_demo_refuses_the_users_own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`genebank demo` with no --database (or naming the default file) exits 1, one line,
    and creates nothing; any other file gets the demo."""
    own = tmp_path / "Genebank" / "genebank.sqlite"
    monkeypatch.setattr(db, "default_database_path", lambda: own)
    monkeypatch.delenv(cli.ENV_DATABASE, raising=False)
    code, out, err = run(capsys, "demo", "--accessions", "5")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert f"your own database {own}" in err and "genebank-demo.sqlite" in err
    assert not own.exists()
    monkeypatch.setenv(cli.ENV_DATABASE, db.sqlite_url(own))
    assert run(capsys, "demo", "--accessions", "5")[0] == 1
    monkeypatch.delenv(cli.ENV_DATABASE)
    assert run(capsys, "--database", str(own), "demo", "--accessions", "5")[0] == 1
    assert not own.exists()
    code, out, _ = run(capsys, "--database", str(tmp_path / "trial.sqlite"), "demo",
                       "--accessions", "5")
    assert code == 0 and "Added 5 demo accessions" in out


def test_demo_refuses_the_database_the_environment_configures(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A workstation whose real database is set by $GENEBANK_DATABASE_URL keeps the demo out
    of it: without --database, or with --database naming it in another spelling, exit 1 with
    one line (no password shown) and nothing written; a file of its own gets the demo."""
    monkeypatch.setattr(db, "default_database_path",
                        lambda: tmp_path / "Genebank" / "genebank.sqlite")
    real = tmp_path / "station" / "collection.sqlite"
    real.parent.mkdir()
    assert run(capsys, "--database", str(real), "init")[0] == 0
    before = real.read_bytes()
    monkeypatch.setenv(cli.ENV_DATABASE, db.sqlite_url(real))
    for spelling in ([], ["--database", str(real)], ["--database", f"sqlite:///{real}"],
                     ["--database", str(tmp_path / "station" / ".." / "station" /
                                        "collection.sqlite")]):
        code, out, err = run(capsys, *spelling, "demo", "--accessions", "5")
        assert code == 1 and out == "" and err.count("\n") == 1, spelling
        assert f"your own database {real}" in err and "genebank-demo.sqlite" in err
    assert real.read_bytes() == before
    monkeypatch.setenv(cli.ENV_DATABASE, "postgresql+psycopg://tech:s3cret@DB.example.org/gb")
    for spelling in ([], ["--database", "postgresql://other@db.example.org:5432/gb"]):
        code, _, err = run(capsys, *spelling, "demo", "--accessions", "5")
        assert code == 1 and err.count("\n") == 1 and "s3cret" not in err, spelling
        assert "your own database postgresql+psycopg://tech@DB.example.org/gb" in err
    code, out, _ = run(capsys, "--database", str(tmp_path / "trial.sqlite"), "demo",
                       "--accessions", "5")
    assert code == 0 and "Added 5 demo accessions" in out


def test_remove_demo_counts_first_and_removes_with_yes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """remove-demo shows the counts; only --yes removes them; real accessions stay."""
    from genebank.passport import accessions
    from tests.conftest import passport_values

    url = db.sqlite_url(tmp_path / "own.sqlite")
    database = db.open_database(url)
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
    database.close()
    run(capsys, "--database", url, "demo", "--accessions", "20", "--courses", "2",
        "--participants", "15")
    code, out, _ = run(capsys, "--database", url, "remove-demo")
    assert code == 0 and "20 accessions" in out and "2 courses, 15 participants" in out
    assert "Nothing removed; run again with --yes" in out
    assert "Accessions: 21" in run(capsys, "--database", url, "stats")[1]
    code, out, _ = run(capsys, "--database", url, "remove-demo", "--yes")
    assert code == 0 and "Removed" in out
    assert "Accessions: 1" in run(capsys, "--database", url, "stats")[1]
    assert "No demo records" in run(capsys, "--database", url, "remove-demo")[1]


def test_import_mcpd_reads_day_first_dates_with_dates_dmy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """12/03/1998 is refused as ambiguous (nothing imported, exit 1) until --dates says the
    file writes the day first; 25/03/1998 reads either way."""
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    assert run(capsys, "--database", url, "init")[0] == 0
    sheet = tmp_path / "mission.csv"
    sheet.write_text("INSTCODE;ACCENUMB;GENUS;COLLDATE\nKAZ001;M-1;Hordeum;12/03/1998\n"
                     "KAZ001;M-2;Hordeum;25.03.1998\n", encoding="utf-8")
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(sheet))
    assert code == 1 and "nothing imported" in out
    assert "COLLDATE" in err and "day first" in err
    code, out, _ = run(capsys, "--database", url, "import-mcpd", str(sheet), "--dates", "dmy")
    assert code == 0
    code, out, _ = run(capsys, "--database", url, "export-mcpd", str(tmp_path / "out.csv"))
    exported = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert ",19980312," in exported and ",19980325," in exported
