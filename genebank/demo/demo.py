"""Filling a database with a realistic demo collection, fast enough for a million accessions.

Rows are generated in batches and written with Core ``INSERT``s (executemany), with ids
taken from the database beforehand (``bulk.IdSource``) so child rows need no round trip.
Everything goes into the caller's transaction, which must be a write transaction
(``genebank.transactions``): a cancelled or failed run leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import history
from genebank.demo import demo_conservation
from genebank.demo import demo_data as data
from genebank.demo.demo_geography import collecting_site
from genebank.demo.demo_native import NATIVE_COUNTRIES, WILD_ONLY, is_wild
from genebank.mcpd.identity import accession_key
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Institute,
)
from genebank.passport.accessions import ensure_institute, find_or_add_taxon
from genebank.progress import NoProgress, Progress, check
from genebank.services.bulk import audit_row, insert_rows, new_ids
from genebank.transactions import one_at_a_time

DEMO_INSTCODE = "KAZ001"
DEMO_INSTITUTE_NAME = "Demo national gene bank"
# The names the demo gives institutes of the directory that have none: removing the demo
# recognises its institutes by them.
DEMO_INSTITUTE_NAMES = {DEMO_INSTCODE: DEMO_INSTITUTE_NAME,
                        "NOR051": "Svalbard Global Seed Vault"}
BATCH = 10_000


@dataclass(frozen=True, slots=True)
class DemoResult:
    accessions: int
    first_accenumb: str
    last_accenumb: str


def load_demo(session: Session, *, accessions: int, seed: int = 2025,
              instcode: str = DEMO_INSTCODE, lots: bool = True,
              progress: Progress | None = None, today: dt.date | None = None) -> DemoResult:
    """Add ``accessions`` demo accessions (numbered after any existing demo ones), with
    seed lots, tests and safety duplicates unless ``lots`` is False."""
    one_at_a_time(session, "demo")  # demo numbers count on from the last ones
    with history.operation(session, "bulk", reference="demo collection"):
        return _load_demo(session, accessions, seed, instcode, lots,
                          progress or NoProgress(), today)


def _load_demo(session: Session, accessions: int, seed: int, instcode: str, lots: bool,
               progress: Progress, today: dt.date | None) -> DemoResult:
    rng = random.Random(seed)
    for code in {instcode, *data.DUPLICATE_SITES}:
        ensure_institute(session, code)
    _name_institute(session, instcode, DEMO_INSTITUTE_NAME)
    _name_institute(session, "NOR051", DEMO_INSTITUTE_NAMES["NOR051"])
    taxa = _demo_taxa(session)
    genus_of = {taxon_id: genus for taxon_id, genus, _ in taxa}
    conservation = (demo_conservation.prepare(session, list(genus_of.values()),
                                              today or dt.date.today()) if lots else None)
    pools = _TaxonPools.of(taxa)
    start_number = _next_demo_number(session, instcode)
    audit = audit_row(session)
    done = 0
    progress.report(0, accessions, "Creating demo accessions")
    for batch in _batches(accessions):
        check(progress)
        rows: dict[type, list[tuple[object, ...]]] = {m: [] for m in (Accession, *CHILD_COLUMNS)}
        _demo_batch(rng, new_ids(session, Accession.__table__, batch), start_number + done,
                    instcode, pools, rows, typed_duplicates=not lots)
        accession_rows = rows.pop(Accession)
        insert_rows(session, Accession.__table__, ACCESSION_COLUMNS, accession_rows, audit)
        for model, table_rows in rows.items():
            insert_rows(session, model.__table__, CHILD_COLUMNS[model], table_rows, audit)
        if conservation is not None:
            demo_conservation.add_batch(session, rng, conservation, [
                (row[0], genus_of[row[3]], int(row[4][:4]))  # type: ignore[index]
                for row in accession_rows])
        done += batch
        progress.report(done, accessions, f"Created {done:,} of {accessions:,} accessions")
    return DemoResult(accessions, _accenumb(start_number), _accenumb(start_number + accessions - 1))


def _batches(total: int) -> Iterator[int]:
    while total > 0:
        yield min(BATCH, total)
        total -= BATCH


def _accenumb(number: int) -> str:
    return f"DEMO-{number:07d}"


def _next_demo_number(session: Session, instcode: str) -> int:
    last = session.scalar(
        select(func.max(Accession.accenumb))
        .where(Accession.instcode == instcode, Accession.accenumb.like("DEMO-%")))
    return int(last[5:]) + 1 if last and last[5:].isdigit() else 1


def _name_institute(session: Session, code: str, name: str) -> None:
    institute = session.scalars(select(Institute).where(Institute.code == code)).one()
    if not institute.name:
        institute.name = name


def _demo_taxa(session: Session) -> list[tuple[int, str, tuple[str, str, str]]]:
    """Taxon id, genus and (genus, species, sub-taxon) for every demo crop, adding the
    missing ones."""
    taxa = []
    for genus, species, author, crop, subtaxa_options in data.CROPS:
        for subtaxa in subtaxa_options:
            taxon = find_or_add_taxon(session, {"GENUS": genus, "SPECIES": species,
                                                "SPAUTHOR": author, "SUBTAXA": subtaxa,
                                                "CROPNAME": crop})
            session.flush()
            taxa.append((taxon.id, genus, (genus, species, subtaxa)))
    return taxa


@dataclass(frozen=True, slots=True)
class _TaxonPools:
    """Which taxa a demo accession may be, by kind of material: wild ones only where their
    taxon is native; cultivated material never of a taxon that exists only wild."""

    cultivated: tuple[tuple[int, str], ...]
    wild: tuple[tuple[int, str, tuple[str, ...]], ...]  # (taxon id, genus, native countries)

    @classmethod
    def of(cls, taxa: list[tuple[int, str, tuple[str, str, str]]]) -> _TaxonPools:
        return cls(tuple((i, genus) for i, genus, name in taxa if name not in WILD_ONLY),
                   tuple((i, genus, NATIVE_COUNTRIES[name]) for i, genus, name in taxa
                         if name in NATIVE_COUNTRIES))


def _weighted(rng: random.Random, weights: tuple[tuple[int, int], ...], k: int) -> list[int]:
    return rng.choices([c for c, _ in weights], [w for _, w in weights], k=k)


ACCESSION_COLUMNS = (
    "id", "instcode", "accenumb", "taxon_id", "acqdate", "origcty", "sampstat", "mlsstat",
    "first_name", "storage_summary", "collnumb", "collmissid", "collsite", "declatitude",
    "declongitude", "coorduncert", "coorddatum", "georefmeth", "elevation", "colldate",
    "collsrc", "ancest", "donorcode", "donornumb", "identity_key",
)
CHILD_COLUMNS = {
    AccessionName: ("accession_id", "position", "name"),
    AccessionStorage: ("accession_id", "code"),
    AccessionInstitute: ("accession_id", "role", "position", "code"),
    AccessionRemark: ("accession_id", "position", "remark"),
    AccessionOtherNumber: ("accession_id", "position", "instcode", "number"),
}


def _demo_batch(rng: random.Random, ids: list[int], first_number: int,
                instcode: str, pools: _TaxonPools,
                rows: dict[type, list[tuple[object, ...]]], *,
                typed_duplicates: bool = True) -> None:
    """Append a demo accession for each of ``ids`` (as tuples in the column orders above)
    to ``rows``. ``typed_duplicates``: a base-collection accession may have NOR051 typed in
    DUPLSITE; not when the demo has lots, whose safety duplicates sent there name it in the
    export (the same site typed as well would outlive a void of its only duplicate)."""
    count = len(ids)
    sampstats = _weighted(rng, data.SAMPSTAT_WEIGHTS, count)
    collsrcs = _weighted(rng, data.COLLSRC_WEIGHTS, count)
    random_ = rng.random
    randint = rng.randint
    choice = rng.choice
    names_, storages, countries = data.NAME_PARTS, data.STORAGE_SETS, data.COUNTRIES
    accessions, names = rows[Accession], rows[AccessionName]
    storage_rows, institutes = rows[AccessionStorage], rows[AccessionInstitute]
    for offset in range(count):
        accession_id, number = ids[offset], first_number + offset
        sampstat = sampstats[offset]
        if is_wild(sampstat):  # collected where the taxon grows wild
            taxon_id, genus, native = choice(pools.wild)
            country = choice(native)
        else:
            taxon_id, genus = choice(pools.cultivated)
            country = choice(countries)
        collected = None
        if sampstat < 400:
            collected = dt.date(randint(1965, 2024), randint(5, 9), randint(1, 28))
            acqdate = _acquired_after(rng, collected)
        else:
            year, shape, month = randint(1965, 2025), random_(), randint(1, 12)
            acqdate = (f"{year}----" if shape < 0.3 else f"{year}{month:02d}--" if shape < 0.5
                       else f"{year}{month:02d}{randint(1, 28):02d}")
        storage = choice(storages)
        first_name = None
        if random_() < 0.6:
            first_name = choice(names_) if random_() < 0.5 else f"{choice(names_)} {randint(1, 99)}"
            names.append((accession_id, 0, first_name))
            if random_() < 0.2:
                names.append((accession_id, 1, f"{choice(names_)}-{randint(1, 999)}"))
        if collected is not None:
            site = collecting_site(rng, country)
            collecting = (
                f"{genus[:2].upper()}{randint(1, 99999):05d}",
                f"{country}-{collected.year}-{randint(1, 9)}",
                site.text, site.latitude, site.longitude,
                choice((None, 100, 500, 2000)), "WGS84", choice(("GPS", "map", "gazetteer")),
                site.elevation, f"{collected:%Y%m%d}", collsrcs[offset], None, None, None,
            )
        else:
            collecting = (None,) * 11 + (
                f"{choice(names_)}/{choice(names_)}", choice(("TUR001", "RUS001", None)),
                f"D{randint(1, 50000)}")
        accenumb = _accenumb(number)
        accessions.append((
            accession_id, instcode, accenumb, taxon_id, acqdate, country, sampstat,
            choice((0, 1, 1, 1, None)), first_name, ";".join(map(str, storage)), *collecting,
            accession_key(instcode, accenumb),
        ))
        for code in storage:
            storage_rows.append((accession_id, code))
        if 13 in storage and random_() < 0.5 and typed_duplicates:
            institutes.append((accession_id, "DUPLSITE", 0, "NOR051"))
        if sampstat == 999:
            rows[AccessionRemark].append(
                (accession_id, 0, "SAMPSTAT:mixture of landrace and cultivar"))
        if random_() < 0.15:
            rows[AccessionOtherNumber].append((accession_id, 0, "", f"OLD-{number}"))


def _acquired_after(rng: random.Random, collected: dt.date) -> str:
    """An MCPD ACQDATE for material collected on ``collected``: the gene bank receives it
    days to about a year later, and even the first day of a date given as a month or a year
    only is not before the collecting day (so no reading puts acquisition first)."""
    acquired = collected + dt.timedelta(days=rng.randint(3, 400))
    shape = rng.random()
    if shape < 0.3 and acquired.year > collected.year:
        return f"{acquired.year}----"
    if shape < 0.5 and (acquired.year, acquired.month) > (collected.year, collected.month):
        return f"{acquired:%Y%m}--"
    return f"{acquired:%Y%m%d}"
