"""A fuzz test of every file reader (mutated real-shaped .xlsx, .xls and .ods workbooks and
text tables in every encoding, fixed seed, bounded cases) in a child process with 1.5 GB of
address space: never a traceback other than the coded refusal, never an allocation that
kills the process."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3 // 2, 3 * 1024**3 // 2))
from tests.genebank import fuzz_readers
fuzz_readers.run()
"""


def test_readers_survive_mutated_files() -> None:
    """Every reader returns a sheet or refuses the file, whatever its bytes."""
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                            timeout=540, env={**os.environ, "RUST_BACKTRACE": "0"})
    assert result.returncode == 0 and "fuzzed" in result.stdout, \
        f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
