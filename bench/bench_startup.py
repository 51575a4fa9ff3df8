"""Benchmark a cold start of the app against a bare PySide6 window with a table measured in
the same run (issue 15: each at most 3x): from the start of the process to the painted
sign-in dialog, and from Sign in to the painted main window.

    python bench/bench_startup.py [DATABASE] [--runs N]

The database gets a person "bench" (an administrator) the first time, so that it asks who
signs in; one start that is not measured lets the workstation's settings remember that it
does (as every start after a person's first one), so the sign-in dialog shows before the
database opens. Each run is a new Python process; the bare window and the app alternate, so
that whatever else the machine does weighs on both alike. Wall-clock and CPU time (user +
system of the process) are given for the whole start; on a busy machine the CPU time is the
steadier figure. Sign in is clicked once the dialog is ready (the database open behind it:
``ready``, a person typing a password takes longer than that); a click before it waits.

``genebank --version`` (the installed command next to this Python) is measured against a
process that imports SQLAlchemy, alternating too (issue 15: at most 1.5x).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Waits for the first shown QMainWindow, whatever dialogs or nested event loops come first
# (opening a database runs its work off the GUI thread in a loop of its own), and reports
# once it has painted; what happens after (background work at exit) is not part of the start.
WAIT_FOR_WINDOW = """
import os, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow

def watch(app):
    signing_in, painted = [], []
    def look():
        dialog = next((w for w in app.topLevelWidgets() if isinstance(w, QDialog)
                       and w.objectName() == "sign_in" and w.isVisible()), None)
        if dialog is not None and not signing_in and not painted:
            dialog.grab()
            painted.append(time.time())
            print("dialog", painted[0], flush=True)
        if dialog is not None and not signing_in and dialog.database is not None:
            print("ready", time.time(), flush=True)
            dialog.findChild(QLineEdit, "user_name").setText("bench")
            dialog.findChild(QLineEdit, "password").setText(os.environ["BENCH_PASSWORD"])
            signing_in.append(time.time())
            dialog.try_sign_in()
        window = next((w for w in app.topLevelWidgets()
                       if isinstance(w, QMainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(5, look)
            return
        window.grab()
        print("signed", signing_in[0] if signing_in else time.time(), flush=True)
        print("window", time.time(), flush=True)
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


PASSWORD = "bench-password-1"
SETTINGS_HOME = Path(tempfile.mkdtemp(prefix="genebank-bench-settings-"))


def timed(code: str, *arguments: str) -> dict[str, float]:
    """Seconds from the start of the process to each mark it prints (``dialog``: the
    sign-in dialog painted; ``signed``: Sign in clicked; ``window``: the main window
    painted), and ``cpu``: its CPU seconds."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BENCH_PASSWORD": PASSWORD,
           "XDG_CONFIG_HOME": str(SETTINGS_HOME)}  # the bench's own settings, not the user's
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    result = subprocess.run([sys.executable, "-c", code, *arguments], env=env, check=True,
                            capture_output=True, text=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks = {line.split()[0]: float(line.split()[1]) - started
             for line in result.stdout.splitlines() if len(line.split()) == 2}
    marks["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return marks


def with_a_person(database: Path) -> None:
    """Give ``database`` the person the benchmark signs in as, if it has nobody yet."""
    env = {**os.environ, "GENEBANK_NEW_PASSWORD": PASSWORD}
    listed = subprocess.run([sys.executable, "-m", "genebank.cli", "--database", str(database),
                             "users", "list"], env=env, capture_output=True, text=True)
    if "bench" not in listed.stdout:
        subprocess.run([sys.executable, "-m", "genebank.cli", "--database", str(database),
                        "users", "add", "bench", "--roles", "administrator"], env=env,
                       check=True, capture_output=True, text=True)


def timed_command(command: list[str]) -> float:
    """Wall-clock seconds of one run of ``command``."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def bench_version(runs: int) -> None:
    """``genebank --version`` against importing SQLAlchemy, alternating."""
    script = Path(sys.executable).with_name("genebank")
    command = [str(script), "--version"] if script.exists() else \
        [sys.executable, "-m", "genebank.cli_start", "--version"]
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(timed_command([sys.executable, "-c", "import sqlalchemy"]))
        ours.append(timed_command(command))
    mine, base = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
    print(f"genebank --version (median of {runs}): {mine:.0f} ms, a process importing "
          f"SQLAlchemy {base:.0f} ms, ratio {mine / base:.2f} (target <= 1.5)")


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
    with_a_person(args.database)
    timed(APP, str(args.database))  # not measured: the settings learn that it asks
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(timed(BARE))
        app.append(timed(APP, str(args.database)))

    def median(runs: list[dict[str, float]], figure: Callable[[dict[str, float]], float]) \
            -> float:
        return statistics.median(figure(run) for run in runs) * 1000

    base = median(bare, lambda run: run["window"])
    for label, figure in (
            ("start to the painted sign-in dialog", lambda run: run["dialog"]),
            ("Sign in to the painted main window", lambda run: run["window"] - run["signed"])):
        ours = median(app, figure)
        print(f"{label} (median of {args.runs}): {ours:.0f} ms, bare PySide6 window with a "
              f"table {base:.0f} ms, ratio {ours / base:.2f} (target <= 3)")
    print(f"the sign-in dialog painted to the database open behind it: "
          f"{median(app, lambda run: run['ready'] - run['dialog']):.0f} ms")
    for label, key in (("wall clock", "window"), ("CPU time", "cpu")):
        ours = median(app, lambda run, key=key: run[key])
        theirs = median(bare, lambda run, key=key: run[key])
        print(f"whole start to the painted main window, {label}: {ours:.0f} ms against "
              f"{theirs:.0f} ms, ratio {ours / theirs:.2f}")
    bench_version(args.runs)


if __name__ == "__main__":
    main()
