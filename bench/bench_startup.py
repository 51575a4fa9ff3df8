"""Benchmark a cold start of the app to its painted main window, against a bare PySide6
window with a table measured in the same run (issue 15: at most 3x).

    python bench/bench_startup.py [DATABASE] [--runs N]

Each run is a new Python process (imports included) that prints the time at which its main
window has painted, then quits. The bare window and the app alternate, so that whatever
else the machine does weighs on both alike. Wall-clock and CPU time (user + system of the
process) are both given: on a busy machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Waits for the first shown QMainWindow, whatever dialogs or nested event loops come first
# (opening a database runs its work off the GUI thread in a loop of its own), and reports
# once it has painted; what happens after (background work at exit) is not part of the start.
WAIT_FOR_WINDOW = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def watch(app):
    def look():
        window = next((w for w in app.topLevelWidgets()
                       if isinstance(w, QMainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(5, look)
            return
        window.grab()
        print(time.time(), flush=True)
        app.quit()
        QTimer.singleShot(0, lambda: app.exit(0))
    QTimer.singleShot(0, look)
"""

APP = WAIT_FOR_WINDOW + """
import sys
import ui.app as app_module
app = QApplication([])
watch(app)
sys.exit(app_module.main(["--database", sys.argv[1]]))
"""

BARE = WAIT_FOR_WINDOW + """
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView
app = QApplication([])
window = QMainWindow()
table = QTableView(window)
table.setModel(QStandardItemModel(100, 10))
window.setCentralWidget(table)
window.resize(1200, 800)
window.show()
watch(app)
app.exec()
"""


def timed(code: str, *arguments: str) -> tuple[float, float]:
    """Seconds from the start of the process to its painted window, and its CPU seconds."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    result = subprocess.run([sys.executable, "-c", code, *arguments], env=env, check=True,
                            capture_output=True, text=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(result.stdout.split()[-1]) - started, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", nargs="?", default="bench/demo-1m.db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.database.exists():
        sys.exit(f"{args.database} does not exist; run bench/bench_table.py first")
    # An installed app starts from its compiled modules; a checkout run with
    # PYTHONDONTWRITEBYTECODE (set on some machines) would compile ~200 modules at every
    # start (0.8 s here) and measure that instead.
    for package in ("genebank", "ui"):
        compileall.compile_dir(Path(__file__).resolve().parent.parent / package, quiet=1)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(timed(BARE))
        app.append(timed(APP, str(args.database)))
    for label, index in (("wall clock", 0), ("CPU time", 1)):
        base = statistics.median(run[index] for run in bare) * 1000
        ours = statistics.median(run[index] for run in app) * 1000
        print(f"cold start to a painted window, {label} (median of {args.runs}): "
              f"app {ours:.0f} ms, bare PySide6 window with a table {base:.0f} ms, "
              f"ratio {ours / base:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
