"""The accession table: which accessions match a search and filters, in which order.

Built for a million rows: :func:`matching_ids` runs one SQL query for the ordered ids
(sorting and filtering in the database, through indexes), and :func:`table_rows` loads the
visible rows by id, a page at a time.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import filterfalse

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from genebank.models import (
    Accession,
    AccessionName,
    AccessionRemark,
    AccessionStorage,
    SeedLot,
    Taxon,
)
from genebank.passport.withdrawals import in_collection, withdrawn_ids
from genebank.services import text_match
from genebank.users.actor import everyone


class SortKey(StrEnum):
    ACCENUMB = "ACCENUMB"
    TAXON = "TAXON"
    CROPNAME = "CROPNAME"
    ACCENAME = "ACCENAME"
    ORIGCTY = "ORIGCTY"
    SAMPSTAT = "SAMPSTAT"
    ACQDATE = "ACQDATE"
    STORAGE = "STORAGE"


@dataclass(frozen=True, slots=True)
class AccessionFilter:
    """What the user asked to see; empty fields do not filter."""

    text: str = ""
    cropname: str | None = None
    genus: str | None = None
    origcty: str | None = None
    sampstat: int | None = None
    storage: int | None = None
    # Withdrawn accessions are out of the collection: shown only when asked ("Show
    # withdrawn" in the main table's filter).
    include_withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class AccessionRow:
    id: int
    instcode: str
    accenumb: str
    taxon: str
    cropname: str
    accename: str
    origcty: str
    sampstat: int | None
    acqdate: str
    storage: str
    withdrawal_reason: str | None = None  # None: in the collection
    withdrawn_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FilterChoices:
    cropnames: list[str]
    genera: list[str]
    countries: list[str]


def _sort_columns(key: SortKey) -> tuple[ColumnElement[object], bool]:
    """The column to order by, and whether it needs the taxon table."""
    return {
        SortKey.ACCENUMB: (Accession.accenumb, False),
        SortKey.TAXON: (Taxon.sort_name, True),
        SortKey.CROPNAME: (Taxon.cropname, True),
        SortKey.ACCENAME: (Accession.first_name, False),
        SortKey.ORIGCTY: (Accession.origcty, False),
        SortKey.SAMPSTAT: (Accession.sampstat, False),
        SortKey.ACQDATE: (Accession.acqdate, False),
        SortKey.STORAGE: (Accession.storage_summary, False),
    }[key]


def _taxon_ids(*conditions: ColumnElement[bool]) -> Select[tuple[int]]:
    return select(Taxon.id).where(*conditions)


@dataclass(frozen=True, slots=True)
class _Part:
    """One filter, in the form an index can serve (``driving``) and the form checked row by
    row (``checked``), with a cheap query counting the rows it matches on its own."""

    driving: ColumnElement[bool]
    checked: ColumnElement[bool]
    alone: Select[tuple[int]]


def _count_where(condition: ColumnElement[bool]) -> Select[tuple[int]]:
    return select(func.count()).select_from(Accession).where(condition)


def _parts(session: Session, where: AccessionFilter) -> list[_Part]:
    """The filters of ``where``. SQLite keeps no statistics, so left to itself it may drive a
    query from an index matching half the collection; the checked forms (``+ 0``,
    ``|| ''``, a correlated EXISTS) cannot use an index, which lets us choose the driver."""
    parts: list[_Part] = []
    text = " ".join(where.text.split())
    if text:
        taxa = _taxon_ids(or_(text_match.starts_with(session, Taxon.sort_name, text),
                              text_match.starts_with(session, Taxon.species, text),
                              text_match.contains(session, Taxon.cropname, text)))
        names = select(AccessionName.accession_id).where(
            text_match.starts_with(session, AccessionName.name, text))
        remarks = select(AccessionRemark.accession_id).where(
            text_match.contains(session, AccessionRemark.remark, text))
        lots = select(SeedLot.accession_id).where(  # a scanned lot label
            text_match.starts_with(session, SeedLot.lot_number, text))
        driving = or_(text_match.starts_with(session, Accession.accenumb, text),
                      Accession.id.in_(names), Accession.taxon_id.in_(taxa),
                      Accession.id.in_(remarks), Accession.id.in_(lots))
        checked = or_(text_match.starts_with(session, Accession.accenumb.concat(""), text),
                      (Accession.id + 0).in_(names), (Accession.taxon_id + 0).in_(taxa),
                      (Accession.id + 0).in_(remarks), (Accession.id + 0).in_(lots))
        parts.append(_Part(driving, checked, _count_where(driving)))
    if where.cropname or where.genus:
        taxon_conditions = []
        if where.cropname:
            taxon_conditions.append(Taxon.cropname == where.cropname)
        if where.genus:
            taxon_conditions.append(Taxon.genus == where.genus)
        taxa = _taxon_ids(*taxon_conditions)
        driving = Accession.taxon_id.in_(taxa)
        parts.append(_Part(driving, (Accession.taxon_id + 0).in_(taxa), _count_where(driving)))
    if where.origcty:
        driving = Accession.origcty == where.origcty
        parts.append(_Part(driving, Accession.origcty.concat("") == where.origcty,
                           _count_where(driving)))
    if where.sampstat is not None:
        driving = Accession.sampstat == where.sampstat
        parts.append(_Part(driving, (Accession.sampstat + 0) == where.sampstat,
                           _count_where(driving)))
    if where.storage is not None:
        stored = AccessionStorage.code == where.storage
        parts.append(_Part(
            Accession.id.in_(select(AccessionStorage.accession_id).where(stored)),
            select(AccessionStorage.code).where(AccessionStorage.accession_id == Accession.id,
                                              stored).exists(),
            select(func.count()).select_from(AccessionStorage).where(stored)))
    return parts


@dataclass(frozen=True, slots=True)
class _Plan:
    count: int
    conditions: list[ColumnElement[bool]]  # for counting and for all ids
    walk: list[ColumnElement[bool]]  # for a first page read along the sort order
    filtered: bool = True  # False: no filter but the collection's own rows
    own: bool = False  # True: the last condition leaves withdrawn accessions out


def _plan(session: Session, where: AccessionFilter) -> _Plan:
    """Drive from the most selective filter and check the others row by row."""
    parts = _parts(session, where)
    # The collection's own rows: checked row by row against the few withdrawn ids (never
    # a driver), so every index the filters and the sort use still serves them. How many are
    # withdrawn is read first, from the partial index holding only them: when none is, the
    # check is left out (it costs ~40 ms per million ids read, and a second count).
    withdrawn = 0 if where.include_withdrawn else session.scalar(
        select(func.count()).select_from(withdrawn_ids().subquery())) or 0
    own = [in_collection()] if withdrawn else []
    if not parts:
        count = session.scalar(select(func.count()).select_from(Accession)) or 0
        return _Plan(count - withdrawn, own, own, filtered=False, own=bool(own))
    if session.get_bind().dialect.name != "sqlite":  # PostgreSQL plans with statistics
        conditions = [p.driving for p in parts] + own
        count = session.scalar(select(func.count()).select_from(Accession).where(*conditions))
        return _Plan(count or 0, conditions, conditions)
    counts = [session.scalar(p.alone) or 0 for p in parts]
    driver = min(range(len(parts)), key=counts.__getitem__)
    conditions = [p.driving if i == driver else p.checked for i, p in enumerate(parts)]
    conditions += own
    if len(parts) > 1:
        count = session.scalar(select(func.count()).select_from(Accession).where(*conditions))
    elif own and counts[0] < withdrawn:  # its few matches, each checked for a withdrawal
        count = counts[0] - (session.scalar(select(func.count()).select_from(Accession).where(
            parts[0].driving, func.length(Accession.withdrawn_on).is_not(None))) or 0)
    elif own:  # the filter's own count, less its withdrawn rows (read from their index)
        count = counts[0] - (session.scalar(select(func.count()).select_from(Accession).where(
            Accession.withdrawn_on.is_not(None), parts[0].checked)) or 0)
    else:
        count = counts[0]
    return _Plan(count or 0, conditions, [p.checked for p in parts] + own, own=bool(own))


def _walk_share(limit: int, total: int) -> float:
    """The share of matching rows above which a first page is best read along the sort order.

    Walking the sort index reads about limit/share rows (in order, cheaply); going through the
    filter's index reads share*total rows (scattered) and sorts them. They cost the same near
    share = sqrt(limit/total); halved, because the walk's reads are the cheaper kind.
    """
    return WALK_FACTOR * math.sqrt(limit / max(total, 1))


WALK_FACTOR = 0.5


@dataclass(frozen=True, slots=True)
class FirstPage:
    ids: list[int]
    count: int


@everyone
def first_page(session: Session, where: AccessionFilter, *, sort: SortKey = SortKey.ACCENUMB,
               descending: bool = False, limit: int) -> FirstPage:
    """How many accessions match, and the first ``limit`` of them in display order: what the
    table needs to paint while :func:`matching_ids` loads the rest."""
    plan = _plan(session, where)
    total = plan.count if not plan.filtered else (
        session.scalar(select(func.count()).select_from(Accession)) or 0)
    walk = plan.count >= _walk_share(limit, total) * total
    query = _ordered(session, plan.walk if walk else plan.conditions, sort, descending)
    return FirstPage(list(session.scalars(query.limit(limit))), plan.count)


@everyone
def matching_ids(session: Session, where: AccessionFilter, *, sort: SortKey = SortKey.ACCENUMB,
                 descending: bool = False) -> array[int]:
    """Ids of the accessions matching ``where``, in display order (ties by id)."""
    plan = _plan(session, where)
    if plan.own and session.get_bind().dialect.name == "sqlite":
        # Checking each id against the withdrawn ones costs SQLite ~180 ns an id with
        # 10,000 withdrawn (a million ids: +180 ms); a set of them in Python, a third.
        withdrawn = set(session.scalars(withdrawn_ids()))
        ids = _fetch_ids(session, _ordered(session, plan.conditions[:-1], sort, descending))
        return array("q", filterfalse(withdrawn.__contains__, ids))
    return _fetch_ids(session, _ordered(session, plan.conditions, sort, descending))


@everyone
def count_matching(session: Session, where: AccessionFilter) -> int:
    return _plan(session, where).count


def _ordered(session: Session, conditions: list[ColumnElement[bool]], sort: SortKey,
             descending: bool) -> Select[tuple[int]]:
    column, needs_taxon = _sort_columns(sort)
    query = select(Accession.id).where(*conditions)
    if needs_taxon:
        query = query.join(Taxon, Taxon.id == Accession.taxon_id)
    order = column.desc() if descending else column.asc()
    tie = Accession.id.desc() if descending else Accession.id.asc()
    if session.get_bind().dialect.name == "postgresql":  # empty values first, as in SQLite
        order = order.nulls_first() if not descending else order.nulls_last()
    return query.order_by(order, tie)


def _fetch_ids(session: Session, query: Select[tuple[int]]) -> array[int]:
    """All ids of ``query``. On SQLite, read through the driver: a million ids in ~0.4 s
    instead of ~1.4 s through SQLAlchemy's result layer."""
    ids = array("q")
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        compiled = query.compile(connection, compile_kwargs={"render_postcompile": True})
        params = compiled.construct_params()
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(str(compiled), [params[name] for name in compiled.positiontup or []])
            while rows := cursor.fetchmany(50000):
                ids.extend(row[0] for row in rows)
        finally:
            cursor.close()
        return ids
    for chunk in session.execute(query).scalars().partitions(50000):
        ids.extend(chunk)
    return ids


