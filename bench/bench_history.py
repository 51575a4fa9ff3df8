"""Benchmark the change history's cost on the 100,000-row passport import: the same checked
preview written into fresh databases with and without history, alternately, in one run
(machines of one kind run at different speeds from session to session: compare within a
run). Also a form save, and an accession's story read from a history of 10 million
entries (built with bulk SQL in the last SQLite file: the time to build it is printed).

    python bench/bench_history.py [--rows N] [--postgres URL] [--history-rows N]

"Without history" switches the listeners off and skips the import's own entries: the
import as it was before the history existed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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
from genebank.history import capture, queries
from genebank.io import passport_preview, spreadsheet
from genebank.models.history import ChangeEntry, ChangeSet
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
    parser.add_argument("--history-rows", type=int, default=10_000_000,
                        help="entries of the story-at-scale measurement (0: skip it)")
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
        sets = connection.execute(select(func.count()).select_from(ChangeSet)).scalar()
        print(f"  {sets:,} change sets")
        if last.is_sqlite:
            pages = connection.execute(text(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%change_entry%' "
                "OR name LIKE '%change_set%'")).scalar()
            fields = connection.execute(text(
                "SELECT SUM((SELECT COUNT(*) FROM json_each(fields))) FROM change_entry"
            )).scalar()
            total = connection.execute(text("SELECT SUM(pgsize) FROM dbstat")).scalar()
            print(f"  {entries:,} entries ({fields:,} field changes: rows if one per field), "
                  f"{pages / 1e6:.1f} MB with their indexes, of {total / 1e6:.1f} MB")
        else:
            size = connection.execute(text(
                "SELECT pg_total_relation_size('change_entry') "
                "+ pg_total_relation_size('change_set')")).scalar()
            print(f"  {entries:,} entries, {size / 1e6:.1f} MB with their indexes")
    form_saves(databases[-1])
    if last.is_sqlite and args.history_rows:
        story_at_scale(last, args.history_rows)
    for database in databases:
        database.close()


def form_saves(database: db.Database, saves: int = 200) -> None:
    """An accession saved on its form (its origin changed back and forth), each its own
    transaction, with and without history, alternately."""
    from genebank.passport import accessions

    with database.session_factory() as session:
        accession_id = session.scalar(text("SELECT min(id) FROM accession"))
    times: dict[str, list[float]] = {"without": [], "with": []}
    used: dict[str, list[float]] = {"without": [], "with": []}
    for number in range(saves):
        kind = ("with", "without")[number % 2]
        with database.session_factory.begin() as session:
            passport = accessions.get_passport(session, accession_id)
            values = dict(passport.values)
            values["ORIGCTY"] = ("KAZ", "UZB")[number % 4 // 2]
            started, cpu = time.perf_counter(), time.process_time()
            with (contextlib.nullcontext() if kind == "with" else
                  capture.recorded_by_caller(session)):
                accessions.update_accession(session, accession_id,
                                            expected_version=passport.version, values=values)
                session.flush()
            times[kind].append(time.perf_counter() - started)
            used[kind].append(time.process_time() - cpu)
    base = statistics.median(times["without"]) * 1000
    cost = statistics.median(times["with"]) * 1000
    print(f"form save of one accession (median of {saves // 2} each): without history "
          f"{base:.1f} ms, with {cost:.1f} ms (+{cost - base:.1f} ms); CPU "
          f"{statistics.median(used['without']) * 1000:.1f} and "
          f"{statistics.median(used['with']) * 1000:.1f} ms")


def _stories(database: db.Database, keys: list[tuple[str, str]]
             ) -> tuple[list[float], list[float], int]:
    """Milliseconds (wall clock, CPU) to read each accession's story (one session per
    read, as a window), and the entries read in all."""
    spent, used, read = [], [], 0
    for instcode, accenumb in keys:
        with database.session_factory() as session:
            started, cpu = time.perf_counter(), time.process_time()
            story = queries.accession_history(session, instcode=instcode, accenumb=accenumb)
            spent.append((time.perf_counter() - started) * 1000)
            used.append((time.process_time() - cpu) * 1000)
            assert story, (instcode, accenumb)
            read += len(story)
    return spent, used, read


def story_at_scale(database: db.Database, total: int, reads: int = 50) -> None:
    """An accession's story with ``total`` history entries: 50 accessions' stories read
    before (the import's entries only: the baseline) and after adding entries with bulk
    SQL until there are ``total``, ten per change set, spread over the accessions (about
    100 each at 100,000 accessions and 10 million entries) and five years."""
    with database.engine.connect() as connection:
        keys = [(i, a) for i, a in connection.execute(text(
            f"SELECT instcode, accenumb FROM accession ORDER BY (id * 7919) % 100003 "
            f"LIMIT {reads}"))]
        accessions, stored, first_set = connection.execute(text(
            "SELECT (SELECT MAX(id) FROM accession), (SELECT COUNT(*) FROM change_entry), "
            "(SELECT MAX(id) FROM change_set)")).one()
    _stories(database, keys[:5])  # warm
    before, before_cpu, before_read = _stories(database, keys)
    adding = total - stored
    started = time.perf_counter()
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN")
        indexes = cursor.execute(  # built after the rows, as an import's (late_indexes)
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('change_entry', 'change_set')").fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO change_set (id, at, user_id, user_name, os_user, workstation, "
            "operation, import_log_id, reference, reason) "
            "SELECT ? + 1 + i, datetime('2021-11-26', '+' || (i * 157680000 / ?) || ' seconds'),"
            " i % 40, 'user ' || (i % 40), 'login' || (i % 40), 'PC-' || (i % 12), "
            "CASE WHEN i % 10 = 0 THEN 'correction' ELSE 'form' END, NULL, '', "
            "CASE WHEN i % 10 = 0 THEN 'typo in the name' ELSE '' END FROM n",
            (adding // 10, first_set, adding // 10 + 1))
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO change_entry (change_set_id, subject_type, subject_id, subject_key,"
            " table_name, row_id, action, fields) "
            "SELECT ? + 1 + i / 10, 'accession', 1 + (i * 7919) % ?, "
            "'KAZ001:KZ-' || (1 + (i * 7919) % ?), 'accession', CAST(1 + (i * 7919) % ? AS TEXT), "
            "'changed', '{\"ORIGCTY\":[\"KAZ\",\"UZB\"],\"ACCENAME\":[[\"Kyzyl\"],"
            "[\"Kyzyl bidai\"]]}' FROM n",
            (adding - 1, first_set, accessions, accessions, accessions))
        for _name, sql in indexes:
            cursor.execute(sql)
        cursor.execute("COMMIT")
    finally:
        raw.close()
    built = time.perf_counter() - started
    with database.engine.connect() as connection:
        entries = connection.execute(text("SELECT COUNT(*) FROM change_entry")).scalar()
        sets = connection.execute(text("SELECT COUNT(*) FROM change_set")).scalar()
    _stories(database, keys[:5])  # warm, as a window read after others
    after, after_cpu, after_read = _stories(database, keys)
    print(f"an accession's story, {reads} accessions (median / slowest, wall clock; CPU):")
    print(f"  {stored:,} entries: {before_read / reads:.0f} entries a story, "
          f"{statistics.median(before):.1f} / {max(before):.1f} ms; CPU "
          f"{statistics.median(before_cpu):.1f} / {max(before_cpu):.1f} ms")
    print(f"  {entries:,} entries ({sets:,} sets; built in {built:.0f} s): "
          f"{after_read / reads:.0f} entries a story, "
          f"{statistics.median(after):.1f} / {max(after):.1f} ms; CPU "
          f"{statistics.median(after_cpu):.1f} / {max(after_cpu):.1f} ms; slowest "
          f"{max(after) / 100:4.2f} of the 100 ms target")
    with database.session_factory() as session:
        for label, call in (
                ("a person's newest 1,000 changes",
                 lambda: queries.recent_changes(session, user="user 7")),
                ("the newest 1,000 changes", lambda: queries.recent_changes(session)),
                ("a person's changes in one week (up to 1,000)",
                 lambda: queries.recent_changes(
                     session, user="user 7", since=dt.datetime(2024, 3, 1),
                     until=dt.datetime(2024, 3, 8))),
                ("what the import did (newest 1,000)",
                 lambda: queries.recent_changes(session, import_log_id=1))):
            call()
            spent, used = [], []
            for _ in range(5):
                started, cpu = time.perf_counter(), time.process_time()
                found = call()
                spent.append((time.perf_counter() - started) * 1000)
                used.append((time.process_time() - cpu) * 1000)
            print(f"  {label}: {len(found):,} in {statistics.median(spent):.1f} ms "
                  f"(CPU {statistics.median(used):.1f} ms; median of 5)")


if __name__ == "__main__":
    main()
