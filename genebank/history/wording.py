"""How the change history reads in plain English, for the command line and the Excel export:
who ("root (before sign-in)"), when (local time with its offset), a role given or taken
("role Distribution officer added"), values as the forms show them (96, not 96.0) and a
value blanked by an erasure ("(erased)", not "(empty) -> (empty)").

The GUI words the same facts through Qt's translations (``ui/views/history_words.py``) and
takes the decisions from here (:func:`plain_number`, :func:`is_erased`, :func:`role_change`)
so that both say the same thing.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

from genebank.history import tracked
from genebank.history.erasure import PERSONAL_FIELDS
from genebank.history.labels import EntryLabels, recorded_time, reference
from genebank.history.queries import FieldChange, HistoryEntry
from genebank.users.roles import Role

EMPTY = "(empty)"
ERASED = "(erased)"


def plain_number(value: Any) -> Any:
    """A number as its form shows it: a whole float (96.0, as a REAL column returns it) as
    the integer 96; anything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value


def is_erased(entry: HistoryEntry, change: FieldChange) -> bool:
    """Whether ``change`` is a participant's personal value blanked by an erasure (the
    old and new values both emptied afterwards): not a change that changed nothing."""
    return (entry.subject_type == "participant" and change.field in PERSONAL_FIELDS
            and change.old is None and change.new is None)


def role_change(entry: HistoryEntry) -> tuple[str | None, str | None] | None:
    """For an entry of a person's role (``user_account_role``): the role taken away and the
    role given (either None), in words ("Distribution officer"); None for another entry."""
    if entry.table_name != "user_account_role":
        return None
    role = next((change for change in entry.fields if change.field == "role"), None)
    if role is None:
        return None
    old = None if role.old is None else str(role.old)
    new = None if role.new is None or entry.action == "deleted" else str(role.new)
    if old == new or (old is None and new is None):
        return None
    return old, new


def role_text(entry: HistoryEntry) -> str | None:
    """A role given or taken, in English: "role Viewer removed, role Trainer added"."""
    change = role_change(entry)
    if change is None:
        return None
    old, new = change
    said = ([f"role {role_word(old)} removed"] if old else []) + \
        ([f"role {role_word(new)} added"] if new else [])
    return ", ".join(said)


def role_word(role: Role | str) -> str:
    """A role as people read it: "Distribution officer"."""
    text = str(role).replace("_", " ")
    return text[:1].upper() + text[1:]


def local_time(utc: dt.datetime) -> dt.datetime:
    """A time as the database keeps it (UTC, without a zone) in this computer's zone."""
    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=dt.UTC)
    return utc.astimezone()


def offset_text(moment: dt.datetime) -> str:
    """``moment``'s offset from UTC as "+05:00"."""
    offset = moment.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def when_text(utc: dt.datetime) -> str:
    """A time in local time with its offset: "2026-11-26 20:12:02 +05:00"."""
    moment = local_time(utc)
    return f"{moment:%Y-%m-%d %H:%M:%S} {offset_text(moment)}"


def local_midnight_utc(day: dt.date) -> dt.datetime:
    """The start of ``day`` in local time, as the database's UTC (without a zone)."""
    start = dt.datetime(day.year, day.month, day.day).astimezone()  # naive = local
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def zone_name() -> str:
    """This computer's time zone by its name ("Asia/Almaty") where the system says it,
    else its abbreviation and offset: for the heading of a column of local times."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
    if not name or name.startswith("/"):
        name = time.tzname[time.localtime().tm_isdst > 0]
    return f"{name}, UTC{offset_text(dt.datetime.now().astimezone())}"


def who_text(entry: HistoryEntry) -> str:
    """The Genebank user; an entry written before the database had people names the login
    it recorded, followed by "(before sign-in)"."""
    if entry.user_id is None:
        return f"{entry.user_name or entry.os_user or 'unknown'} (before sign-in)"
    return entry.user_name


def value_text(value: Any) -> str:
    """A recorded value on the command line: quoted text, numbers as the forms show them,
    lists joined by "; ", nothing as "(empty)"."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(plain_number(value))
    if isinstance(value, list):
        return "'" + "; ".join(str(plain_number(v)) for v in value) + "'"
    return f"'{value}'"


def said_value(change: FieldChange, value: Any, labels: EntryLabels | None = None) -> str:
    """A field's recorded value on the command line: an id by the accession, lot or place
    it names (``labels``), a recorded time (``voided_at``) in local time with its offset as
    "when" says it, else :func:`value_text`."""
    label = reference(labels, change.field, value)
    if label is not None:
        return label
    moment = recorded_time(change.field, value)
    if moment is not None:
        return when_text(moment)
    return value_text(value)


def change_text(entry: HistoryEntry, change: FieldChange,
                labels: EntryLabels | None = None) -> str:
    """One field's change: "ELEVATION: 528.5 -> 600", "phone: (erased)",
    "accession_id: KAZ001:KZ-1 -> KAZ001:KZ-2" (with ``labels``)."""
    if is_erased(entry, change):
        return f"{change.field}: {ERASED}"
    return (f"{change.field}: {said_value(change, change.old, labels)} -> "
            f"{said_value(change, change.new, labels)}")


def shown_fields(entry: HistoryEntry) -> tuple[FieldChange, ...]:
    """The fields a person reads: not the link to the record the story is about (a ledger
    line's lot, a role's person), which the story itself says."""
    spec = tracked.TRACKED.get(entry.table_name)
    hidden = {spec.subject_column} if spec is not None and entry.table_name != \
        entry.subject_type else set()
    return tuple(change for change in entry.fields if change.field not in hidden)


def what_text(entry: HistoryEntry) -> str:
    """Which row changed and how, on the command line: "role Distribution officer added",
    else "created seed_lot KAZ001-L1 lot_transaction 12"."""
    record = entry.subject_key or f"{entry.subject_type} {entry.subject_id}"
    role = role_text(entry)
    if role is not None:
        return f"{entry.subject_type} {record}: {role}"
    row = "" if entry.table_name == entry.subject_type else \
        f" {entry.table_name} {entry.row_id}"
    return f"{entry.action} {entry.subject_type} {record}{row}"
