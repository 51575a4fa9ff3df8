"""Benchmark the change history's cost on the 100,000-row passport import: the same checked
preview written into fresh databases with and without history, alternately, in one run
(machines of one kind run at different speeds from session to session: compare within a
run). Also an update import of every row, and a form save.

    python bench/bench_history.py [--rows N] [--postgres URL]

"Without history" switches the listeners off and skips the import's own entries: the
import as it was before the history existed.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).parent))
from bench_exchange import generate

from genebank import db
from genebank.history import capture
from genebank.io import passport_preview, spreadsheet
from genebank.models.history import ChangeEntry
from genebank.passport import passport_existing, passport_import


@contextlib.contextmanager
def without_history(session: object) -> Iterator[None]:
    kept = passport_import._record
    passport_import._record = lambda *args: None  # type: ignore[assignment]
    try:
        with capture.recorded_by_caller(session):  # type: ignore[arg-type]
            yield
    finally:
        passport_import._record = kept


def fresh(url: str | None, folder: Path, name: str) -> db.Database:
    if url is None:
        return db.open_database(str(folder / f"{name}.sqlite"))
    from tests.conftest import create_postgres_database

    return db.open_database(create_postgres_database("genebank_bench"))


def one_import(database: db.Database, source: Path, history: bool,
               on_existing: passport_import.OnExisting) -> tuple[float, float]:
    """Wall-clock and CPU seconds (both threads: the CPU figure is the steadier one on a
    machine shared with other work)."""
    preview = passport_preview.preview_passports(spreadsheet.read_sheet(source))
    started, cpu = time.perf_counter(), time.process_time()
    with database.session_factory.begin() as session:
        passport_existing.mark_existing(session, preview)
        with (contextlib.nullcontext() if history else without_history(session)):
            passport_import.apply_import(session, preview, on_existing=on_existing)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    source = folder / "mcpd.xlsx"
    generate(source, args.rows)
    times: dict[str, list[float]] = {"without": [], "with": []}
    cpu: dict[str, list[float]] = {"without": [], "with": []}
    databases, kinds = [], []
    for round_ in range(args.rounds):
        for kind in (("without", "with") if round_ % 2 == 0 else ("with", "without")):
            database = fresh(args.postgres, folder, f"{kind}{round_}")
            databases.append(database)
            kinds.append(kind)
            wall, used = one_import(database, source, kind == "with",
                                    passport_import.OnExisting.SKIP)
            times[kind].append(round(wall, 2))
            cpu[kind].append(round(used, 2))
    base, cost = statistics.median(times["without"]), statistics.median(times["with"])
    print(f"{args.rows:,}-row import, write and commit (median of {args.rounds}):")
    print(f"  without history  {base:6.2f} s  {times['without']}")
    print(f"  with history     {cost:6.2f} s  {times['with']}   ratio {cost / base:4.2f}")
    base, cost = statistics.median(cpu["without"]), statistics.median(cpu["with"])
    print(f"  CPU without      {base:6.2f} s  {cpu['without']}")
    print(f"  CPU with         {cost:6.2f} s  {cpu['with']}   ratio {cost / base:4.2f}")
    last = next(d for d, kind in zip(databases, kinds, strict=True) if kind == "with")
    with last.engine.connect() as connection:
        entries = connection.execute(select(func.count()).select_from(ChangeEntry)).scalar()
        if last.is_sqlite:
            pages = connection.execute(text(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%change_entry%'")).scalar()
            fields = connection.execute(text(
                "SELECT SUM((SELECT COUNT(*) FROM json_each(fields))) FROM change_entry"
            )).scalar()
            total = connection.execute(text("SELECT SUM(pgsize) FROM dbstat")).scalar()
            print(f"  {entries:,} entries ({fields:,} field changes: rows if one per field), "
                  f"{pages / 1e6:.1f} MB with their indexes, of {total / 1e6:.1f} MB")
        else:
            size = connection.execute(text(
                "SELECT pg_total_relation_size('change_entry')")).scalar()
            print(f"  {entries:,} entries, {size / 1e6:.1f} MB with their indexes")
    form_saves(databases[-1])
    for database in databases:
        database.close()


def form_saves(database: db.Database, saves: int = 200) -> None:
    """An accession saved on its form (its origin changed back and forth), each its own
    transaction, with and without history, alternately."""
    from genebank.passport import accessions

    with database.session_factory() as session:
        accession_id = session.scalar(text("SELECT min(id) FROM accession"))
    times: dict[str, list[float]] = {"without": [], "with": []}
    for number in range(saves):
        kind = ("with", "without")[number % 2]
        with database.session_factory.begin() as session:
            passport = accessions.get_passport(session, accession_id)
            values = dict(passport.values)
            values["ORIGCTY"] = ("KAZ", "UZB")[number % 4 // 2]
            started = time.perf_counter()
            with (contextlib.nullcontext() if kind == "with" else
                  capture.recorded_by_caller(session)):
                accessions.update_accession(session, accession_id,
                                            expected_version=passport.version, values=values)
                session.flush()
            times[kind].append(time.perf_counter() - started)
    base = statistics.median(times["without"]) * 1000
    cost = statistics.median(times["with"]) * 1000
    print(f"form save of one accession (median of {saves // 2} each): without history "
          f"{base:.1f} ms, with {cost:.1f} ms (+{cost - base:.1f} ms)")


if __name__ == "__main__":
    main()
