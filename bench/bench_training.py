"""Benchmark the training module (issue: 10,000 participants and 1,000 courses; search and
reports <= 200 ms; a 2,000-row participant sheet imported in <= 3 s; 100 certificates
generated in <= 10 s).

    python bench/bench_training.py [--participants N] [--courses N]

Builds a fresh demo database in a temporary folder. Prints figures and their ratio to the
targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from genebank import db
from genebank.demo import demo_training
from genebank.io import headings, spreadsheet
from genebank.training import (
    certificates,
    courses,
    participant_import,
    participants,
    training_reports,
)
from genebank.training.training_reports import Period


def report(label: str, seconds: float, target_ms: float) -> None:
    ms = seconds * 1000
    print(f"{label:<58} {ms:9.1f} ms   target {target_ms:6.0f} ms   ratio {ms / target_ms:5.2f}")


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=1_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="genebank-training-bench-"))
    database = db.open_database(db.sqlite_url(folder / "training.sqlite"), user="bench")
    with database.session_factory.begin() as session:
        seconds, demo = timed(demo_training.load_training_demo, session,
                              courses=args.courses, people=args.participants)
    print(f"Demo: {demo.participants:,} participants, {demo.courses:,} courses, "
          f"{demo.enrolments:,} enrolments, {demo.certificates:,} certificates "
          f"in {seconds:.1f} s (Python {sys.version.split()[0]})\n")
    with database.session_factory() as session:
        for text in ("aig", "diallo", "nurlanova aig", "institut", ""):
            seconds, _ = timed(lambda t=text: (participants.count_participants(session, text=t),
                                               participants.find_participants(session, text=t)))
            report(f"participant search '{text}': count + first 200", seconds, 200)
        seconds, _ = timed(courses.find_courses, session, text="seed")
        report("course search 'seed'", seconds, 200)
        period = Period()
        for breakdown in training_reports.BREAKDOWNS:
            seconds, rows = timed(training_reports.participants_by, session, breakdown, period)
            report(f"report per {breakdown} ({len(rows):,} rows), all years", seconds, 200)
        seconds, _ = timed(training_reports.institutions_by_country, session, period)
        report("report: institutions trained per country", seconds, 200)
        seconds, _ = timed(training_reports.totals, session, period)
        report("report: totals and completion rate", seconds, 200)
        seconds, pairs = timed(participants.likely_duplicates, session)
        print(f"{'likely duplicates over everyone (' + format(len(pairs), ',') + ' pairs)':<58}"
              f" {seconds * 1000:9.1f} ms   (on demand, no target)")

    sheet_path = folder / "participants.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["No", "Surname", "First name", "Sex", "Country", "Organisation",
                        "Position", "E-mail", "Phone"])
    rng = random.Random(5)
    for number in range(1, 2001):
        book.active.append([number, f"Family{number}", rng.choice(("Amina", "Omar", "Dilnoza")),
                            rng.choice("MF"), rng.choice(("Senegal", "KAZ", "Egypt", "MYS")),
                            "National gene bank", "Technician", f"person{number}@example.org",
                            f"+221 77 {number:07d}"])
    book.save(sheet_path)
    with database.session_factory.begin() as session:
        course = courses.find_courses(session)[0].id
        started = time.perf_counter()
        sheet = spreadsheet.read_sheet(sheet_path)
        mapping = headings.suggest_mapping(sheet.rows[0], headings.PARTICIPANTS)
        preview = participant_import.preview_participants(session, sheet, mapping)
        checked = time.perf_counter()
        result = participant_import.import_participants(session, preview)
        done = time.perf_counter()
    report("2,000-row participant sheet: read + check", checked - started, 3000)
    report("... + import, committed (" + result.line()[:28] + ")", done - started, 3000)

    with database.session_factory.begin() as session:
        ids = [r.id for r in certificates.register(session)][:100]
        seconds, paths = timed(certificates.write_pdfs, session, ids, folder / "pdf")
    report(f"{len(paths)} certificates generated as PDFs", seconds, 10_000)
    print(f"\n(course used for the import: {course}; files in {folder})")
    database.close()


if __name__ == "__main__":
    main()
