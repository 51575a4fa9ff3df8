"""Creating, reading, changing and deleting accessions with their full MCPD passport."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from genebank import mcpd, problems
from genebank.io.genesys_rows import read_flag
from genebank.mcpd import Problem, Severity
from genebank.mcpd.identity import accession_key
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Base,
    Institute,
    Taxon,
)
from genebank.passport.passport_rows import (
    EXTRA_FIELDS,
    INSTITUTE_ROLES,
    SCALAR_FIELDS,
    TAXON_FIELDS,
    accession_columns,
    column_name,
    stored_values,
    taxon_key,
)
from genebank.services.errors import ConcurrentEdit, HasDependents, NotFound, ValidationFailed
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "accession_gone": "accession {accession_id} no longer exists; it may have been deleted",
    "accession_has_dependents": "{accession} cannot be deleted: other records depend on it "
                                "({listing}). Nothing was deleted",
    "accession_deleted_meanwhile": "this accession no longer exists; someone may have "
                                   "deleted it",
    "accession_number_taken": "{instcode} already has an accession numbered {accenumb}",
    "accession_number_taken_as": "{instcode} already has an accession numbered {existing}, "
                                 "which is {accenumb}: numbers that differ only in case, "
                                 "spaces or character width are one accession",
    "accession_saved_meanwhile": "{instcode} {accenumb} was saved as a new accession by "
                                 "someone else a moment ago; nothing was saved. Search for it "
                                 "before saving again",
})


def _accenumb_problem(code: str, **params: object) -> Problem:
    """A refusal of the accession number, as a registered code with its params."""
    return Problem("ACCENUMB", Severity.ERROR, mcpd.coded_english(code, params), code, params)

# Tables that belong to the accession and go with it; any other table referring to an
# accession (seed lots, tests... in later features) is a dependent that blocks deletion.
OWNED_TABLES = {"accession_name", "accession_other_number", "accession_storage",
                "accession_institute", "accession_remark"}


@dataclass(frozen=True, slots=True)
class Passport:
    """An accession as MCPD values (canonical, by code) plus its record keeping."""

    id: int
    version: int
    values: dict[str, Any]
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class SavedAccession:
    id: int
    version: int
    warnings: tuple[Problem, ...]
    changed: bool = True  # False: the values were those stored, and nothing was written


@everyone
def get_passport(session: Session, accession_id: int) -> Passport:
    accession = session.get(Accession, accession_id)
    if accession is None:
        raise NotFound(code="accession_gone", params={"accession_id": accession_id})
    return _passport(accession)


@everyone
def find_accession_id(session: Session, *, instcode: str, accenumb: str) -> int | None:
    """The accession that ``instcode`` + ``accenumb`` identify, however spelt (case, width,
    spaces: see :mod:`genebank.mcpd.identity`), through the unique identity key's index."""
    return session.scalar(select(Accession.id).where(
        Accession.identity_key == accession_key(instcode, accenumb)))


@requires(Right.CHANGE_PASSPORT)
def create_accession(session: Session, *, values: Mapping[str, object]) -> SavedAccession:
    """Validate raw ``values`` (by MCPD code) and add the accession."""
    checked = _checked(values)
    _refuse_duplicate(session, checked.values, exclude_id=None)
    accession = Accession()
    _apply(session, accession, checked.values)
    session.add(accession)
    with _identity_guarded(checked.values):
        session.flush()
    return SavedAccession(accession.id, accession.version, tuple(checked.warnings))


@requires(Right.CHANGE_PASSPORT)
def update_accession(session: Session, accession_id: int, *, expected_version: int,
                     values: Mapping[str, object]) -> SavedAccession:
    """Replace the passport of an accession read at ``expected_version``.

    Values equal to those stored change nothing: no version, no "last changed", no new
    child rows (saving an untouched form is not an edit).
    """
    accession = _locked(session, accession_id, expected_version, hold=True)
    checked = _checked(values)
    _refuse_duplicate(session, checked.values, exclude_id=accession_id)
    if checked.values == _stored_values(accession):
        return SavedAccession(accession.id, accession.version, tuple(checked.warnings),
                              changed=False)
    _apply(session, accession, checked.values)
    accession.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with _identity_guarded(checked.values):
            session.flush()
    except StaleDataError:
        raise _conflict(session, accession_id) from None
    return SavedAccession(accession.id, accession.version, tuple(checked.warnings))


