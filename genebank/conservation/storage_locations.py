"""The gene bank's storage locations: a tree of places, each with a storage type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import problems
from genebank.models import StorageLocation
from genebank.models.storage_location import STORAGE_TYPES
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused
from genebank.users.actor import everyone, requires
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
    if parent_id is not None:
        _get(session, parent_id)
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
def move_location(session: Session, location_id: int, new_parent_id: int | None) -> None:
    """Put a place inside another; refused if the other is inside it (a cycle)."""
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


def _get(session: Session, location_id: int) -> StorageLocation:
    location = session.get(StorageLocation, location_id)
    if location is None:
        raise NotFound(code="location_not_found", params={"location_id": location_id})
    return location
