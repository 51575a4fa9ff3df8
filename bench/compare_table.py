"""Run bench_table.py for two versions of Genebank in turn (A B A B ...) and compare.

    python bench/compare_table.py A_PYTHON A_DATABASE B_PYTHON B_DATABASE [--pairs N]
        [--out DIR]

Each PYTHON is the interpreter of a virtual environment where that version is installed
(``pip install -e``): the same bench_table.py (this folder's) is run by both, so each
imports its own version's code and gives the same figures with their CPU time. Each
DATABASE is that version's demo (its schema). On a shared machine only ratios measured in
the same run mean much: this prints, per figure, the median wall and CPU time of each
version and the median of the pairs' ratios (B / A). A first round of both is run and left
out, so that neither version meets a colder page cache than the other. Asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).with_name("bench_table.py")
LINE = re.compile(r"^(?P<label>\S.*?|  \S.*?)\s+(?P<ms>[\d.]+) ms.*?cpu\s+(?P<cpu>[\d.]+) ms")
COUNT = re.compile(r": count ([\d,]+) \+ first page")
MEMORY = re.compile(r"^peak memory.*?([\d.]+) MB")


def run(python: str, database: str, log: Path) -> tuple[dict[str, tuple[float, float]],
                                                        dict[str, str], float]:
    """One process of bench_table.py: {figure: (wall ms, cpu ms)}, counts, peak MB."""
    started = time.strftime("%H:%M:%S")
    done = subprocess.run([python, str(BENCH), database], capture_output=True, text=True,
                          check=True)
    log.write_text(f"# {started} {python} {database}\n{done.stdout}{done.stderr}")
    figures: dict[str, tuple[float, float]] = {}
    counts: dict[str, str] = {}
    previous = ""
    peak = float("nan")
    for line in done.stdout.splitlines():
        if found := MEMORY.match(line):
            peak = float(found.group(1))
            continue
        found = LINE.match(line)
        if not found:
            continue
        label = found.group("label").rstrip()
        if label.startswith("  "):
            label = f"{previous} / {label.strip()}"
        else:
            if count := COUNT.search(label):
                counts[label[:count.start()]] = count.group(1)
                label = label[:count.start()] + ": count + first page"
            previous = label
        figures[label] = (float(found.group("ms")), float(found.group("cpu")))
    return figures, counts, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("a_python")
    parser.add_argument("a_database")
    parser.add_argument("b_python")
    parser.add_argument("b_database")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("compare_table_logs"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    versions = {"A": (args.a_python, args.a_database), "B": (args.b_python, args.b_database)}
    results: dict[str, list[dict[str, tuple[float, float]]]] = {"A": [], "B": []}
    counts: dict[str, dict[str, str]] = {}
    peaks: dict[str, list[float]] = {"A": [], "B": []}
    for round_ in range(args.pairs + 1):
        for name, (python, database) in versions.items():
            figures, counts[name], peak = run(python, database,
                                              args.out / f"round{round_}-{name}.txt")
            print(f"round {round_} {name}: {len(figures)} figures, "
                  f"open {figures.get('open the accession table to first paint')}",
                  flush=True)
            if round_:  # round 0 warms the page cache for both
                results[name].append(figures)
                peaks[name].append(peak)
    print("\n| Figure | A wall ms | B wall ms | B/A wall (median of pairs) "
          "| A cpu ms | B cpu ms | B/A cpu (median of pairs) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in results["A"][0]:
        if not all(label in r for r in results["A"] + results["B"]):
            print(f"| {label} | (not in every run) |")
            continue
        row = [label]
        for kind in (0, 1):
            a = [r[label][kind] for r in results["A"]]
            b = [r[label][kind] for r in results["B"]]
            ratios = [y / x if x else float("nan") for x, y in zip(a, b, strict=True)]
            row += [f"{statistics.median(a):.1f}", f"{statistics.median(b):.1f}",
                    f"{statistics.median(ratios):.2f} ("
                    + ", ".join(f"{r:.2f}" for r in ratios) + ")"]
        print("| " + " | ".join(row) + " |")
    print(f"| peak memory (MB) | {statistics.median(peaks['A']):.0f} | "
          f"{statistics.median(peaks['B']):.0f} | "
          f"{statistics.median(peaks['B']) / statistics.median(peaks['A']):.2f} | | | |")
    for label, count in counts["A"].items():
        if counts["B"].get(label) != count:
            print(f"counts differ: {label}: A {count}, B {counts['B'].get(label)}")


if __name__ == "__main__":
    sys.exit(main())