@requires(Right.DELETE_RECORDS)
def delete_accession(session: Session, accession_id: int, *, expected_version: int) -> None:
    """Delete an accession and its passport; refused while other records depend on it."""
    accession = _locked(session, accession_id, expected_version)
    dependents = _dependents(session, accession_id)
    if dependents:
        listing = ", ".join(f"{table.replace('_', ' ')}: {n}" for table, n in dependents.items())
        raise HasDependents(code="accession_has_dependents", params={
            "accession": accession.accenumb, "listing": listing, "dependents": dependents})
    session.delete(accession)
    try:
        session.flush()
    except StaleDataError:
        raise _conflict(session, accession_id) from None


@everyone
def new_accession_values(session: Session) -> dict[str, Any]:
    """Starting values for a new accession: the holding institute of the latest one, since a
    gene bank catalogues its own accessions."""
    instcode = session.scalar(select(Accession.instcode).order_by(Accession.id.desc()).limit(1))
    return {"INSTCODE": instcode} if instcode else {}


def copy_values(passport: Passport) -> dict[str, Any]:
    """The values for a new accession copied from ``passport``: everything but its identity."""
    return {k: v for k, v in passport.values.items() if k not in {"ACCENUMB", "PUID"}}


def _checked(values: Mapping[str, object]) -> mcpd.CheckedPassport:
    checked = mcpd.check_passport(values)
    _check_extra_fields(checked, values)
    if checked.errors:
        raise ValidationFailed(checked.errors)
    return checked


def _check_extra_fields(checked: mcpd.CheckedPassport, values: Mapping[str, object]) -> None:
    """The fields beyond MCPD (AVAILABLE: true, false or not known), which
    ``check_passport`` does not read: kept in ``checked.values`` as the MCPD ones are."""
    for code in EXTRA_FIELDS:
        try:
            flag = read_flag(values.get(code))
        except mcpd.InvalidValue as problem:
            checked.refuse(code, problem)
            continue
        if flag is not None:
            checked.values[code] = flag


def _locked(session: Session, accession_id: int, expected_version: int, *,
            hold: bool = False) -> Accession:
    # ``hold``: kept to the end of the transaction (PostgreSQL): a save that meets a
    # colleague's withdrawal or save of the same accession waits for it, then finds the
    # version moved and says who moved it, instead of failing in the middle of its write.
    # (FOR UPDATE takes the UPDATE privilege, which a deleting administrator lacks.)
    accession = session.get(Accession, accession_id, populate_existing=hold,
                            with_for_update={"of": Accession} if hold else None)
    if accession is None:
        raise NotFound(code="accession_deleted_meanwhile")
    if accession.version != expected_version:
        raise _conflict(session, accession_id)
    return accession


def _conflict(session: Session, accession_id: int) -> ConcurrentEdit:
    query = (select(Accession.accenumb, Accession.updated_by, Accession.updated_at)
             .where(Accession.id == accession_id)
             .execution_options(populate_existing=True))
    if session.in_transaction() and session.is_active:
        row = session.execute(query).first()
    else:  # a failed write ended the transaction: who moved it is read in a fresh one
        with Session(session.get_bind()) as fresh:
            row = fresh.execute(query).first()
    if row is None:
        return ConcurrentEdit("This accession", "someone else", dt.datetime.now(dt.UTC))
    return ConcurrentEdit(f"Accession {row.accenumb}", row.updated_by, row.updated_at)


def _refuse_duplicate(session: Session, values: Mapping[str, Any],
                      exclude_id: int | None) -> None:
    """Refuse a number that identifies another accession, naming that one as stored
    ("kz-0001" is refused while "KZ-0001" exists: one accession, however spelt)."""
    existing = session.execute(
        select(Accession.id, Accession.instcode, Accession.accenumb).where(
            Accession.identity_key == accession_key(values["INSTCODE"], values["ACCENUMB"]))
    ).first()
    if existing is None or existing.id == exclude_id:
        return
    if existing.accenumb == values["ACCENUMB"] and existing.instcode == values["INSTCODE"]:
        problem = _accenumb_problem("accession_number_taken", instcode=values["INSTCODE"],
                                    accenumb=values["ACCENUMB"])
    else:
        problem = _accenumb_problem("accession_number_taken_as", instcode=existing.instcode,
                                    existing=existing.accenumb, accenumb=values["ACCENUMB"])
    raise ValidationFailed([problem])


@contextlib.contextmanager
def _identity_guarded(values: Mapping[str, Any]) -> Iterator[None]:
    """The unique identity key, the last guard: another workstation saved the same
    accession between the check above and this write (PostgreSQL; SQLite's writes queue)."""
    try:
        yield
    except IntegrityError as error:
        if "identity_key" not in str(error.orig):
            raise
        raise ValidationFailed([_accenumb_problem(
            "accession_saved_meanwhile", instcode=values["INSTCODE"],
            accenumb=values["ACCENUMB"])]) from None


