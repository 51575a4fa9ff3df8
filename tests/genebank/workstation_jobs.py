"""What one workstation does in the tests of several workstations: each job runs in a
process of its own (spawned), opens the database by its URL as a workstation does, and
reports what it did, or its traceback, on a queue."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from genebank import cli, db, transactions
from genebank.conservation import seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.models import SeedLot, StorageLocation
from genebank.passport.accessions import create_accession


def run_job(queue: Any, name: str, job: Callable[..., Any], *args: Any) -> None:
    """Run ``job(*args)`` and put ``(name, "ok", result)`` or ``(name, "error", trace)``."""
    try:
        queue.put((name, "ok", job(*args)))
    except BaseException:
        queue.put((name, "error", traceback.format_exc()))


def import_mcpd(url: str, path: str, *extra: str) -> tuple[int, str, str]:
    """``genebank import-mcpd`` as typed at a terminal: its exit status, its last line of
    output (the counts) and what it wrote on stderr."""
    return command(url, "import-mcpd", path, *extra)


def command(url: str, *words: str) -> tuple[int, str, str]:
    """``genebank --database url words...``: exit status, last line of output, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--database", url, *words])
    lines = out.getvalue().strip().splitlines()
    return code, lines[-1] if lines else "", err.getvalue()


def usable_lots(database: db.Database, *, seeds: int) -> tuple[list[int], list[int]]:
    """Active lots counted in seeds holding at least ``seeds``, and the storage locations."""
    def read(session: Any) -> tuple[list[int], list[int]]:
        lots = list(session.scalars(select(SeedLot.id).where(
            SeedLot.status == "active", SeedLot.seeds_on_hand >= seeds).order_by(SeedLot.id)))
        return lots, list(session.scalars(select(StorageLocation.id)
                                         .order_by(StorageLocation.id)))
    return transactions.run_read(database, read, operation="Reading lots")


def clerk(url: str, name: str, seed: int, import_done: Any, least: int, most: int) \
        -> dict[str, int]:
    """A technician at another workstation: saves accessions through the form's service,
    takes seeds from lots, records moisture and germination tests and moves lots, one
    action per transaction, until the import has finished (and at least ``least`` rounds).
    Returns how many of each it saved."""
    database = db.open_database(url, user=name)
    rng = random.Random(seed)
    done = {"accessions": 0, "withdrawals": 0, "moisture": 0, "germination": 0, "moves": 0}
    today = dt.date.today()
    try:
        lots, locations = usable_lots(database, seeds=2000)
        for number in range(most):
            if number >= least and import_done.is_set():
                break
            values = {"INSTCODE": "KAZ001", "ACCENUMB": f"{name}-{number:04d}",
                      "GENUS": "Hordeum", "SPECIES": "vulgare", "STORAGE": "13",
                      "SAMPSTAT": "300", "ORIGCTY": "KAZ"}
            transactions.run_write(database, lambda s, v=values: create_accession(
                s, values=v), operation="Saving an accession")
            done["accessions"] += 1
            lot = rng.choice(lots)
            transactions.run_write(database, lambda s, lot=lot: seed_lots.withdraw(
                s, lot, kind="distributed", on=today, seeds=3, reason=name),
                operation="Taking seeds")
            done["withdrawals"] += 1
            if number % 3 == 0:
                transactions.run_write(database, lambda s, lot=lot: seed_tests.record_moisture(
                    s, lot, tested_on=today, moisture_pct=round(rng.uniform(4, 8), 1)),
                    operation="Recording a moisture test")
                done["moisture"] += 1
            if number % 5 == 0:
                transactions.run_write(
                    database, lambda s, lot=lot: seed_tests.record_germination(
                        s, lot, tested_on=today, replicates=[
                            Replicate(sown=25, normal=22, dead=3)] * 2),
                    operation="Recording a germination test")
                done["germination"] += 1
            if number % 4 == 0:
                transactions.run_write(database, lambda s, lot=lot: seed_lots.move(
                    s, lot, to_location_id=rng.choice(locations), on=today),
                    operation="Moving a lot")
                done["moves"] += 1
    finally:
        database.close()
    return done


def withdraw_many(url: str, name: str, lot_id: int, times: int, start: Any) -> int:
    """Take one seed from the same lot ``times`` times, each its own transaction, starting
    when ``start`` is set (so that two workstations take from it at the same moments)."""
    database = db.open_database(url, user=name)
    try:
        start.wait(60)
        for _ in range(times):
            transactions.run_write(database, lambda s: seed_lots.withdraw(
                s, lot_id, kind="distributed", on=dt.date.today(), seeds=1, reason=name),
                operation="Taking seeds")
    finally:
        database.close()
    return times
