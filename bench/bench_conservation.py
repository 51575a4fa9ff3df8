"""Benchmark the conservation worklists and tab (issue: 1,000,000 accessions, 1,500,000 lots,
3,000,000 tests in SQLite; every list counted and first page shown in <= 500 ms; an
accession's conservation tab opened in <= 100 ms).

    python bench/bench_conservation.py [DATABASE] [--accessions N]

Creates the demo database (with lots and tests) first if it does not exist. Prints figures
and their ratio to the targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from genebank import db
from genebank.conservation import conservation_view, worklists
from genebank.conservation.worklists import WorkQuery
from genebank.demo import demo
from genebank.models import (
    Accession,
    GerminationTest,
    LotTransaction,
    MoistureTest,
    SeedLot,
)
from ui.views.attention_view import AttentionView
from ui.views.conservation_tab import ConservationTab


def report(label: str, seconds: float, target_ms: float) -> None:
    ms = seconds * 1000
    print(f"{label:<62} {ms:8.1f} ms   target {target_ms:5.0f} ms   ratio {ms / target_ms:5.2f}")


def ensure_demo(path: Path, accessions: int) -> None:
    if path.exists():
        return
    print(f"Creating {accessions:,} demo accessions with lots and tests in {path} ...",
          flush=True)
    database = db.open_database(db.sqlite_url(path), user="bench")
    started = time.perf_counter()
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=accessions)
    print(f"  created in {time.perf_counter() - started:.1f} s", flush=True)
    database.close()


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", nargs="?", default="bench/conservation-1m.sqlite")
    parser.add_argument("--accessions", type=int, default=1_000_000)
    args = parser.parse_args()
    path = Path(args.database)
    ensure_demo(path, args.accessions)
    database = db.open_database(db.sqlite_url(path), user="bench")
    today = dt.date.today()
    with database.session_factory() as session:
        sizes = {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                 for model in (Accession, SeedLot, LotTransaction, GerminationTest,
                               MoistureTest)}
        print("  " + ", ".join(f"{name} {count:,}" for name, count in sizes.items()))
        print(f"\nWorklists (count + first page of 200), SQLite {sqlite3.sqlite_version}:")
        some_lot = session.scalar(select(SeedLot.lot_number).where(
            SeedLot.status == "active", SeedLot.next_test_due <= today).limit(1))
        worst = 0.0
        for worklist in worklists.WORKLISTS:
            orders = worklists.SORT_KEYS if worklist.per_lot else ("accession", "taxon")
            for order in orders:
                for descending in (False, True):
                    query = WorkQuery(worklist.id, today, order=order, descending=descending)
                    seconds, _ = timed(lambda q=query: (worklists.count(session, q),
                                                        worklists.page(session, q)))
                    worst = max(worst, seconds)
                    if not descending and order in ("accession", "due", "taxon"):
                        report(f"{worklist.title} ({worklists.count(session, query):,}) "
                               f"by {order}", seconds, 500)
        report("slowest list/order of all (both directions)", worst, 500)
        scanned = WorkQuery(worklists.TESTS_DUE, today, search=some_lot or "L0")
        seconds, _ = timed(lambda: (worklists.count(session, scanned),
                                    worklists.page(session, scanned)))
        report(f"tests due, search a scanned lot number ({some_lot})", seconds, 500)
        seconds, _ = timed(worklists.overview, session, today=today)
        report("collection overview: all seven counts", seconds, 500)

        print("\nConservation tab (lots with flags, then the first lot's history):")
        rng = random.Random(7)
        ids = [rng.randint(1, sizes["accession"]) for _ in range(50)]
        times = []
        for accession_id in ids:
            seconds, _ = timed(lambda a=accession_id: [
                conservation_view.lot_history(session, lot.id) for lot in
                conservation_view.accession_lots(session, a, today=today)[:1]])
            times.append(seconds)
        report("services, median of 50 accessions", statistics.median(times), 100)
        report("services, slowest of 50 accessions", max(times), 100)

    app = QApplication.instance() or QApplication(sys.argv)
    widget_times = []
    for accession_id in ids[:20]:
        seconds, tab = timed(ConservationTab, database.session_factory, accession_id)
        app.processEvents()
        tab.deleteLater()
        widget_times.append(seconds)
    report("tab widget built and filled, median of 20", statistics.median(widget_times), 100)
    report("tab widget built and filled, slowest of 20", max(widget_times), 100)
    seconds, view = timed(AttentionView, database.session_factory)
    report("'Needs attention' window: overview + first list shown", seconds, 500)
    view.deleteLater()
    database.close()


if __name__ == "__main__":
    main()
