"""Benchmark a cold start of the app to a shown window on an existing database.

    python bench/bench_startup.py [DATABASE] [--runs N]

Each run is a new Python process (imports included) that exits once the window has painted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The child reports the wall-clock time at which the main window has painted, then quits;
# what happens after (waiting for background work at exit) is not part of the start.
CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import ui.app as app_module
app = QApplication([])
def shown():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
    window.grab()
    print(time.time(), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
sys.exit(app_module.main(["--database", sys.argv[1]]))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", nargs="?", default="bench/demo-1m.db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.database.exists():
        sys.exit(f"{args.database} does not exist; run bench/bench_table.py first")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(args.runs):
        started = time.time()
        result = subprocess.run([sys.executable, "-c", CHILD, str(args.database)], env=env,
                                check=True, capture_output=True, text=True)
        times.append(float(result.stdout.split()[-1]) - started)
    median = statistics.median(times) * 1000
    print(f"cold start to a shown window (median of {args.runs}): {median:.0f} ms   "
          f"target 1500 ms   ratio {median / 1500:.2f}")


if __name__ == "__main__":
    main()
