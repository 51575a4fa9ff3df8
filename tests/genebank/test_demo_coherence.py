"""What a tester saw in the demo and a curator would not believe: material collected after the
gene bank acquired it, inland sites at sea level, wild taxa far from where they grow wild,
names that fit neither country nor gender, one name twice on a roster, certificates on the
last day, and no germination test waiting to be counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from genebank import db
from genebank.conservation import worklists
from genebank.demo import demo, demo_geography, demo_names, demo_training
from genebank.demo.demo_native import NATIVE_COUNTRIES
from genebank.models import (
    Accession,
    Certificate,
    Course,
    Enrolment,
    GerminationReplicate,
    GerminationTest,
    Participant,
    SeedLot,
    Taxon,
)

TODAY = dt.date(2026, 11, 23)


def _first_day(mcpd_date: str) -> dt.date:
    """The earliest day an MCPD date (YYYYMMDD, YYYYMM--, YYYY----) can mean."""
    return dt.date(int(mcpd_date[:4]), int(mcpd_date[4:6].replace("--", "01")),
                   int(mcpd_date[6:8].replace("--", "01")))


def test_no_accession_is_collected_after_it_was_acquired(
        sqlite_database: db.Database) -> None:
    """COLLDATE is on or before even the first day that ACQDATE (year or month only) means."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=1500, lots=False)
    with sqlite_database.session_factory() as session:
        dates = session.execute(select(Accession.colldate, Accession.acqdate).where(
            Accession.colldate.is_not(None))).all()
    assert len(dates) > 600
    late = [(c, a) for c, a in dates if _first_day(c) > _first_day(a)]
    assert late == []
    assert {len(a.rstrip("-")) for _, a in dates} == {4, 6, 8}  # every precision still occurs


def test_inland_sites_are_not_at_sea_level(sqlite_database: db.Database) -> None:
    """Sites near Jodhpur, Nagpur, Multan, Biskra or Kolda are never at 0 m; every site is
    within its country's range and not below half its town's height."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=4000, lots=False)
    with sqlite_database.session_factory() as session:
        sites = session.execute(select(Accession.origcty, Accession.collsite,
                                       Accession.elevation).where(
            Accession.collsite.is_not(None))).all()
    inland = {"Jodhpur", "Nagpur", "Multan", "Biskra", "Kolda"}
    seen = set()
    for country, text, elevation in sites:
        region = demo_geography.REGIONS[country]
        town = next(t for t in region.towns if text.endswith(t.name))
        low, high = demo_geography.elevation_band(region, town)
        assert low <= elevation <= high, (country, text, elevation)
        if town.name in inland:
            seen.add(town.name)
            assert elevation > 0, (text, elevation)
    assert seen == inland


def test_wild_accessions_come_from_their_taxon_s_native_range(
        sqlite_database: db.Database) -> None:
    """Wild material (SAMPSTAT 100-199) only from countries where its taxon is native: no
    wild Malus sieversii in Senegal, no wild Zea mays outside Mexico."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=3000, lots=False)
    with sqlite_database.session_factory() as session:
        rows = session.execute(select(
            Taxon.genus, Taxon.species, Taxon.subtaxa, Accession.origcty, Accession.sampstat)
            .join(Taxon, Taxon.id == Accession.taxon_id)).all()
    wild = [(g, s, sub or "", country) for g, s, sub, country, sampstat in rows
            if 100 <= sampstat < 200]
    assert len(wild) > 150
    for genus, species, subtaxa, country in wild:
        assert country in NATIVE_COUNTRIES[(genus, species, subtaxa)], (genus, species, country)
    assert {c for g, *_, c in wild if g == "Zea"} <= {"MEX"}
    assert {c for g, *_, c in wild if g == "Malus"} <= {"KAZ", "KGZ", "TJK", "UZB", "CHN"}
    apples = {(sampstat, country) for g, _s, _sub, country, sampstat in rows if g == "Malus"}
    assert apples and all(100 <= s < 200 for s, _ in apples)  # Sievers' apple only wild


