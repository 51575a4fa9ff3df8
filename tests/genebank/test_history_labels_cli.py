"""`genebank history` and the Excel export of the history label what the GUI labels, by the
same reading in the core (genebank/history/labels.py): a lot's accession by INSTCODE:ACCENUMB
and its place by its path, not "accession_id: 302", and a void's time (``voided_at``) in
local time with its offset as "when" is said, not a UTC ISO stamp. On both databases."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from genebank import db
from genebank.conservation import corrections, seed_lots, seed_tests, storage_locations
from genebank.conservation.seed_tests import Replicate
from genebank.history import wording
from genebank.models import GerminationTest
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.genebank.test_history_cli import _run

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def almaty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time five hours ahead of UTC, so that a UTC stamp cannot pass for it."""
    monkeypatch.setenv("TZ", "Asia/Almaty")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def voided_lot(database: db.Database, almaty: None) -> tuple[db.Database, dt.datetime]:
    """A lot of KAZ001:KZ-0007 kept in "Cool room > Shelf 2", its germination test voided;
    an earlier accession takes id 1, so that the lot's accession id (2) is no accession
    number anyone could mistake. Returns the database and the void's time (UTC)."""
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0001"))
        accession = accessions.create_accession(
            session, values=passport_values(ACCENUMB="KZ-0007")).id
        room = storage_locations.add_location(session, "Cool room", storage_type="active")
        shelf = storage_locations.add_location(session, "Shelf 2", parent_id=room)
        lot = seed_lots.create_lot(session, accession_id=accession, lot_number="KZ-0007/2020",
                                   storage_type="active", stored_on=dt.date(2020, 9, 1),
                                   seeds=5000, location_id=shelf, today=TODAY)
        test = seed_tests.record_germination(
            session, lot, tested_on=dt.date(2022, 3, 17),
            replicates=[Replicate(100, 73, 27)] * 2, today=TODAY)
    with database.session_factory.begin() as session:
        corrections.void_germination_test(session, test, reason="typed on the wrong lot")
    with database.session_factory() as session:
        voided_at = session.scalar(select(GerminationTest.voided_at).where(
            GerminationTest.id == test))
    assert voided_at is not None
    return database, voided_at


def test_the_command_line_names_the_accession_and_place_and_says_the_void_in_local_time(
        voided_lot: tuple[db.Database, dt.datetime]) -> None:
    database, voided_at = voided_lot
    local = wording.when_text(voided_at)
    assert local.endswith("+05:00")
    for args in (("history",), ("history", "--type", "seed_lot")):
        status, out, err = _run(database, *args)
        assert status == 0, err
        lines = [line.strip() for line in out.splitlines()]
        assert "accession_id: (empty) -> KAZ001:KZ-0007" in lines, out
        assert "location_id: (empty) -> Cool room > Shelf 2" in lines, out
        assert f"voided_at: (empty) -> {local}" in lines, out
        if args == ("history",):
            assert "parent_id: (empty) -> Cool room" in lines, out  # Shelf 2's place
        assert not any(line.startswith(("accession_id:", "location_id:"))
                       and line.endswith(("-> 2", "-> 1", "-> 2'")) for line in lines), out
        assert "voided_at: (empty) -> '" not in out  # no quoted ISO stamp


def test_the_excel_export_names_them_too_and_its_void_time_is_a_local_date_time(
        voided_lot: tuple[db.Database, dt.datetime], tmp_path: Path) -> None:
    database, voided_at = voided_lot
    local = wording.local_time(voided_at).replace(tzinfo=None)
    for name, args in (("recent", ()), ("lots", ("--type", "seed_lot"))):
        path = tmp_path / f"{name}.xlsx"
        status, _out, err = _run(database, "history", *args, "--export", str(path))
        assert status == 0, err
        sheet = openpyxl.load_workbook(path).active
        rows = list(sheet.iter_rows(values_only=True))
        column = {heading: index for index, heading in enumerate(rows[0])}
        new = {row[column["Field"]]: row[column["New value"]] for row in rows[1:]
               if row[column["Table"]] in ("seed_lot", "germination_test")}
        assert new["accession_id"] == "KAZ001:KZ-0007", name
        assert new["location_id"] == "Cool room > Shelf 2", name
        assert isinstance(new["voided_at"], dt.datetime), (name, new["voided_at"])
        assert abs(new["voided_at"] - local) < dt.timedelta(seconds=1), name
