"""Storage locations can be renamed and edited (their lots keep pointing at them) and
removed when empty; removing one that holds lots or places, or that a ledger names, is
refused with how many; each change is in the history (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text

from genebank import db
from genebank.conservation import conservation_view, seed_lots, seed_tests
from genebank.conservation import storage_locations as places
from genebank.conservation.seed_tests import Replicate
from genebank.models import SeedLot, StorageLocation
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)


def test_rename_keeps_lots_and_removal_is_refused_until_empty(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        room = places.add_location(session, "Cold room 1", storage_type="base",
                                   temperature_c=-18)
        shelf = places.add_location(session, "Shelf A", parent_id=room)
        spare = places.add_location(session, "Shelf B", parent_id=room)
        empty = places.add_location(session, "Old freezer")
        lots = [seed_lots.create_lot(session, accession_id=accession, lot_number=f"L-{n}",
                                     storage_type="base", stored_on=dt.date(2025, 1, 15),
                                     seeds=1000, location_id=shelf, today=TODAY)
                for n in (1, 2)]
    with database.session_factory.begin() as session:
        places.edit_location(session, room, name="Cold room North", storage_type="base",
                             temperature_c=-20, humidity_rh=15)
        places.edit_location(session, shelf, name=" Shelf A1 ")
    with database.session_factory() as session:
        shown = conservation_view.accession_lots(session, accession, today=TODAY)
        assert {lot.location for lot in shown} == {"Cold room North > Shelf A1"}
        assert session.get(StorageLocation, room).temperature_c == -20
        with pytest.raises(Refused) as refused:
            places.edit_location(session, spare, name="Shelf A1")
        assert refused.value.code == "location_exists"
        with pytest.raises(Refused) as refused:
            places.remove_location(session, shelf)
        assert (refused.value.code, refused.value.params["lots"]) == ("location_holds_lots", 2)
        assert str(refused.value) == ("'Cold room North > Shelf A1' holds 2 seed lot(s): move "
                                      "them elsewhere before removing it; nothing was removed")
        with pytest.raises(Refused) as refused:
            places.remove_location(session, room)
        assert (refused.value.code, refused.value.params["places"]) == (
            "location_holds_places", 2)
    with database.session_factory.begin() as session:  # one lot moves: the ledger names it
        seed_lots.move(session, lots[0], to_location_id=spare, on=TODAY, today=TODAY)
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        places.remove_location(session, spare)
    assert refused.value.code == "location_holds_lots"
    with database.session_factory.begin() as session:
        seed_lots.move(session, lots[0], to_location_id=shelf, on=TODAY, today=TODAY)
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        places.remove_location(session, spare)
    assert (refused.value.code, refused.value.params["lines"]) == ("location_in_ledgers", 2)
    with database.session_factory.begin() as session:
        places.remove_location(session, empty)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(StorageLocation)) == 3
    with database.engine.connect() as connection:
        entries = connection.execute(text(
            "SELECT subject_id, action, fields FROM change_entry "
            "WHERE table_name = 'storage_location' AND action IN ('changed', 'deleted') "
            "ORDER BY id")).all()
    assert [(e.subject_id, e.action) for e in entries] == [
        (room, "changed"), (shelf, "changed"), (empty, "deleted")]
    assert json.loads(entries[0].fields)["name"] == ["Cold room 1", "Cold room North"]
    assert json.loads(entries[2].fields)["name"] == ["Old freezer", None]


def test_only_the_seed_laboratory_edits_and_removes_locations(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        place = places.add_location(session, "Box 7")
    curator = Actor(None, "Айгерим", frozenset({Role.CURATOR}))
    with database.session_factory() as session:
        for attempt in (lambda: places.edit_location(work_as(session, curator), place,
                                                     name="Box 8"),
                        lambda: places.remove_location(work_as(session, curator), place)):
            with pytest.raises(Refused) as refused:
                attempt()
            assert refused.value.code == "not_allowed"


def test_a_place_given_another_storage_type_takes_its_lots_with_it(
        database: db.Database) -> None:
    """Edit… of a place's storage type: its live lots (and those of the places inside it that
    take its type) take the new type and their next test date follows; discarded lots, lots
    of places with their own type, and a rename alone change nothing (QA finding 11)."""
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        room = places.add_location(session, "Cool room +4", storage_type="active",
                                   temperature_c=4)
        shelf = places.add_location(session, "Shelf 09", parent_id=room)  # takes the room's
        freezer = places.add_location(session, "Freezer", parent_id=room, storage_type="base")

        def lot(number: str, where: int, storage_type: str = "active") -> int:
            lot_id = seed_lots.create_lot(
                session, accession_id=accession, lot_number=number, storage_type=storage_type,
                stored_on=dt.date(2015, 1, 15), seeds=5000, location_id=where, today=TODAY)
            seed_tests.record_germination(session, lot_id, tested_on=dt.date(2017, 1, 29),
                                          replicates=[Replicate(100, 90, 10)] * 2,
                                          today=TODAY)
            return lot_id

        on_shelf, in_room = lot("L-SHELF", shelf), lot("L-ROOM", room)
        in_freezer, gone = lot("L-FREEZER", freezer, "base"), lot("L-GONE", shelf)
        seed_lots.discard(session, gone, on=TODAY, reason="mouldy", today=TODAY)
    with database.session_factory() as session:
        assert session.get(SeedLot, on_shelf).next_test_due == dt.date(2022, 1, 29)
        assert places.lots_taking_type(session, room, "base") == 2
        assert places.lots_taking_type(session, room, "active") == 0
        assert places.lots_taking_type(session, shelf, None) == 0
    with database.session_factory.begin() as session:  # a rename alone: nothing follows
        assert places.edit_location(session, room, name="Cool room North",
                                    storage_type="active", temperature_c=4) == 0
    with database.session_factory.begin() as session:
        assert places.edit_location(session, room, name="étagère 09", storage_type="base",
                                    temperature_c=-18.5) == 2
    with database.session_factory() as session:
        lots = {lot.id: lot for lot in session.scalars(select(SeedLot))}
        assert {lot_id: lots[lot_id].storage_type for lot_id in lots} == {
            on_shelf: "base", in_room: "base", in_freezer: "base", gone: "active"}
        assert lots[on_shelf].next_test_due == dt.date(2027, 1, 29)  # 10 years, not 5
        assert lots[in_room].next_test_due == dt.date(2027, 1, 29)
        assert lots[gone].status == "discarded" and lots[gone].next_test_due is None
    with database.engine.connect() as connection:
        entries = connection.execute(text(
            "SELECT subject_id, fields FROM change_entry WHERE table_name = 'seed_lot' "
            "AND action = 'changed' ORDER BY subject_id")).all()
    changed = {e.subject_id: json.loads(e.fields) for e in entries
               if "storage_type" in json.loads(e.fields)}
    assert changed == {on_shelf: {"storage_type": ["active", "base"]},
                       in_room: {"storage_type": ["active", "base"]}}
    with database.session_factory.begin() as session:  # the shelf set apart: it follows
        assert places.edit_location(session, shelf, name="Shelf 09",
                                    storage_type="short_term") == 1
        assert session.get(SeedLot, on_shelf).storage_type == "short_term"
        assert places.edit_location(session, shelf, name="Shelf 09") == 1  # as its room
        assert session.get(SeedLot, on_shelf).storage_type == "base"


def test_a_place_holding_only_discarded_lots_is_kept_and_said_so(
        database: db.Database) -> None:
    """Remove… of a place whose lots were all discarded: refused, saying they are discarded
    and that the place can be renamed, not telling to move lots that cannot move (QA 12);
    a live lot among them is still the first thing said."""
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        shelf = places.add_location(session, "Shelf 10")
        lots = [seed_lots.create_lot(session, accession_id=accession, lot_number=f"L-{n}",
                                     storage_type="active", stored_on=dt.date(2025, 1, 15),
                                     seeds=1000, location_id=shelf, today=TODAY)
                for n in range(3)]
        for lot_id in lots[:2]:
            seed_lots.discard(session, lot_id, on=TODAY, reason="dead", today=TODAY)
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        places.remove_location(session, shelf)
    assert (refused.value.code, refused.value.params["lots"]) == ("location_holds_lots", 1)
    with database.session_factory.begin() as session:
        seed_lots.discard(session, lots[2], on=TODAY, reason="dead", today=TODAY)
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        places.remove_location(session, shelf)
    assert (refused.value.code, refused.value.params["lots"]) == (
        "location_holds_discarded_lots", 3)
    assert str(refused.value) == (
        "'Shelf 10' is where 3 discarded seed lot(s) were kept, which their records keep: it "
        "cannot be removed, but it can be renamed (e.g. 'Shelf 10 (closed)')")
    with database.session_factory() as session:
        assert session.get(StorageLocation, shelf) is not None