def test_the_native_table_names_demo_taxa_and_countries() -> None:
    """Every taxon in the table is a demo taxon, every country one the demo can place."""
    from genebank.demo.demo_data import CROPS
    taxa = {(g, s, sub) for g, s, _a, _c, subs in CROPS for sub in subs}
    assert set(NATIVE_COUNTRIES) <= taxa
    for countries in NATIVE_COUNTRIES.values():
        assert set(countries) <= set(demo_geography.REGIONS)


def test_participant_names_fit_their_country_and_gender(
        sqlite_database: db.Database) -> None:
    """A participant's given and family names come from one pool of their own country, the
    given name of their gender, the family name in that gender's form (Bekov, Bekova)."""
    with sqlite_database.session_factory.begin() as session:
        demo_training.load_training_demo(session, courses=30, people=600, today=TODAY)
    with sqlite_database.session_factory() as session:
        people = session.execute(select(Participant.full_name, Participant.original_name,
                                        Participant.gender, Participant.country)).all()
    assert len(people) == 600
    for full_name, original, gender, country in people:
        fits = [pool for pool in demo_names.POOLS[country] if any(
            full_name == f"{given} {family[gender == 'female'][0]}"
            for given, _ in (pool.women if gender == "female" else pool.men)
            for family in pool.families)]
        assert fits, (full_name, gender, country)
        assert bool(original) == (country in {"KAZ", "KGZ", "UZB", "TJK", "EGY", "MAR",
                                              "JOR", "TUN", "SDN"}), (full_name, original)
    names = {(n, g) for n, _o, g, _c in people}
    assert ("Aida Bekov", "female") not in names
    assert not any(n.startswith("Chinedu") and c == "BGD" for n, _o, _g, c in people)


def test_no_course_lists_one_name_twice_and_certificates_follow_the_last_day(
        sqlite_database: db.Database) -> None:
    """Each roster has distinct names; every certificate is issued after the course's last
    day and not after today."""
    with sqlite_database.session_factory.begin() as session:
        demo_training.load_training_demo(session, courses=120, people=300, today=TODAY)
    with sqlite_database.session_factory() as session:
        rosters = session.execute(select(Enrolment.course_id, Participant.full_name)
                                  .join(Participant)).all()
        issued = session.execute(select(Certificate.issued_on, Course.end_on)
                                 .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
                                 .join(Course, Course.id == Enrolment.course_id)).all()
    twice = [key for key, n in Counter(rosters).items() if n > 1]
    assert twice == []
    assert len(issued) > 100
    assert all(end < on <= TODAY for on, end in issued)


def test_a_few_germination_tests_wait_to_be_counted(database: db.Database) -> None:
    """Tests sown in the last weeks are in progress: seeds sown, no counts, no percentage,
    not the lot's viability, and listed in "Germination tests to count"."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=1200, today=TODAY)
    with database.session_factory() as session:
        waiting = session.scalars(select(GerminationTest).where(
            GerminationTest.status == "in_progress")).all()
        assert 3 <= len(waiting) <= 60, len(waiting)
        for test in waiting:
            assert TODAY - dt.timedelta(days=28) < test.tested_on <= TODAY
            assert test.germination_pct is None and test.counted_on is None
            replicates = session.scalars(select(GerminationReplicate).where(
                GerminationReplicate.test_id == test.id)).all()
            assert replicates and all(r.sown > 0 and r.normal is None for r in replicates)
            lot = session.get(SeedLot, test.lot_id)
            assert lot is not None
            assert lot.last_tested_on is None or lot.last_tested_on < test.tested_on
        counted = session.execute(select(GerminationTest.tested_on, GerminationTest.counted_on)
                                  .where(GerminationTest.status == "complete")).all()
        assert counted and all(s + dt.timedelta(days=7) <= c <= TODAY for s, c in counted)
        to_count = worklists.count(session, worklists.WorkQuery(worklists.TESTS_TO_COUNT, TODAY))
    assert to_count == len(waiting)
