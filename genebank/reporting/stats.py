"""Counts that describe a collection at a glance (``genebank stats``, the status bar).

Withdrawn accessions are out of the collection, so out of every count unless
``include_withdrawn``; how many were withdrawn, by reason, is counted apart (FAO reporting
explains year-on-year changes by it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from genebank.conservation import regenerations
from genebank.models import Accession, AccessionStorage, Institute, Taxon
from genebank.passport.withdrawals import in_collection
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
    withdrawn: int = 0  # counted apart, whatever include_withdrawn says
    withdrawn_by_reason: dict[str, int] = field(default_factory=dict)


@everyone
def collection_stats(session: Session, *, include_withdrawn: bool = False) -> CollectionStats:
    def count(query: object) -> int:
        return session.scalar(query) or 0  # type: ignore[arg-type]

    def own(column: object) -> list[object]:
        return [] if include_withdrawn else [in_collection(column)]

    # A taxon is out only when every accession of it is withdrawn (the few withdrawn
    # accessions' taxa are looked at, not the collection's); an unused taxon still counts.
    kept = aliased(Accession)
    only_withdrawn = select(Accession.taxon_id).where(
        Accession.withdrawn_on.is_not(None),
        ~select(kept.id).where(kept.taxon_id == Accession.taxon_id,
                               kept.withdrawn_on.is_(None)).exists())
    used_taxon = [] if include_withdrawn else [Taxon.id.not_in(only_withdrawn)]
    # as the MCPD export's DUPLSITE: typed sites and sent or confirmed safety duplicates
    duplicated = regenerations.duplicated_accessions().subquery()
    by_storage = dict(session.execute(
        select(AccessionStorage.code, func.count()).where(*own(AccessionStorage.accession_id))
        .group_by(AccessionStorage.code).order_by(AccessionStorage.code)).all())
    by_sampstat = dict(session.execute(
        select(Accession.sampstat, func.count()).where(*own(Accession.id))
        .group_by(Accession.sampstat).order_by(Accession.sampstat)).all())
    withdrawn_by_reason = dict(session.execute(
        select(Accession.withdrawal_reason, func.count())
        .where(Accession.withdrawn_on.is_not(None))
        .group_by(Accession.withdrawal_reason).order_by(Accession.withdrawal_reason)).all())
    return CollectionStats(
        accessions=count(select(func.count()).select_from(Accession).where(*own(Accession.id))),
        taxa=count(select(func.count()).select_from(Taxon).where(*used_taxon)),
        genera=count(select(func.count(func.distinct(Taxon.genus))).where(*used_taxon)),
        crops=count(select(func.count(func.distinct(Taxon.cropname))).where(
            Taxon.cropname != "", *used_taxon)),
        countries=count(select(func.count(func.distinct(Accession.origcty))).where(
            *own(Accession.id))),
        institutes=count(select(func.count()).select_from(Institute)),
        with_safety_duplicate=count(select(func.count()).select_from(duplicated).where(
            *own(duplicated.c.accession_id))),
        by_storage=by_storage,
        by_sampstat=by_sampstat,
        withdrawn=sum(withdrawn_by_reason.values()),
        withdrawn_by_reason=withdrawn_by_reason,
    )
