"""A problem's code is found wherever its template is registered, even when the module that
registers it was never imported (issue 13): ``Refused("course_full", ...)`` from a script,
or a problem built by one module with another's code."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_refusal_coded_by_a_module_not_yet_imported_is_worded() -> None:
    """In a fresh interpreter, before genebank.training.courses is imported, its course_full
    refusal is built with its English (it used to fail with KeyError)."""
    out = _run("""
        import sys
        from genebank.services.refusals import Refused
        assert "genebank.training.courses" not in sys.modules
        print(Refused("course_full", course="Seed drying", capacity=12))
    """)
    assert out == "'Seed drying' is full (12 places)"


def test_a_coded_problem_of_a_module_not_yet_imported_has_its_english() -> None:
    """Coded(code=...) words a code registered by a module not imported yet, instead of
    falling back to the bare code."""
    out = _run("""
        import sys
        from genebank.problems import Coded
        assert "genebank.io.spreadsheet" not in sys.modules
        print(Coded(code="not_a_spreadsheet", params={"file": "notes.txt"}))
    """)
    assert out == ("'notes.txt' is not a spreadsheet Genebank reads (.xlsx, .xlsm, .xls, .ods, "
                   ".csv, .tsv or .txt)")


def test_an_unknown_code_is_still_refused_plainly() -> None:
    """A code no module registers is a programming mistake, said as such."""
    from genebank.services.refusals import Refused

    with pytest.raises(KeyError, match="no_such_code"):
        Refused("no_such_code")
