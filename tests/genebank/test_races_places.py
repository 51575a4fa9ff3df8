"""Two people changing storage locations at the same moment on a PostgreSQL server: a place
removed while a lot is moved or stored into it (QA finding 24 of session 6), places added,
moved or edited while removed. Each race is run in a fixed order (tests/genebank/races.py):
the first holds its transaction open while the second runs, until the second waits for it or
ends; whoever comes second is refused with a coded sentence saying what happened and who did
it, never a driver error, and never writes over the first's work."""

from __future__ import annotations

from sqlalchemy import func, select

from genebank import db
from genebank.conservation import seed_lots
from genebank.conservation import storage_locations as places
from genebank.models import (
    SeedLot,
    StorageLocation,
)
from tests.genebank.races import coded, race, server_only, store_lot, workstations
from tests.genebank.test_seed_lots import TODAY, accession, new_lot


# Finding 24: a place removed while a colleague puts a lot in it ----------------------------
def _places(database: db.Database) -> tuple[int, int, int]:
    """A lot on 'Shelf 1' and an empty 'Box 9': the lot's id and the two places'."""
    with database.session_factory.begin() as session:
        shelf = places.add_location(session, "Shelf 1", storage_type="base")
        box = places.add_location(session, "Box 9", storage_type="base")
    lot_id = new_lot(database, accession(database), location_id=shelf)
    return lot_id, shelf, box


def test_a_place_removed_while_a_lot_is_moved_in_refuses_the_move_with_a_code(
        database: db.Database) -> None:
    """plab1 removes the empty 'Box 9' while plab2 moves a lot into it: the removal
    stands; the move is refused "the storage location chosen no longer exists", and the
    lot stays on its shelf."""
    server_only(database)
    lot_id, shelf, box = _places(database)
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, box),
                   plab2, lambda s: seed_lots.move(s, lot_id, to_location_id=box, on=TODAY,
                                                   today=TODAY))
    refusal = coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == box
    assert str(refusal).startswith("the storage location chosen no longer exists")
    with database.session_factory() as session:
        assert session.get(StorageLocation, box) is None
        assert session.get(SeedLot, lot_id).location_id == shelf


def test_a_lot_stored_in_a_place_removed_meanwhile_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes 'Box 9' while plab2 stores a new lot in it: the new lot is refused
    with the same coded sentence, and nothing is stored."""
    server_only(database)
    _lot_id, _shelf, box = _places(database)
    other = accession(database, "KZ-0002")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, box),
                   plab2, store_lot(other, location_id=box))
    refusal = coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == box
    assert str(refusal).startswith("the storage location chosen no longer exists")
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 1


def test_a_lot_moved_in_while_the_place_is_removed_keeps_the_place(
        database: db.Database) -> None:
    """The other way round: plab2's move into 'Box 9' comes first; plab1's removal waits
    for it, then counts the lot and is refused "holds 1 seed lot(s)"."""
    server_only(database)
    lot_id, _shelf, box = _places(database)
    with workstations(database, "plab2", "plab1") as (plab2, plab1):
        met = race(plab2, lambda s: seed_lots.move(s, lot_id, to_location_id=box, on=TODAY,
                                                   today=TODAY),
                   plab1, lambda s: places.remove_location(s, box))
    assert coded(met.second, "location_holds_lots").params["lots"] == 1
    with database.session_factory() as session:
        assert session.get(SeedLot, lot_id).location_id == box



# races2: places added or moved into a place removed meanwhile ---------------------------
def _tree(database: db.Database, *names: str) -> dict[str, int]:
    """Places at the top of the tree, each named; 'A/D' is D inside A."""
    ids: dict[str, int] = {}
    with database.session_factory.begin() as session:
        for name in names:
            parent, _, leaf = name.rpartition("/")
            ids[leaf] = places.add_location(session, leaf, storage_type="base",
                                            parent_id=ids[parent] if parent else None)
    return ids


def _place_names(database: db.Database) -> dict[str, str | None]:
    with database.session_factory() as session:
        names = {p.id: p.name for p in places.list_places(session)}
        return {p.name: names.get(p.parent_id) for p in places.list_places(session)}


def test_a_place_added_inside_a_place_removed_meanwhile_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes the empty 'Room 2' while plab2 adds 'Shelf A' inside it: the removal
    stands; the new place is refused "the storage location chosen no longer exists", not
    the database's foreign-key error, and no place is left without its parent."""
    server_only(database)
    ids = _tree(database, "Room 2")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, ids["Room 2"]),
                   plab2, lambda s: places.add_location(s, "Shelf A",
                                                        parent_id=ids["Room 2"]))
    refusal = coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == ids["Room 2"]
    assert _place_names(database) == {}


