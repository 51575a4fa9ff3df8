"""How today's Genebank does on real files other projects published (issue 14): the corpus
in tests/files/world/ (its README says where each file comes from and what shape it shows).

    python bench/world_corpus.py [FILE_OR_FOLDER ...] [--sheet NAME]

For every file, what a user is told by ``genebank import-mcpd FILE --dry-run`` (or
``genebank import-tests FILE --dry-run`` for a file whose name starts with
"germination"), run as a user runs it against a new database: whether the file was read or
refused (and the message), how many data rows, how many would be accepted, how many carry
errors or warnings, and the passport check's most frequent problems by code (rows per
code, errors first). Prints a Markdown table, then each refusal and the sheets of each
workbook; asserts nothing. The figures are a measure of where Genebank stands, so that the
tests in tests/genebank/test_world_files.py can say what should change.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genebank.io.spreadsheet import Sheet

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "files" / "world"
SUMMARY = re.compile(r"([\d,]+) rows checked: ([\d,]+) with errors, ([\d,]+) with warnings")
TESTS_SUMMARY = re.compile(r"tests in ([\d,]+) rows: ([\d,]+) ready(?:, ([\d,]+) refused)?")


@dataclass
class Outcome:
    """What one file came to."""

    path: Path
    command: str
    exit_code: int = 0
    read: bool = False
    rows: int | None = None
    errors: int | None = None
    warnings: int | None = None
    accepted: int | None = None
    told: str = ""  # the first line a user reads when the file or its columns are refused
    codes: Counter[str] = field(default_factory=Counter)  # "severity code" -> rows
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""
    refusal: str = ""  # the reader's code when the file is refused


def genebank_command() -> list[str]:
    """The ``genebank`` console script of this interpreter's environment, as a user runs
    it (start-up included), or the module when the script is not installed."""
    script = Path(sys.executable).with_name("genebank")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from genebank.cli import main; "
                                  "sys.exit(main())"]


def run(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*genebank_command(), *arguments], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", check=False)


def number(text: str | None) -> int | None:
    return None if text is None else int(text.replace(",", ""))


def measure(path: Path, database: Path, sheet: str | None) -> Outcome:
    command = "import-tests" if path.name.lower().startswith("germination") else "import-mcpd"
    arguments = ["--database", str(database), command, str(path), "--dry-run"]
    if sheet:
        arguments += ["--sheet", sheet]
    done = run(arguments)
    outcome = Outcome(path, command, done.returncode)
    refusals = [line for line in done.stderr.splitlines() if line.startswith("genebank:")]
    outcome.told = refusals[0].removeprefix("genebank: ") if refusals else ""
    found = SUMMARY.search(done.stdout)
    if found:
        outcome.rows, outcome.errors, outcome.warnings = (number(g) for g in found.groups())
        blocked = "nothing imported" in done.stdout and "dry run" not in done.stdout
        outcome.accepted = 0 if blocked and outcome.errors == outcome.rows else \
            outcome.rows - outcome.errors
    tests = TESTS_SUMMARY.search(done.stdout)
    if tests:
        outcome.rows = number(tests.group(1))
        outcome.accepted = number(tests.group(2))
        outcome.errors = number(tests.group(3)) or 0
    if not (found or tests or outcome.told):
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
        outcome.told = lines[-1] if lines else ""
    read = reading(path, sheet, outcome)
    if read is not None and outcome.rows is None:  # read, but refused as a whole
        outcome.rows, outcome.accepted = max(len(read.rows) - 1, 0), 0
    if read is not None and command == "import-mcpd":
        passport_codes(read, outcome)
    return outcome


def reading(path: Path, sheet: str | None, outcome: Outcome) -> Sheet | None:
    """The file as the reader gives it, in-process (the command read it the same way): the
    sheet, or None with the refusal's code kept. Quietly skipped when the core has changed
    shape since this script was written: the command's figures stand."""
    try:
        from genebank.io import spreadsheet
        from genebank.io.unreadable import UnreadableFile

        try:
            outcome.sheets = [s.name for s in spreadsheet.list_sheets(path)]
            read = spreadsheet.read_sheet(path, sheet)
        except UnreadableFile as refusal:
            outcome.refusal = refusal.code
            return None
    except Exception as error:  # a measure, never a failure: the figures above stand
        outcome.codes[f"(not measured: {type(error).__name__})"] += 1
        return None
    outcome.read, outcome.sheet = True, read.name
    return read


def passport_codes(read: Sheet, outcome: Outcome) -> None:
    """The passport check's problems by code, in-process (the same check the command ran):
    counted once per row, the sheet-level ones once."""
    try:
        from genebank.io import passport_preview

        preview = passport_preview.preview_passports(read)
    except Exception as error:  # a measure, never a failure: the figures above stand
        outcome.codes[f"(not measured: {type(error).__name__})"] += 1
        return
    for problem in preview.sheet_problems:
        outcome.codes[f"{problem.severity} {problem.code or 'uncoded'} (sheet)"] += 1
    for row in preview.rows:
        for key in {f"{p.severity} {p.code or 'uncoded'}" for p in row.problems}:
            outcome.codes[key] += 1


def top_codes(codes: Counter[str], limit: int = 5) -> str:
    ordered = sorted(codes.items(), key=lambda item: (not item[0].startswith("error"),
                                                      -item[1], item[0]))
    return "; ".join(f"{code} ×{count:,}" for code, count in ordered[:limit])


def shown(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def files_in(targets: list[Path]) -> list[Path]:
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found += sorted(p for p in target.iterdir()
                            if p.is_file() and p.name != "README.md"
                            and not p.name.startswith("."))
        else:
            found.append(target)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", type=Path, default=[CORPUS])
    parser.add_argument("--sheet", help="read this sheet of every workbook")
    args = parser.parse_args(argv)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="world-corpus-") as folder:
        database = Path(folder) / "world.sqlite"
        created = run(["--database", str(database), "init"])
        if created.returncode:
            print(created.stdout, created.stderr, file=sys.stderr)
            return created.returncode
        for path in files_in(args.targets):
            outcomes.append(measure(path, database, args.sheet))
    print("| File | Command | Read | Rows | Accepted | With errors | With warnings "
          "| Most frequent problems (rows) |")
    print("|---|---|---|---|---|---|---|---|")
    for o in outcomes:
        read = f"read, sheet '{o.sheet}'" if o.read else f"refused ({o.refusal or 'see below'})"
        print(f"| {o.path.name} | {o.command} | {read} | {shown(o.rows)} | "
              f"{shown(o.accepted)} | {shown(o.errors)} | {shown(o.warnings)} | "
              f"{top_codes(o.codes)} |")
    print()
    for o in outcomes:
        if o.told:
            print(f"- {o.path.name} (exit {o.exit_code}): {o.told}")
    for o in outcomes:
        if len(o.sheets) > 1:
            print(f"- {o.path.name} sheets: {', '.join(o.sheets)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
