"""How the change history is said to people: the operation in words ("Import 17", "Undo of
import 17"), who (a Genebank user; an OS login "(before sign-in)"), when (local time, the
system's regional format), the record and each field by the label its form shows (MCPD
descriptor names for an accession), and values as a person reads them.

The core records codes and column names (:mod:`genebank.history.queries`); every word a
person reads is made here, through ``QCoreApplication.translate``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone

from genebank import mcpd
from genebank.history import wording
from genebank.history.labels import EntryLabels, RowFacts, recorded_time, reference
from genebank.history.queries import FieldChange, HistoryEntry
from genebank.users.roles import Role
from ui.views import shown_numbers

CONTEXT = "History"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def operation_text(entry: HistoryEntry) -> str:
    """The operation in words: "Form", "Import 17", "Undo of import 17", "Correction"..."""
    number = entry.import_log_id
    kind = entry.operation
    if kind == "import":
        return (QCoreApplication.translate(CONTEXT, "Import {0}").format(number)
                if number else _tr("Import"))
    if kind == "undo":
        return (QCoreApplication.translate(CONTEXT, "Undo of import {0}").format(number)
                if number else _tr("Undo of an import"))
    words = {
        "form": QCoreApplication.translate(CONTEXT, "Form"),
        "merge": QCoreApplication.translate(CONTEXT, "Merge"),
        "erasure": QCoreApplication.translate(CONTEXT, "Erasure"),
        "correction": QCoreApplication.translate(CONTEXT, "Correction"),
        "withdrawal": QCoreApplication.translate(CONTEXT, "Withdrawal"),
        "reinstatement": QCoreApplication.translate(CONTEXT, "Reinstatement"),
        "bulk": QCoreApplication.translate(CONTEXT, "Bulk change"),
    }
    if kind == "bulk" and entry.reference:  # "demo collection": the core's own record
        return entry.reference[:1].upper() + entry.reference[1:]
    text = words.get(kind, kind)
    if entry.reference:  # "merged into 12", "demo collection": the core's own record
        text = QCoreApplication.translate(CONTEXT, "{0} ({1})").format(text, entry.reference)
    return text


def before_sign_in(name: str) -> str:
    """A login name recorded before the database had people."""
    return QCoreApplication.translate(CONTEXT, "{0} (before sign-in)").format(
        name or QCoreApplication.translate(CONTEXT, "unknown"))


def who_text(entry: HistoryEntry) -> str:
    """The Genebank user; an entry written before people existed names the OS login it
    recorded, followed by "(before sign-in)"."""
    if entry.user_id is None:
        return before_sign_in(entry.user_name or entry.os_user)
    return entry.user_name


def who_tip(entry: HistoryEntry) -> str:
    """The operating-system login and the workstation, for a tooltip."""
    return QCoreApplication.translate(
        CONTEXT, "Operating-system user: {0}\nWorkstation: {1}").format(
            entry.os_user or "?", entry.workstation or "?")


def stamp_who(name: str, at: dt.datetime | None, sign_in_began: dt.datetime | None) -> str:
    """A record's created/updated stamp: its name, or "NAME (before sign-in)" when it was
    written before the database's first person existed (or while nobody exists)."""
    if at is not None and (sign_in_began is None or at < sign_in_began):
        return before_sign_in(name)
    return name or "?"


def local_time(utc: dt.datetime, locale: QLocale | None = None) -> str:
    """A UTC time (as the database keeps it) in local time, in the regional format."""
    moment = QDateTime(QDate(utc.year, utc.month, utc.day),
                       QTime(utc.hour, utc.minute, utc.second), QTimeZone.utc()).toLocalTime()
    return (locale or QLocale()).toString(moment, QLocale.FormatType.ShortFormat)


