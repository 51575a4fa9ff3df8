"""The demo looks like a real gene bank: every kind of record (regenerations too), a
backlog of months to a few years, and collecting sites where their country is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from genebank import db
from genebank.conservation.conservation_rules import add_months
from genebank.demo import demo, demo_data, demo_geography
from genebank.models import Accession, LotTransaction, Regeneration, SeedLot

TODAY = dt.date(2026, 11, 23)
MAX_OVERDUE_YEARS = 4


def test_the_demo_holds_regenerations_of_every_status(database: db.Database) -> None:
    """Planned, in the field, failed (with a reason) and harvested into a linked new lot
    whose seeds came from the sowing; dates in order, none in the future but plans."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=300, today=TODAY)
    with database.session_factory() as session:
        events = session.scalars(select(Regeneration)).all()
        assert {e.status for e in events} == {"planned", "in_field", "harvested", "failed"}
        for event in events:
            source = session.get(SeedLot, event.source_lot_id)
            assert source is not None and source.accession_id == event.accession_id
            if event.status == "planned":
                assert event.planned_on > TODAY and event.sown_on is None
                continue
            assert source.stored_on < event.planned_on <= event.sown_on <= TODAY
            sown = session.scalar(select(func.sum(LotTransaction.seeds)).where(
                LotTransaction.lot_id == source.id, LotTransaction.kind == "regeneration",
                LotTransaction.occurred_on == event.sown_on))
            assert sown is None or sown < 0
            if event.status == "failed":
                assert event.notes and event.harvested_lot_id is None
            elif event.status == "in_field":
                assert event.harvested_on is None and event.plants
            else:
                harvest = session.get(SeedLot, event.harvested_lot_id)
                assert harvest is not None and harvest.parent_lot_id == source.id
                assert harvest.accession_id == event.accession_id
                assert event.sown_on < event.harvested_on == harvest.stored_on <= TODAY


def test_the_backlog_is_months_to_a_few_years(database: db.Database) -> None:
    """Some lots are due or overdue, none by more than a few years (not since 1986)."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=600, today=TODAY)
    with database.session_factory() as session:
        dues = session.scalars(select(SeedLot.next_test_due).where(
            SeedLot.status == "active", SeedLot.next_test_due.is_not(None))).all()
    overdue = [TODAY - due for due in dues if due <= TODAY]
    oldest_allowed = add_months(TODAY, -12 * MAX_OVERDUE_YEARS)
    assert min(dues) >= oldest_allowed, min(dues)
    assert 0.03 <= len(overdue) / len(dues) <= 0.25, (len(overdue), len(dues))
    assert any(late > dt.timedelta(days=365) for late in overdue)  # a few years, at most
    assert any(late < dt.timedelta(days=120) for late in overdue)  # mostly months


def test_every_collecting_site_lies_in_its_country(database: db.Database) -> None:
    """Coordinates inside ORIGCTY's box, elevation in its range, near one of its towns."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=800, lots=False)
    with database.session_factory() as session:
        sites = session.execute(select(
            Accession.origcty, Accession.declatitude, Accession.declongitude,
            Accession.elevation, Accession.collsite).where(
                Accession.declatitude.is_not(None))).all()
    assert len(sites) > 300
    for country, latitude, longitude, elevation, text in sites:
        region = demo_geography.REGIONS[country]
        assert region.contains(latitude, longitude), (country, latitude, longitude, text)
        assert region.lowest <= elevation <= region.highest, (country, elevation)
        assert any(text.endswith(town.name) for town in region.towns), (country, text)
    senegal = [s for s in sites if s[0] == "SEN"]
    assert senegal and all(12.3 <= s[1] <= 16.7 and -17.6 <= s[2] <= -11.3 for s in senegal)


def test_the_country_table_covers_the_demo_and_agrees_with_itself() -> None:
    """Every demo country has a box, and each of its towns lies in it, within its heights."""
    assert set(demo_data.COUNTRIES) <= set(demo_geography.REGIONS)
    for code, region in demo_geography.REGIONS.items():
        assert -90 <= region.south < region.north <= 90, code
        assert -180 <= region.west < region.east <= 180, code
        assert region.lowest < region.highest, code
        for town in region.towns:
            assert region.contains(town.latitude, town.longitude), (code, town)
            assert region.lowest <= town.elevation <= region.highest, (code, town)
