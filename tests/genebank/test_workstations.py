"""Several workstations writing to one database at once, as real processes (spawned, each
with its own connection), on SQLite and PostgreSQL: an import of 20,000 rows while another
workstation saves accessions, records tests and moves stock; two imports at once; two
withdrawals from one lot at once. Afterwards no process saw an error, every count is exact,
no accession exists twice and every lot holds what its ledger says."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from genebank import db, transactions
from genebank.demo import demo
from genebank.models import Accession, GerminationTest, LotTransaction, MoistureTest, SeedLot
from tests.genebank import workstation_jobs as jobs
from tests.genebank.mcpd_files import write_mcpd_csv

SPAWN = multiprocessing.get_context("spawn")
IMPORT_ROWS = 20_000


@pytest.fixture(scope="session")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20,000-row MCPD file with child rows (names, storage, numbers, sites, remarks)."""
    return write_mcpd_csv(tmp_path_factory.mktemp("files") / "collection.csv", IMPORT_ROWS)


@pytest.fixture
def collection(database: db.Database) -> Iterator[db.Database]:
    """A small collection with seed lots, tests and storage locations (the demo's)."""
    transactions.run_write(database, lambda session: demo.load_demo(session, accessions=40),
                           operation="Loading the demo")
    yield database


class Workstations:
    """Processes started together; :meth:`results` waits for all and fails on any error."""

    def __init__(self) -> None:
        self.queue = SPAWN.Queue()
        self.processes: list[Any] = []

    def start(self, name: str, job: Any, *args: Any) -> None:
        process = SPAWN.Process(target=jobs.run_job, args=(self.queue, name, job, *args))
        process.start()
        self.processes.append(process)

    def next_result(self, timeout: float = 120) -> tuple[str, Any]:
        name, outcome, value = self.queue.get(timeout=timeout)
        assert outcome == "ok", f"{name} failed:\n{value}"
        return name, value

    def results(self, timeout: float = 120) -> dict[str, Any]:
        found = dict(self.next_result(timeout) for _ in range(len(self.processes)
                                                              - self.collected))
        for process in self.processes:
            process.join(30)
            assert process.exitcode == 0
        return found

    collected = 0

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
                process.join()


@pytest.fixture
def workstations() -> Iterator[Workstations]:
    stations = Workstations()
    yield stations
    stations.close()


def count(database: db.Database, model: type) -> int:
    with database.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def counts(database: db.Database) -> dict[str, int]:
    return {"accessions": count(database, Accession), "moisture": count(database, MoistureTest),
            "germination": count(database, GerminationTest),
            "transactions": count(database, LotTransaction)}


def assert_consistent(database: db.Database) -> None:
    """No accession twice (INSTCODE + ACCENUMB, case folded) and every lot's quantity equal
    to the sum of its ledger."""
    with database.session_factory() as session:
        twice = session.execute(
            select(Accession.instcode, func.lower(Accession.accenumb), func.count())
            .group_by(Accession.instcode, func.lower(Accession.accenumb))
            .having(func.count() > 1)).all()
        assert twice == []
        ledger = (select(LotTransaction.lot_id, func.sum(LotTransaction.seeds).label("seeds"))
                  .group_by(LotTransaction.lot_id).subquery())
        wrong = session.execute(
            select(SeedLot.lot_number, SeedLot.seeds_on_hand, ledger.c.seeds)
            .join(ledger, ledger.c.lot_id == SeedLot.id)
            .where(SeedLot.seeds_on_hand != ledger.c.seeds)).all()
        assert wrong == []


