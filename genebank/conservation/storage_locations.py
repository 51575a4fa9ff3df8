"""The gene bank's storage locations: a tree of places, each with a storage type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from genebank import problems, transactions
from genebank.models import LotTransaction, SeedLot, StorageLocation
from genebank.models.storage_location import STORAGE_TYPES
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "location_name_missing": "a storage location needs a name",
    "location_humidity_out_of_range": "a relative humidity of {value:g} % is impossible "
                                      "(0 to 100 %)",
    "location_exists": "'{location}' exists already",
    "not_a_storage_type": "'{storage_type}' is not a storage type (one of: {choices:keys})",
    "location_inside_itself": "'{location}' cannot go inside '{parent}', which is itself "
                              "inside it; nothing was moved",
    "location_not_found": "storage location {location_id} no longer exists",
    "location_removed_meanwhile": "the storage location chosen no longer exists: someone "
                                  "removed it after the list of places was read. Choose "
                                  "another; nothing was saved",
    "location_holds_lots": "'{location}' holds {lots:,} seed lot(s): move them elsewhere "
                           "before removing it; nothing was removed",
    "location_holds_discarded_lots": "'{location}' is where {lots:,} discarded seed lot(s) "
                                     "were kept, which their records keep: it cannot be "
                                     "removed, but it can be renamed (e.g. '{name} "
                                     "(closed)')",
    "location_holds_places": "'{location}' holds {places:,} other storage location(s): "
                             "remove or move them first; nothing was removed",
    "location_in_ledgers": "'{location}' is named by {lines:,} move(s) in seed lots' ledgers, "
                           "which keep where lots were: it cannot be removed, but it can be "
                           "renamed (e.g. '{location} (closed)')",
})


@dataclass(frozen=True)
class Place:
    """One storage location as the tree of places shows it."""

    id: int
    parent_id: int | None
    name: str
    storage_type: str | None
    temperature_c: float | None
    humidity_rh: float | None


@everyone
def list_places(session: Session) -> list[Place]:
    """Every storage location, by name (a gene bank has hundreds, not more)."""
    return [Place(*row) for row in session.execute(select(
        StorageLocation.id, StorageLocation.parent_id, StorageLocation.name,
        StorageLocation.storage_type, StorageLocation.temperature_c,
        StorageLocation.humidity_rh).order_by(StorageLocation.name))]


@requires(Right.CHANGE_CONSERVATION)
def add_location(session: Session, name: str, *, parent_id: int | None = None,
                 storage_type: str | None = None, temperature_c: float | None = None,
                 humidity_rh: float | None = None) -> int:
    name = name.strip()
    if not name:
        raise Refused("location_name_missing")
    if storage_type is not None:
        check_storage_type(storage_type)
    if humidity_rh is not None and not 0 <= humidity_rh <= 100:
        raise Refused("location_humidity_out_of_range", value=humidity_rh)
    if parent_id is not None:  # held against its removal by a colleague meanwhile
        held_place(session, parent_id)
    twin = session.scalar(select(StorageLocation.id).where(
        StorageLocation.parent_id.is_(None) if parent_id is None
        else StorageLocation.parent_id == parent_id, StorageLocation.name == name))
    if twin is not None:
        raise Refused("location_exists", location=path(session, twin))
    location = StorageLocation(name=name, parent_id=parent_id, storage_type=storage_type,
                               temperature_c=temperature_c, humidity_rh=humidity_rh)
    session.add(location)
    session.flush()
    return location.id


def check_storage_type(storage_type: str) -> None:
    if storage_type not in STORAGE_TYPES:
        raise Refused("not_a_storage_type", storage_type=storage_type,
                      choices=STORAGE_TYPES)


@requires(Right.CHANGE_CONSERVATION)
def edit_location(session: Session, location_id: int, *, name: str,
                  storage_type: str | None = None, temperature_c: float | None = None,
                  humidity_rh: float | None = None) -> int:
    """Rename a place or change its storage type and conditions. Its lots keep pointing at
    it (they hold its id, not its name), so each lot's place reads the new name at once.

    A new storage type is followed by the lots kept there (and in the places inside it that
    take its type): each live lot of another type takes the new one, and its next test
    date and flags are worked out again (a lot's history says so). Discarded lots keep
    theirs: their record is closed. Returns how many lots took the new type."""
    location = _get(session, location_id, lock=True)  # a removal meanwhile: said, not stale
    name = name.strip()
    if not name:
        raise Refused("location_name_missing")
    if storage_type is not None:
        check_storage_type(storage_type)
    if humidity_rh is not None and not 0 <= humidity_rh <= 100:
        raise Refused("location_humidity_out_of_range", value=humidity_rh)
    twin = session.scalar(select(StorageLocation.id).where(
        StorageLocation.parent_id.is_(None) if location.parent_id is None
        else StorageLocation.parent_id == location.parent_id, StorageLocation.name == name,
        StorageLocation.id != location_id))
    if twin is not None:
        raise Refused("location_exists", location=path(session, twin))
    following = _lots_following(session, location, storage_type)
    location.name, location.storage_type = name, storage_type
    location.temperature_c, location.humidity_rh = temperature_c, humidity_rh
    session.flush()
    if not following:
        return 0
    from genebank.conservation import seed_lots  # it imports this module's type check

    new_type = effective_storage_type(session, location_id)
    lots = list(session.scalars(select(SeedLot).where(SeedLot.id.in_(following))
                                .order_by(SeedLot.id).with_for_update()))
    for lot in lots:
        lot.storage_type = new_type  # type: ignore[assignment]
        seed_lots.refresh(session, lot)
    session.flush()
    return len(lots)


@everyone
def lots_taking_type(session: Session, location_id: int, storage_type: str | None) -> int:
    """How many lots would take the storage type the place gets with ``storage_type`` (None:
    the type of the place it is in), as :func:`edit_location` does: what the form says
    before it is saved."""
    return len(_lots_following(session, _get(session, location_id), storage_type))


@everyone
def effective_storage_type(session: Session, location_id: int) -> str | None:
    """The place's storage type, or that of the nearest place it is inside that has one."""
    current: int | None = location_id
    while current is not None:
        location = _get(session, current)
        if location.storage_type is not None:
            return location.storage_type
        current = location.parent_id
    return None


def _lots_following(session: Session, location: StorageLocation,
                    storage_type: str | None) -> list[int]:
    """The live lots that take the place's new type: those kept in it, or in a place inside
    it that takes its type, and not of that type already; none when the type the place
    ends up with does not change or is none."""
    old_type = effective_storage_type(session, location.id)
    new_type = storage_type if storage_type is not None else (
        effective_storage_type(session, location.parent_id)
        if location.parent_id is not None else None)
    if new_type is None or new_type == old_type:
        return []
    places, inside = [location.id], [location.id]
    while inside:  # the places inside that take their type from this one
        inside = list(session.scalars(select(StorageLocation.id).where(
            StorageLocation.parent_id.in_(inside), StorageLocation.storage_type.is_(None))))
        places += inside
    return list(session.scalars(select(SeedLot.id).where(
        SeedLot.location_id.in_(places), SeedLot.status != "discarded",
        SeedLot.storage_type != new_type).order_by(SeedLot.id)))


@requires(Right.CHANGE_CONSERVATION)
def remove_location(session: Session, location_id: int) -> None:
    """Remove an empty place: refused, naming how many, while lots or other places are in
    it, or while lots' ledgers name it as where a lot moved from or to."""
    location = _get(session, location_id, lock=True)
    where = path(session, location_id)
    # Discarded lots cannot be moved, and their records keep where they were: a place only
    # they name is kept, and said so, as one a ledger names (renamed, not removed).
    by_status = dict(session.execute(select(SeedLot.status, func.count()).where(
        SeedLot.location_id == location_id).group_by(SeedLot.status)).all())
    discarded = by_status.pop("discarded", 0)
    if by_status:
        raise Refused("location_holds_lots", location=where, lots=sum(by_status.values()))
    places = session.scalar(select(func.count()).select_from(StorageLocation).where(
        StorageLocation.parent_id == location_id)) or 0
    if places:
        raise Refused("location_holds_places", location=where, places=places)
    lines = session.scalar(select(func.count()).select_from(LotTransaction).where(or_(
        LotTransaction.from_location_id == location_id,
        LotTransaction.to_location_id == location_id))) or 0
    if lines:
        raise Refused("location_in_ledgers", location=where, lines=lines)
    if discarded:
        raise Refused("location_holds_discarded_lots", location=where, lots=discarded,
                      name=location.name)
    session.delete(location)
    session.flush()


@requires(Right.CHANGE_CONSERVATION)
def move_location(session: Session, location_id: int, new_parent_id: int | None) -> None:
    """Put a place inside another; refused if the other is inside it (a cycle).

    On PostgreSQL the place is held, and its new parent held against its removal, both in
    id order (a move the other way waits, not deadlocks); one move of a place at a time is
    made on the database, so two colleagues moving places into each other's at the same
    moment cannot close a cycle (the second waits, then is refused). A place removed
    meanwhile is refused, coded (``location_removed_meanwhile``), instead of the database's
    foreign-key error or StaleDataError."""
    transactions.one_at_a_time(session, "storage location moves")
    held = {location_id} if new_parent_id is None else {location_id, new_parent_id}
    for place_id in sorted(held):
        held_place(session, place_id, changed=place_id == location_id)
    location = _get(session, location_id)
    ancestor = new_parent_id
    while ancestor is not None:
        if ancestor == location_id:
            raise Refused("location_inside_itself", location=location.name,
                          parent=path(session, new_parent_id))  # type: ignore[arg-type]
        ancestor = _get(session, ancestor).parent_id
    location.parent_id = new_parent_id
    session.flush()


@everyone
def path(session: Session, location_id: int) -> str:
    """The place as people say it: 'Main site > Cold room 1 > Freezer 2'."""
    names = []
    current: int | None = location_id
    while current is not None:
        location = _get(session, current)
        names.append(location.name)
        current = location.parent_id
    return " > ".join(reversed(names))


@internal
def held_place(session: Session, location_id: int, *, changed: bool = False) -> None:
    """A place a lot (or another place) is about to be stored in or moved to, held
    against its removal to the end of the transaction (PostgreSQL's FOR KEY SHARE: a
    removal of it at the same moment waits, then counts what is in it); ``changed``: the
    place itself is about to change, held FOR UPDATE. Refused, coded, when it was removed
    (also by a colleague a moment ago), instead of the database's foreign-key error."""
    location = session.get(StorageLocation, location_id, populate_existing=True,
                           with_for_update=True if changed else
                           {"read": True, "key_share": True})
    if location is None:
        raise NotFound(code="location_removed_meanwhile", params={"location_id": location_id})


def _get(session: Session, location_id: int, *, lock: bool = False) -> StorageLocation:
    """``lock``: held to the end of the transaction (PostgreSQL), so that a removal counts
    the lots and places in it while no colleague can move one in."""
    location = session.get(StorageLocation, location_id, with_for_update=lock or None,
                           populate_existing=lock)
    if location is None:
        raise NotFound(code="location_not_found", params={"location_id": location_id})
    return location