def _dependents(session: Session, accession_id: int, *,
                withdrawals: bool = True) -> dict[str, int]:
    """The records that depend on an accession, by table: its lots, regenerations... and
    the withdrawn accessions naming it as the one they duplicate or were merged into.
    ``withdrawals`` False: a database before 0016 (the duplicates' fix-up at 0007), whose
    accessions name no other."""
    found = {}
    accession_id_column = Accession.__table__.c.id
    for table in Base.metadata.sorted_tables:
        if table.name in OWNED_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column is accession_id_column and (withdrawals or table.name != "accession"):
                count = session.scalar(
                    select(func.count()).select_from(table).where(fk.parent == accession_id))
                if count:
                    found[table.name] = count
    return found


@internal
def ensure_institute(session: Session, code: str) -> None:
    """Add a bare directory entry for an institute code seen for the first time."""
    exists = session.scalar(select(Institute.id).where(Institute.code == code))
    if exists is None:
        if _add_once(session, Institute, {"code": code, "country": code[:3]}):
            return
        session.add(Institute(code=code, country=code[:3]))
        session.flush()


@internal
def find_or_add_taxon(session: Session, values: Mapping[str, Any]) -> Taxon:
    key = dict(zip((f.lower() for f in TAXON_FIELDS), taxon_key(values), strict=True))
    taxon = session.scalars(select(Taxon).filter_by(**key)).first()
    if taxon is None:
        row = {**key, "sort_name": Taxon.make_sort_name(key["genus"], key["species"],
                                                        key["subtaxa"])}
        if _add_once(session, Taxon, row):
            return session.scalars(select(Taxon).filter_by(**key)).one()
        taxon = Taxon(**row)
        session.add(taxon)
    return taxon


def _add_once(session: Session, model: type, row: dict[str, Any]) -> bool:
    """On PostgreSQL, add ``row`` unless a row with the same unique columns exists,
    also one that another workstation is adding at this moment (the statement waits for
    its transaction, then adds nothing): two imports, a demo and a form meeting the same
    new crop name or institute code no longer fail on the unique constraint. Returns
    False on SQLite, whose single writer cannot meet another."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    from sqlalchemy.dialects.postgresql import insert

    from genebank.models.base import audit_values

    session.flush()
    session.execute(insert(model).values(  # type: ignore[arg-type]
        **row, **audit_values(str(session.info.get("user", ""))[:64]))
        .on_conflict_do_nothing())
    return True


def _apply(session: Session, accession: Accession, values: Mapping[str, Any]) -> None:
    ensure_institute(session, values["INSTCODE"])
    with session.no_autoflush:
        _apply_values(session, accession, values)


def _apply_values(session: Session, accession: Accession, values: Mapping[str, Any]) -> None:
    for column, value in accession_columns(values).items():
        setattr(accession, column, value)
    accession.taxon = find_or_add_taxon(session, values)
    names = values.get("ACCENAME", [])
    accession.names = [AccessionName(position=i, name=n) for i, n in enumerate(names)]
    accession.other_numbers = [
        AccessionOtherNumber(position=i, instcode=item.partition(":")[0],
                             number=item.partition(":")[2])
        for i, item in enumerate(values.get("OTHERNUMB", []))
    ]
    kept = {s.code: s for s in accession.storage}  # unique (accession, code): reuse rows
    accession.storage = [kept.get(c) or AccessionStorage(code=c) for c in values.get("STORAGE", [])]
    accession.institutes = [
        AccessionInstitute(role=role, position=i, code=code)
        for role in INSTITUTE_ROLES
        for i, code in enumerate(values.get(role, []))
    ]
    accession.remarks = [AccessionRemark(position=i, remark=r)
                         for i, r in enumerate(values.get("REMARKS", []))]


def _passport(accession: Accession) -> Passport:
    return Passport(accession.id, accession.version, _stored_values(accession),
                    accession.created_at, accession.created_by, accession.updated_at,
                    accession.updated_by)


def _stored_values(accession: Accession) -> dict[str, Any]:
    columns = {name: getattr(accession, name)
               for name in (column_name(code) for code in SCALAR_FIELDS)}
    taxon = {code.lower(): getattr(accession.taxon, code.lower()) for code in TAXON_FIELDS}
    multi = {
        "ACCENAME": [n.name for n in accession.names],
        "OTHERNUMB": [f"{o.instcode}:{o.number}" for o in accession.other_numbers],
        "STORAGE": [s.code for s in accession.storage],
        "REMARKS": [r.remark for r in accession.remarks],
    }
    for role in INSTITUTE_ROLES:
        multi[role] = [i.code for i in accession.institutes if i.role == role]
    return stored_values(columns, taxon, multi)
