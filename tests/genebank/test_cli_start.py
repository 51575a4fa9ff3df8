"""``genebank --version`` answers without importing the command line's world (issue 15:
a script or an installer asks it; at most 1.5x the time to import SQLAlchemy, measured by
bench/bench_startup.py), and says what the full command line says."""

from __future__ import annotations

import subprocess
import sys


def test_version_answers_without_sqlalchemy_or_the_commands() -> None:
    code = ("import sys; from genebank.cli_start import main; main(['--version']); "
            "print(sorted(m for m in ('sqlalchemy', 'genebank.cli', 'genebank.db') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    full = subprocess.run([sys.executable, "-m", "genebank.cli", "--version"],
                          capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [full.stdout.strip(), "[]"]


def test_every_other_command_line_is_the_full_one() -> None:
    ours, full = (subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                                 text=True, check=True).stdout
                  for module in ("genebank.cli_start", "genebank.cli"))
    assert ours == full and "upgrade" in ours