@everyone
def table_rows(session: Session, ids: Sequence[int]) -> list[AccessionRow]:
    """The table's rows for ``ids``, in the same order (rows deleted meanwhile are left out)."""
    query = (
        select(Accession.id, Accession.instcode, Accession.accenumb, Taxon.sort_name,
               Taxon.cropname, Accession.first_name, Accession.origcty, Accession.sampstat,
               Accession.acqdate, Accession.storage_summary, Accession.withdrawal_reason,
               Accession.withdrawn_on)
        .join(Taxon, Taxon.id == Accession.taxon_id)
        .where(Accession.id.in_(list(ids)))
    )
    by_id = {
        row[0]: AccessionRow(row[0], row[1], row[2], row[3], row[4], row[5] or "",
                             row[6] or "", row[7], row[8] or "", row[9] or "", row[10],
                             row[11])
        for row in session.execute(query)
    }
    return [by_id[i] for i in ids if i in by_id]


@everyone
def filter_choices(session: Session) -> FilterChoices:
    """The crops, genera and countries present in the collection, for the filter lists."""
    used = select(Accession.id).where(Accession.taxon_id == Taxon.id).exists()
    crops = session.scalars(select(Taxon.cropname).where(Taxon.cropname != "", used)
                            .distinct().order_by(Taxon.cropname))
    genera = session.scalars(select(Taxon.genus).where(used).distinct().order_by(Taxon.genus))
    return FilterChoices(list(crops), list(genera), _distinct_countries(session))


def _distinct_countries(session: Session) -> list[str]:
    """Distinct ORIGCTY values by a loose index scan: one index seek per country (~50)
    instead of reading a million index entries (~110 ms)."""
    after = aliased(Accession)
    countries = (
        select(func.min(Accession.origcty).label("code"))
        .cte("countries", recursive=True)
    )
    countries = countries.union_all(
        select(select(func.min(after.origcty)).where(after.origcty > countries.c.code)
               .scalar_subquery())
        .where(countries.c.code.is_not(None))
    )
    return [c for c in session.scalars(select(countries.c.code)) if c is not None]
