"""The accession table: which accessions match a search and filters, in which order.

Built for a million rows: :func:`matching_ids` runs one SQL query for the ordered ids
(sorting and filtering in the database, through indexes), and :func:`table_rows` loads the
visible rows by id, a page at a time.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from genebank.models import Accession, AccessionName, AccessionRemark, AccessionStorage, Taxon
from genebank.services import text_match


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


def _taxon_ids(session: Session, *conditions: ColumnElement[bool]) -> Select[tuple[int]]:
    return select(Taxon.id).where(*conditions)


def _conditions(session: Session, where: AccessionFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    text = " ".join(where.text.split())
    if text:
        conditions.append(or_(
            text_match.starts_with(session, Accession.accenumb, text),
            Accession.id.in_(select(AccessionName.accession_id).where(
                text_match.starts_with(session, AccessionName.name, text))),
            Accession.taxon_id.in_(_taxon_ids(session, or_(
                text_match.starts_with(session, Taxon.sort_name, text),
                text_match.starts_with(session, Taxon.species, text),
                text_match.contains(session, Taxon.cropname, text)))),
            Accession.id.in_(select(AccessionRemark.accession_id).where(
                text_match.contains(session, AccessionRemark.remark, text))),
        ))
    if where.cropname or where.genus:
        taxon_conditions = []
        if where.cropname:
            taxon_conditions.append(Taxon.cropname == where.cropname)
        if where.genus:
            taxon_conditions.append(Taxon.genus == where.genus)
        conditions.append(Accession.taxon_id.in_(_taxon_ids(session, *taxon_conditions)))
    if where.origcty:
        conditions.append(Accession.origcty == where.origcty)
    if where.sampstat is not None:
        conditions.append(Accession.sampstat == where.sampstat)
    if where.storage is not None:
        # Alone, the storage index drives the query; with other filters, a per-row lookup
        # in the (accession_id, code) index is cheaper than building the whole id set.
        stored = AccessionStorage.code == where.storage
        if conditions:
            conditions.append(select(AccessionStorage.id).where(
                AccessionStorage.accession_id == Accession.id, stored).exists())
        else:
            conditions.append(Accession.id.in_(select(AccessionStorage.accession_id).where(stored)))
    return conditions


def matching_ids(session: Session, where: AccessionFilter, *, sort: SortKey = SortKey.ACCENUMB,
                 descending: bool = False) -> array[int]:
    """Ids of the accessions matching ``where``, in display order (ties by id)."""
    query = _ordered(session, where, sort, descending)
    return _fetch_ids(session, query)


def first_page_ids(session: Session, where: AccessionFilter, *, sort: SortKey, descending: bool,
                   limit: int) -> list[int]:
    """The first ``limit`` ids in display order: what the table shows before all ids load."""
    return list(session.scalars(_ordered(session, where, sort, descending).limit(limit)))


def _ordered(session: Session, where: AccessionFilter, sort: SortKey,
             descending: bool) -> Select[tuple[int]]:
    column, needs_taxon = _sort_columns(sort)
    query = select(Accession.id).where(*_conditions(session, where))
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


def count_matching(session: Session, where: AccessionFilter) -> int:
    return session.scalar(
        select(func.count()).select_from(Accession).where(*_conditions(session, where))) or 0


def table_rows(session: Session, ids: Sequence[int]) -> list[AccessionRow]:
    """The table's rows for ``ids``, in the same order (rows deleted meanwhile are left out)."""
    query = (
        select(Accession.id, Accession.instcode, Accession.accenumb, Taxon.sort_name,
               Taxon.cropname, Accession.first_name, Accession.origcty, Accession.sampstat,
               Accession.acqdate, Accession.storage_summary)
        .join(Taxon, Taxon.id == Accession.taxon_id)
        .where(Accession.id.in_(list(ids)))
    )
    by_id = {
        row[0]: AccessionRow(row[0], row[1], row[2], row[3], row[4], row[5] or "",
                             row[6] or "", row[7], row[8] or "", row[9] or "")
        for row in session.execute(query)
    }
    return [by_id[i] for i in ids if i in by_id]


def filter_choices(session: Session) -> FilterChoices:
    """The crops, genera and countries present in the collection, for the filter lists."""
    crops = session.scalars(
        select(Taxon.cropname).where(Taxon.cropname != "").distinct().order_by(Taxon.cropname))
    genera = session.scalars(select(Taxon.genus).distinct().order_by(Taxon.genus))
    countries = session.scalars(
        select(Accession.origcty).where(Accession.origcty.is_not(None)).distinct()
        .order_by(Accession.origcty))
    return FilterChoices(list(crops), list(genera), list(countries))