def test_an_import_while_another_workstation_saves_tests_and_moves_stock(
        collection: db.Database, big_file: Path, workstations: Workstations) -> None:
    """A 20,000-row import from the command line runs while a second workstation saves
    accessions, takes seeds, records moisture and germination tests and moves lots until
    the import has finished: neither sees an error, and every count is exact."""
    before = counts(collection)
    import_done = SPAWN.Event()
    started = time.monotonic()
    workstations.start("import", jobs.import_mcpd, collection.url, str(big_file))
    workstations.start("clerk", jobs.clerk, collection.url, "CLERK", 7, import_done, 10, 400)
    finished = dict([workstations.next_result()])
    if "import" not in finished:  # the clerk did all its rounds first (a quick machine)
        finished.update([workstations.next_result()])
    code, line, errors = finished["import"]
    assert code == 0, errors
    assert line.startswith(f"{IMPORT_ROWS:,} created, 0 updated"), line
    import_done.set()
    workstations.collected = len(finished)
    did = {**finished, **workstations.results()}["clerk"]
    took = time.monotonic() - started
    after = counts(collection)
    assert after["accessions"] == before["accessions"] + IMPORT_ROWS + did["accessions"]
    assert after["moisture"] == before["moisture"] + did["moisture"]
    assert after["germination"] == before["germination"] + did["germination"]
    assert after["transactions"] == before["transactions"] + did["withdrawals"] + \
        did["germination"] + did["moves"]
    assert_consistent(collection)
    print(f"import of {IMPORT_ROWS:,} rows beside {did}: {took:.1f} s")


def test_three_imports_and_a_demo_at_once(
        database: db.Database, tmp_path: Path, workstations: Workstations) -> None:
    """Three workstations import at the same moment, two the same file, while a fourth
    loads 300 demo accessions with lots. The two files land whole; of the same file one
    import creates the accessions and the other finds and skips them (it failed on a
    duplicate key, or added them twice); the demo lands whole; none exists twice."""
    north = write_mcpd_csv(tmp_path / "north.csv", 4000, prefix="N")
    south = write_mcpd_csv(tmp_path / "south.csv", 4000, prefix="S")
    workstations.start("north", jobs.import_mcpd, database.url, str(north))
    workstations.start("north again", jobs.import_mcpd, database.url, str(north))
    workstations.start("south", jobs.import_mcpd, database.url, str(south))
    workstations.start("demo", jobs.command, database.url, "demo", "--accessions", "300")
    results = workstations.results()
    for code, _line, errors in results.values():
        assert code == 0, errors
    assert results["south"][1].startswith("4,000 created, 0 updated, 0 unchanged, 0 skipped")
    assert sorted(results[name][1].split(" (")[0] for name in ("north", "north again")) == [
        "0 created, 0 updated, 0 unchanged, 4,000 skipped",
        "4,000 created, 0 updated, 0 unchanged, 0 skipped"]
    assert results["demo"][1].startswith("Added 300 demo accessions"), results["demo"]
    assert count(database, Accession) == 8300
    assert_consistent(database)


def test_two_withdrawals_from_one_lot_at_once_both_apply(
        collection: db.Database, workstations: Workstations) -> None:
    """Two workstations take seeds from the same lot at the same moments, 30 times each:
    every withdrawal is saved and the lot holds what its ledger says."""
    lots, _locations = jobs.usable_lots(collection, seeds=100)
    lot_id = lots[0]
    with collection.session_factory() as session:
        seeds = session.get(SeedLot, lot_id).seeds_on_hand  # type: ignore[union-attr]
    start = SPAWN.Event()
    for name in ("FIRST", "SECOND"):
        workstations.start(name, jobs.withdraw_many, collection.url, name, lot_id, 30, start)
    start.set()
    assert workstations.results() == {"FIRST": 30, "SECOND": 30}
    with collection.session_factory() as session:
        assert session.get(SeedLot, lot_id).seeds_on_hand == seeds - 60  # type: ignore[union-attr]
    assert_consistent(collection)


def test_a_failed_workstation_is_reported(workstations: Workstations, tmp_path: Path) -> None:
    """The harness itself: an error in a workstation's process fails the test with its
    traceback (so that "no error in any process" above means something)."""
    never = SPAWN.Event()  # kept referenced until the process has it
    workstations.start("broken", jobs.withdraw_many, str(tmp_path), "BROKEN", 1, 1,
                       never)  # a folder, not a database
    with pytest.raises(AssertionError, match=r"(?s)broken failed:.*Traceback.*is a folder"):
        workstations.next_result(timeout=60)
