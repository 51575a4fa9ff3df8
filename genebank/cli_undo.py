"""``genebank undo-import N [--dry-run]``: undo import N of the import log, after printing
what it will do (what is removed, put back, left and why); ``--dry-run`` prints only."""

from __future__ import annotations

import argparse

from genebank import db, transactions
from genebank.cli_common import print
from genebank.io.history_export import shown
from genebank.passport import import_undo

OPERATION = "Undoing an import"
SHOWN = 20  # accessions named per list; the rest counted


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "undo-import", help="undo an import of the import log: what it created is removed, "
                            "what it updated put back",
        description="Removes the accessions import N created when nothing depends on them "
                    "and puts back the values it updated, in one transaction. An accession "
                    "changed after the import is left as it is and named, with who changed "
                    "it. The numbers are those of the import log (File > Import log).")
    parser.add_argument("import_id", type=int, metavar="N", help="the import's number")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what the undo would do, change nothing")


def undo_import(database: db.Database, args: argparse.Namespace) -> int:
    if args.dry_run:
        plan = transactions.run_read(database, lambda session: import_undo.preview_undo(
            session, args.import_id), operation=OPERATION)
        print_plan(plan)
        print("Dry run: nothing was changed")
        return 0
    try:
        result = transactions.run_write(database, lambda session: import_undo.undo_import(
            session, args.import_id), operation=OPERATION, bulk=True)
    except import_undo.UndoRefused as refused:
        if refused.plan is not None:  # nothing to undo now: what stands in the way, first
            print_plan(refused.plan)
        raise
    print_plan(result.preview)
    print(f"Import {args.import_id} undone by {result.undone_by or '(before sign-in)'} at "
          f"{result.undone_at:%Y-%m-%d %H:%M} UTC")
    return 0


def print_plan(plan: import_undo.UndoPreview) -> None:
    print(f"Import {plan.import_log_id}: {plan.file_name}, "
          f"{plan.finished_at:%Y-%m-%d %H:%M} UTC, by {plan.imported_by or '(unknown)'}")
    _listed(f"{len(plan.remove):,} accession(s) to remove", [r.key for r in plan.remove])
    _listed(f"{len(plan.put_back):,} accession(s) to put back", [
        f"{p.key}: " + "; ".join(f"{f.field} {_value(f.current)} -> {_value(f.restored)}"
                                 for f in p.fields) for p in plan.put_back])
    _listed(f"{len(plan.cannot_remove):,} accession(s) kept: other records depend on them", [
        f"{r.key}: " + ", ".join(_dependent(d) for d in r.dependents)
        for r in plan.cannot_remove])
    _listed(f"{len(plan.changed_after):,} accession(s) left as they are: changed after the "
            "import", [f"{c.key}: {c.action} by {c.by or '(before sign-in)'}"
                       + (f" at {c.at:%Y-%m-%d %H:%M} UTC" if c.at else "")
                       + (f" ({c.changes} changes)" if c.changes > 1 else "")
                       for c in plan.changed_after])
    _listed(f"{len(plan.also_removed):,} taxon/institute record(s) the import added, to "
            "remove", [f"{r.table} {r.key}" for r in plan.also_removed])


def _dependent(dependent: import_undo.Dependent) -> str:
    """What depends on an accession: "1 seed lot(s)", or the withdrawn accessions that name
    it in their withdrawal, by their numbers."""
    if dependent.names:
        more = dependent.count - len(dependent.names)
        return ("withdrawn " + ", ".join(dependent.names) + (f" and {more:,} more" if more
                                                             else "")
                + (" names it" if dependent.count == 1 else " name it")
                + " as the other accession of its withdrawal")
    return f"{dependent.count:,} {dependent.table.replace('_', ' ')}(s)"


def _listed(title: str, lines: list[str]) -> None:
    print(title + (":" if lines else ""))
    for line in lines[:SHOWN]:
        print(f"  {line}")
    if len(lines) > SHOWN:
        print(f"  ... and {len(lines) - SHOWN:,} more")


def _value(value: object) -> str:
    return "(empty)" if value is None or value == [] else f"'{shown(value)}'"