def record_types() -> dict[str, str]:
    """Each type of record with a story, by its code, in words (for a filter)."""
    return {
        "accession": QCoreApplication.translate(CONTEXT, "Accession"),
        "seed_lot": QCoreApplication.translate(CONTEXT, "Seed lot"),
        "storage_location": QCoreApplication.translate(CONTEXT, "Storage location"),
        "crop_rule": QCoreApplication.translate(CONTEXT, "Crop rule"),
        "institute": QCoreApplication.translate(CONTEXT, "Institute"),
        "taxon": QCoreApplication.translate(CONTEXT, "Taxon"),
        "programme": QCoreApplication.translate(CONTEXT, "Training programme"),
        "course": QCoreApplication.translate(CONTEXT, "Course"),
        "participant": QCoreApplication.translate(CONTEXT, "Participant"),
        "user_account": QCoreApplication.translate(CONTEXT, "User"),
        "collection_setting": QCoreApplication.translate(CONTEXT, "Setting"),
        "import_mapping": QCoreApplication.translate(CONTEXT, "Column mapping"),
    }


def _row_kinds() -> dict[str, str]:
    return {
        "accession": QCoreApplication.translate(CONTEXT, "Accession"),
        "seed_lot": QCoreApplication.translate(CONTEXT, "Lot"),
        "lot_transaction": QCoreApplication.translate(CONTEXT, "Ledger line"),
        "germination_test": QCoreApplication.translate(CONTEXT, "Germination test"),
        "germination_replicate": QCoreApplication.translate(CONTEXT, "Replicate"),
        "moisture_test": QCoreApplication.translate(CONTEXT, "Moisture test"),
        "regeneration": QCoreApplication.translate(CONTEXT, "Regeneration"),
        "safety_duplicate": QCoreApplication.translate(CONTEXT, "Safety duplicate"),
        "enrolment": QCoreApplication.translate(CONTEXT, "Enrolment"),
        "attendance": QCoreApplication.translate(CONTEXT, "Attendance"),
        "certificate": QCoreApplication.translate(CONTEXT, "Certificate"),
        "user_account_role": QCoreApplication.translate(CONTEXT, "Role"),
    }


def _actions() -> dict[str, str]:
    return {
        "created": QCoreApplication.translate(CONTEXT, "created"),
        "changed": QCoreApplication.translate(CONTEXT, "changed"),
        "deleted": QCoreApplication.translate(CONTEXT, "deleted"),
        "erased": QCoreApplication.translate(CONTEXT, "erased"),
    }


def what_text(entry: HistoryEntry, labels: EntryLabels | None = None) -> str:
    """Which row changed and how: "Ledger line created", "Passport data changed"; with
    ``labels``, which of a lot's rows: "Germination test of 2022-03-17 (73%) voided"."""
    role = wording.role_change(entry)
    if role is not None:
        old, new = (None if name is None else _role_text(name) for name in role)
        if old and new:
            return QCoreApplication.translate(CONTEXT, "Role {0} removed, {1} added").format(
                old, new)
        if new:
            return QCoreApplication.translate(CONTEXT, "Role {0} added").format(new)
        return QCoreApplication.translate(CONTEXT, "Role {0} removed").format(old)
    kinds = _row_kinds()
    kind = kinds.get(entry.table_name) or record_types().get(entry.table_name) \
        or entry.table_name.replace("_", " ").capitalize()
    facts = labels.rows.get((entry.table_name, entry.row_id)) if labels else None
    if facts is not None:
        kind = _row_text(entry.table_name, kind, facts)
    action = _actions().get(entry.action, entry.action)
    if any(change.field == "voided_at" and change.old is None and change.new is not None
           for change in entry.fields):
        action = QCoreApplication.translate(CONTEXT, "voided")
    return QCoreApplication.translate(CONTEXT, "{0} {1}").format(kind, action)


