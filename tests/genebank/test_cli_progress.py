"""The command line's progress (QA finding 19): it starts at the first work done, never with
"0% Checking row 0 of 6"."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import cli
from genebank.cli_common import PrintProgress


def test_progress_starts_at_the_first_work_done(capsys: pytest.CaptureFixture[str]) -> None:
    progress = PrintProgress()
    progress.report(0, 6, "Checking row 0 of 6")
    assert capsys.readouterr().err == ""
    progress.report(6, 6, "Checked 6 rows")
    assert capsys.readouterr().err == "100% Checked 6 rows\n"


def test_an_import_prints_no_zero_percent_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    assert cli.main(["--database", url, "init"]) == 0
    sheet = tmp_path / "six.csv"
    sheet.write_text("INSTCODE;ACCENUMB;GENUS\n" + "".join(
        f"KAZ001;P-{n};Hordeum\n" for n in range(1, 7)), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--database", url, "import-mcpd", "--dry-run", str(sheet)]) == 0
    err = capsys.readouterr().err
    assert not any(line.lstrip().startswith("0%") for line in err.splitlines()), err
