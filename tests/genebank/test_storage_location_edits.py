"""Storage locations can be renamed and edited (their lots keep pointing at them) and
removed when empty; removing one that holds lots or places, or that a ledger names, is
refused with how many; each change is in the history (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text

from genebank import db
from genebank.conservation import conservation_view, seed_lots
from genebank.conservation import storage_locations as places
from genebank.models import StorageLocation
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