def test_a_place_added_inside_a_place_as_it_is_removed_keeps_the_place(
        database: db.Database) -> None:
    """The other way round: plab2's 'Shelf A' inside 'Room 2' comes first; plab1's removal
    waits for it, then counts it: "holds 1 other storage location(s)"."""
    server_only(database)
    ids = _tree(database, "Room 2")
    with workstations(database, "plab2", "plab1") as (plab2, plab1):
        met = race(plab2, lambda s: places.add_location(s, "Shelf A",
                                                        parent_id=ids["Room 2"]),
                   plab1, lambda s: places.remove_location(s, ids["Room 2"]))
    assert coded(met.second, "location_holds_places").params["places"] == 1
    assert _place_names(database) == {"Room 2": None, "Shelf A": "Room 2"}


def test_a_place_moved_into_a_place_removed_meanwhile_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes 'Room 2' while plab2 puts 'Shelf 1' inside it: the move is refused
    with the coded sentence, and 'Shelf 1' stays where it was."""
    server_only(database)
    ids = _tree(database, "Room 2", "Shelf 1")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, ids["Room 2"]),
                   plab2, lambda s: places.move_location(s, ids["Shelf 1"], ids["Room 2"]))
    refusal = coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == ids["Room 2"]
    assert _place_names(database) == {"Shelf 1": None}


def test_a_place_removed_while_a_colleague_moves_it_refuses_the_move_with_a_code(
        database: db.Database) -> None:
    """plab1 removes 'Box 9' while plab2 puts it inside 'Room 2': the move is refused with
    the coded sentence (not the database's StaleDataError)."""
    server_only(database)
    ids = _tree(database, "Room 2", "Box 9")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, ids["Box 9"]),
                   plab2, lambda s: places.move_location(s, ids["Box 9"], ids["Room 2"]))
    refusal = coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == ids["Box 9"]
    assert _place_names(database) == {"Room 2": None}


def test_two_places_moved_into_each_other_at_once_make_no_cycle(
        database: db.Database) -> None:
    """'D' is inside 'A' and 'C' inside 'B'. plab1 puts A inside C while plab2 puts B
    inside D: each alone is fine, both together would make A > D > B > C > A, a place
    inside itself. The second waits for the first, then is refused as a cycle."""
    server_only(database)
    ids = _tree(database, "A", "A/D", "B", "B/C")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.move_location(s, ids["A"], ids["C"]),
                   plab2, lambda s: places.move_location(s, ids["B"], ids["D"]))
    refusal = coded(met.second, "location_inside_itself")
    assert (refusal.params["location"], refusal.params["parent"]) == ("B", "B > C > A > D")
    assert _place_names(database) == {"A": "C", "B": None, "C": "B", "D": "A"}


def test_a_place_edited_while_a_colleague_removes_it_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes the empty 'Box 9' while plab2 renames it: the removal stands; the
    rename waits for it, then is told "storage location N no longer exists", not the
    database's StaleDataError."""
    server_only(database)
    _lot_id, _shelf, box = _places(database)
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, box),
                   plab2, lambda s: places.edit_location(s, box, name="Box 9 (cold)",
                                                         storage_type="base"))
    assert coded(met.second, "location_not_found").params["location_id"] == box
    with database.session_factory() as session:
        assert session.get(StorageLocation, box) is None


