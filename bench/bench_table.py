"""Benchmark the accession table on a big demo database (issue: 1,000,000 accessions).

    python bench/bench_table.py [DATABASE] [--accessions N]

Creates the demo database first if it does not exist. Prints figures and their ratio to
the targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtWidgets import QApplication

from genebank import db
from genebank.demo import demo
from genebank.passport.accession_query import AccessionFilter
from ui.main_window import MainWindow
from ui.settings import Settings


def report(label: str, seconds: float, target_ms: float) -> None:
    ms = seconds * 1000
    print(f"{label:<55} {ms:8.1f} ms   target {target_ms:6.0f} ms   ratio {ms / target_ms:5.2f}")


def ensure_demo(path: Path, accessions: int) -> None:
    if path.exists():
        return
    print(f"Creating {accessions:,} demo accessions in {path} ...", flush=True)
    database = db.open_database(str(path), user="bench")
    started = time.perf_counter()
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=accessions)
    report(f"genebank demo --accessions {accessions:,}", time.perf_counter() - started, 60000)
    database.close()


def wait_for_ids(app: QApplication, window: MainWindow) -> None:
    """Run Qt's event loop until every id is loaded (see ui/tasks.py on why not a loop)."""
    assert window.model is not None
    if not window.model.is_complete:
        loop = QEventLoop()
        window.model.ids_loaded.connect(loop.quit)
        loop.exec()
        window.model.ids_loaded.disconnect(loop.quit)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", nargs="?", default="bench/demo-1m.db", type=Path)
    parser.add_argument("--accessions", type=int, default=1_000_000)
    args = parser.parse_args()
    ensure_demo(args.database, args.accessions)
    app = QApplication([])
    settings = Settings(QSettings(str(args.database) + ".ini", QSettings.Format.IniFormat))
    database = db.open_database(str(args.database))

    started = time.perf_counter()
    window = MainWindow(database, settings)
    window.resize(1280, 800)
    window.show()
    window.table.viewport().grab()  # forces the first paint of the visible rows
    report("open the accession table to first paint", time.perf_counter() - started, 300)
    started = time.perf_counter()
    wait_for_ids(app, window)
    print(f"{'  (all ids loaded in the background after)':<55} "
          f"{(time.perf_counter() - started) * 1000:8.1f} ms")

    started = time.perf_counter()
    window.table.scrollToBottom()
    window.table.viewport().grab()
    report("scroll to the last row", time.perf_counter() - started, 50)
    model = window.model
    assert model is not None
    print(f"{'  last row shown':<55} {model.data(model.index(model.rowCount() - 1, 0))}")

    filters = {
        "search 'DEMO-00012' (number prefix)": AccessionFilter(text="DEMO-00012"),
        "search 'Aral' (name)": AccessionFilter(text="Aral"),
        "search 'wheat' (crop)": AccessionFilter(text="wheat"),
        "filter crop = barley": AccessionFilter(cropname="barley"),
        "filter country = KAZ": AccessionFilter(origcty="KAZ"),
        "filter SAMPSTAT = 300": AccessionFilter(sampstat=300),
        "filter STORAGE = 13": AccessionFilter(storage=13),
        "filter KAZ + 300 + STORAGE 13": AccessionFilter(origcty="KAZ", sampstat=300, storage=13),
        "filter genus Triticum + STORAGE 12": AccessionFilter(genus="Triticum", storage=12),
    }
    for label, where in filters.items():
        started = time.perf_counter()
        model.set_filter(where)
        window.table.viewport().grab()
        report(f"{label}: count {model.rowCount():,} + first page",
               time.perf_counter() - started, 100)
        wait_for_ids(app, window)
    model.set_filter(AccessionFilter())
    wait_for_ids(app, window)
    for column, spec in enumerate(model.COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            started = time.perf_counter()
            model.sort(column, order)
            window.table.viewport().grab()
            first_page = time.perf_counter() - started
            wait_for_ids(app, window)
            direction = "asc" if order == Qt.SortOrder.AscendingOrder else "desc"
            report(f"sort by {spec.title} ({direction}), all ids loaded",
                   time.perf_counter() - started, 500)
            print(f"{'  of which first page painted':<55} {first_page * 1000:8.1f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of the whole app (max RSS)':<55} {peak_mb:8.1f} MB   target "
          f"   250 MB   ratio {peak_mb / 250:5.2f}")
    window.close()
    database.close()


if __name__ == "__main__":
    sys.exit(main())
