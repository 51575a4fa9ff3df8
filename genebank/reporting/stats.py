"""Counts that describe a collection at a glance (``genebank stats``, the status bar)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank.models import Accession, AccessionInstitute, AccessionStorage, Institute, Taxon
from genebank.users.actor import everyone


@dataclass(frozen=True, slots=True)
class CollectionStats:
    accessions: int
    taxa: int
    genera: int
    crops: int
    countries: int
    institutes: int
    with_safety_duplicate: int
    by_storage: dict[int, int]
    by_sampstat: dict[int | None, int]


@everyone
def collection_stats(session: Session) -> CollectionStats:
    def count(query: object) -> int:
        return session.scalar(query) or 0  # type: ignore[arg-type]

    by_storage = dict(session.execute(
        select(AccessionStorage.code, func.count()).group_by(AccessionStorage.code)
        .order_by(AccessionStorage.code)).all())
    by_sampstat = dict(session.execute(
        select(Accession.sampstat, func.count()).group_by(Accession.sampstat)
        .order_by(Accession.sampstat)).all())
    return CollectionStats(
        accessions=count(select(func.count()).select_from(Accession)),
        taxa=count(select(func.count()).select_from(Taxon)),
        genera=count(select(func.count(func.distinct(Taxon.genus)))),
        crops=count(select(func.count(func.distinct(Taxon.cropname))).where(Taxon.cropname != "")),
        countries=count(select(func.count(func.distinct(Accession.origcty)))),
        institutes=count(select(func.count()).select_from(Institute)),
        with_safety_duplicate=count(
            select(func.count(func.distinct(AccessionInstitute.accession_id)))
            .where(AccessionInstitute.role == "DUPLSITE")),
        by_storage=by_storage,
        by_sampstat=by_sampstat,
    )