def _row_text(table_name: str, kind: str, facts: RowFacts) -> str:
    """One of a lot's rows by what tells it from the others: its day and result, its kind
    of line, its institute or site."""
    t = QCoreApplication.translate
    day = f"{facts.on:%Y-%m-%d}" if facts.on else "?"
    if table_name in ("germination_test", "moisture_test") and facts.value is not None:
        return t(CONTEXT, "{0} of {1} ({2})").format(kind, day,
                                                      shown_numbers.percent(facts.value))
    if table_name == "lot_transaction" and facts.text:
        from ui.messages import key_word  # the kinds of ledger line as refusals word them

        return t(CONTEXT, "{0} of {1} ({2})").format(kind, day, key_word(facts.text))
    if table_name == "safety_duplicate":
        return t(CONTEXT, "{0} to {1}, sent {2}").format(kind, facts.text or "?", day)
    if table_name == "regeneration":
        return t(CONTEXT, "{0} at {1}, planned {2}").format(kind, facts.text or "?", day)
    return t(CONTEXT, "{0} of {1}").format(kind, day)


def record_text(entry: HistoryEntry) -> str:
    """The record whose story the entry belongs to: "Accession KAZ001:KZ-1"."""
    kind = record_types().get(entry.subject_type, entry.subject_type)
    key = entry.subject_key or str(entry.subject_id)
    if entry.subject_type == "participant":
        key = QCoreApplication.translate(CONTEXT, "no. {0}").format(entry.subject_id)
    return QCoreApplication.translate(CONTEXT, "{0} {1}").format(kind, key)


def _column_labels() -> dict[str, str]:
    """Labels of the columns of every table other than the accession, as their forms
    and tables say them; a column not named here is shown from its name."""
    t = QCoreApplication.translate
    return {
        "lot_number": t(CONTEXT, "Lot number"), "storage_type": t(CONTEXT, "Storage"),
        "accession_id": t(CONTEXT, "Accession"),
        "location_id": t(CONTEXT, "Location"), "stored_on": t(CONTEXT, "Stored"),
        "container": t(CONTEXT, "Container"), "parent_lot_id": t(CONTEXT, "Parent lot"),
        "thousand_seed_weight_g": t(CONTEXT, "1000-seed weight (g)"),
        "minimum_seeds": t(CONTEXT, "Minimum seeds"), "status": t(CONTEXT, "Status"),
        "notes": t(CONTEXT, "Notes"), "kind": t(CONTEXT, "What"),
        "occurred_on": t(CONTEXT, "Date"), "seeds": t(CONTEXT, "Seeds"),
        "grams": t(CONTEXT, "Grams"), "reason": t(CONTEXT, "Reason"),
        "from_location_id": t(CONTEXT, "From location"),
        "to_location_id": t(CONTEXT, "To location"), "tested_on": t(CONTEXT, "Test date"),
        "method": t(CONTEXT, "Method"), "pretreatment": t(CONTEXT, "Pretreatment"),
        "seeds_consumed": t(CONTEXT, "Seeds used"), "counted_on": t(CONTEXT, "Counted on"),
        "tester": t(CONTEXT, "Tester"), "transaction_id": t(CONTEXT, "Ledger line"),
        "position": t(CONTEXT, "Replicate"), "sown": t(CONTEXT, "Sown"),
        "normal": t(CONTEXT, "Normal"), "abnormal": t(CONTEXT, "Abnormal"),
        "dead": t(CONTEXT, "Dead"), "ungerminated": t(CONTEXT, "Ungerminated"),
        "hard": t(CONTEXT, "Hard"), "moisture_pct": t(CONTEXT, "Moisture %"),
        "erh_pct": t(CONTEXT, "ERH %"), "source_lot_id": t(CONTEXT, "Source lot"),
        "site": t(CONTEXT, "Site"), "planned_on": t(CONTEXT, "Planned"),
        "sown_on": t(CONTEXT, "Sown"), "harvested_on": t(CONTEXT, "Harvested"),
        "failed_on": t(CONTEXT, "Failed"), "plants": t(CONTEXT, "Plants"),
        "harvested_lot_id": t(CONTEXT, "New lot"),
        "institute_code": t(CONTEXT, "Institute"), "sent_on": t(CONTEXT, "Sent"),
        "confirmed_on": t(CONTEXT, "Confirmed"), "box_reference": t(CONTEXT, "Box"),
        "full_name": t(CONTEXT, "Full name (Latin script)"),
        "original_name": t(CONTEXT, "Name in original script"),
        "gender": t(CONTEXT, "Gender"), "country": t(CONTEXT, "Country"),
        "institution": t(CONTEXT, "Institution"), "position_title": t(CONTEXT, "Position"),
        "email": t(CONTEXT, "E-mail"), "phone": t(CONTEXT, "Phone"),
        "languages": t(CONTEXT, "Languages"), "erased_at": t(CONTEXT, "Erased"),
        "course_id": t(CONTEXT, "Course"), "pre_test_score": t(CONTEXT, "Pre-test score"),
        "post_test_score": t(CONTEXT, "Post-test score"),
        "feedback_score": t(CONTEXT, "Feedback score"), "day": t(CONTEXT, "Day"),
        "number": t(CONTEXT, "Number"), "issued_on": t(CONTEXT, "Issued on"),
        "participant_name": t(CONTEXT, "Name on the certificate"),
        "course_title": t(CONTEXT, "Course"), "course_dates": t(CONTEXT, "Dates"),
        "host": t(CONTEXT, "Host"), "hours": t(CONTEXT, "Hours"),
        "title": t(CONTEXT, "Title"), "name": t(CONTEXT, "Name"),
        "display_name": t(CONTEXT, "Full name"), "disabled": t(CONTEXT, "Disabled"),
        "role": t(CONTEXT, "Role"), "genus": t(CONTEXT, "Genus"),
        "password": t(CONTEXT, "Password"),
    }


