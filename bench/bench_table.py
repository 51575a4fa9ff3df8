"""Benchmark the accession table on a big demo database (issue: 1,000,000 accessions).

    python bench/bench_table.py [DATABASE] [--accessions N]

Creates the demo database first if it does not exist. Prints figures and their ratio to
the targets; asserts nothing. Each figure is wall-clock time; "cpu" beside it is the CPU
time of the whole process (every thread) over the same interval, the steadier figure on a
shared machine. What the app loads behind its sign-in dialog before the main window is made
(``ui.app.BEHIND_THE_DIALOG``: ``genebank.demo.demo_removal`` and what it imports) is
imported first here too, so that "open the accession table" times the window and the table,
not Python importing modules (before issue 15 the main window's module imported them).
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
from genebank.demo import demo, demo_removal  # noqa: F401 (see the docstring)
from genebank.passport.accession_query import AccessionFilter
from ui.main_window import MainWindow
from ui.settings import Settings


class Timer:
    """Wall-clock and process CPU time from its start (``time.process_time``: every thread,
    the id loader's too)."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def seconds(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def report(label: str, timer: Timer, target_ms: float) -> None:
    wall, cpu = timer.seconds()
    ms = wall * 1000
    print(f"{label:<55} {ms:8.1f} ms   target {target_ms:6.0f} ms   ratio {ms / target_ms:5.2f}"
          f"   cpu {cpu * 1000:8.1f} ms")


def note(label: str, timer: Timer) -> None:
    wall, cpu = timer.seconds()
    print(f"{label:<55} {wall * 1000:8.1f} ms"
          f"{'':35}cpu {cpu * 1000:8.1f} ms")


def ensure_demo(path: Path, accessions: int) -> None:
    if path.exists():
        return
    print(f"Creating {accessions:,} demo accessions in {path} ...", flush=True)
    database = db.open_database(str(path), user="bench")
    timer = Timer()
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=accessions)
    report(f"genebank demo --accessions {accessions:,}", timer, 60000)
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

    timer = Timer()
    window = MainWindow(database, settings)
    window.resize(1280, 800)
    window.show()
    window.table.viewport().grab()  # forces the first paint of the visible rows
    report("open the accession table to first paint", timer, 300)
    timer = Timer()
    wait_for_ids(app, window)
    note("  (all ids loaded in the background after)", timer)

    timer = Timer()
    window.table.scrollToBottom()
    window.table.viewport().grab()
    report("scroll to the last row", timer, 50)
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
        timer = Timer()
        model.set_filter(where)
        window.table.viewport().grab()
        report(f"{label}: count {model.rowCount():,} + first page", timer, 100)
        wait_for_ids(app, window)
    model.set_filter(AccessionFilter())
    wait_for_ids(app, window)
    for column, spec in enumerate(model.COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            timer = Timer()
            model.sort(column, order)
            window.table.viewport().grab()
            first_wall, first_cpu = timer.seconds()
            wait_for_ids(app, window)
            direction = "asc" if order == Qt.SortOrder.AscendingOrder else "desc"
            report(f"sort by {spec.title} ({direction}), all ids loaded", timer, 500)
            print(f"{'  of which first page painted':<55} {first_wall * 1000:8.1f} ms"
                  f"{'':35}cpu {first_cpu * 1000:8.1f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of the whole app (max RSS)':<55} {peak_mb:8.1f} MB   target "
          f"   250 MB   ratio {peak_mb / 250:5.2f}")
    window.close()
    database.close()


if __name__ == "__main__":
    sys.exit(main())
