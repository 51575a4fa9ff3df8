"""`genebank --database DB import-mcpd FILE`, run in this process with a mark between its
phases, for counting the instructions of each phase under callgrind (repeatable on a busy
machine, where times are not):

    valgrind --tool=callgrind --dump-before=getppid --callgrind-out-file=OUT \
        .venv/bin/python bench/import_phases.py DB FILE

``os.getppid()`` is called before and after reading the sheet, checking the rows, finding
the existing accessions and writing, so callgrind writes one count per stretch: OUT.1 the
start (imports, opening the database), OUT.2 the read, OUT.4 the check, OUT.6 the lookup,
OUT.8 onwards the write (judging the rows again inside it gives two more marks), the last
the commit and exit. ``grep ^summary: OUT.*`` prints them. Without valgrind it just imports.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from genebank import cli
from genebank.io import passport_preview, spreadsheet
from genebank.passport import passport_existing, passport_import


def marked(function: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        os.getppid()
        try:
            return function(*args, **kwargs)
        finally:
            os.getppid()
    return call


def main() -> None:
    spreadsheet.read_sheet = marked(spreadsheet.read_sheet)
    passport_preview.preview_passports = marked(passport_preview.preview_passports)
    passport_existing.mark_existing = marked(passport_existing.mark_existing)
    passport_import.apply_import = marked(passport_import.apply_import)
    try:
        cli.main(["--database", sys.argv[1], "import-mcpd", sys.argv[2]])
    finally:
        os.getppid()


if __name__ == "__main__":
    main()