def field_label(table_name: str, field: str) -> str:
    """A changed field as its form labels it: an accession's MCPD descriptor name
    ("Country of origin"), else the column's label."""
    if table_name == "accession" and field in mcpd.BY_CODE:
        return mcpd.BY_CODE[field].label
    if table_name == "taxon" and field.upper() in mcpd.BY_CODE:  # GENUS, CROPNAME...
        return mcpd.BY_CODE[field.upper()].label
    if table_name == "participant" and field == "position":
        field = "position_title"  # a person's job, not a replicate's place
    return _column_labels().get(field) or field.replace("_", " ").capitalize()


def shown_fields(entry: HistoryEntry) -> tuple[FieldChange, ...]:
    """The fields a person reads: not the link to the record the story is about (a ledger
    line's lot), which the story itself says (:func:`genebank.history.wording.shown_fields`)."""
    return wording.shown_fields(entry)


def _role_text(name: Any) -> str:
    from ui.signing_in import role_word  # the roles as the sign-in dialogs name them

    try:
        return role_word(Role(name))
    except ValueError:
        return str(name)


def change_value(entry: HistoryEntry, change: FieldChange, *, new: bool,
                 labels: EntryLabels | None = None) -> str:
    """A field's old or new value as a person reads it: "(erased)" for a personal value
    an erasure blanked, a role by its name, a recorded time (``voided_at``) in local time
    as "When" shows it, an accession, lot or place id by its number or path (``labels``),
    else :func:`value_text`."""
    if wording.is_erased(entry, change):
        return QCoreApplication.translate(CONTEXT, "(erased)")
    value = change.new if new else change.old
    if entry.table_name == "user_account_role" and change.field == "role" and value:
        return _role_text(value)
    label = reference(labels, change.field, value)  # the core's reading, as the CLI's
    if label is not None:
        return label
    moment = recorded_time(change.field, value)
    if moment is not None:
        return local_time(moment)
    return value_text(value)


def value_text(value: Any) -> str:
    """A recorded value as a person reads it: lists joined by "; ", numbers in the
    regional format, nothing as "(empty)"."""
    if value is None or value == "" or value == []:
        return QCoreApplication.translate(CONTEXT, "(empty)")
    if isinstance(value, bool):
        return QCoreApplication.translate(CONTEXT, "yes") if value \
            else QCoreApplication.translate(CONTEXT, "no")
    if isinstance(value, int | float):
        return shown_numbers.number(wording.plain_number(value))
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value)
    return str(value)
