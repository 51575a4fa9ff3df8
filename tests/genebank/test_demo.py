"""Demo collections: plausible, valid MCPD data, and atomic when cancelled."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from genebank import countries, db, mcpd
from genebank.demo import demo
from genebank.models import Accession
from genebank.passport import accessions
from genebank.progress import Cancelled


class CancelAfter:
    def __init__(self, reports: int) -> None:
        self.reports = reports

    def report(self, done: int, total: int, text: str = "") -> None:
        self.reports -= 1

    def cancelled(self) -> bool:
        return self.reports <= 0


def test_demo_accessions_pass_mcpd_validation(database: db.Database) -> None:
    """Every demo accession reads back as a passport without errors."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=120)
    with database.session_factory() as session:
        ids = session.scalars(select(Accession.id)).all()
        assert len(ids) == 120
        for accession_id in ids:
            values = accessions.get_passport(session, accession_id).values
            checked = mcpd.check_passport(values)
            assert checked.errors == [], (values, checked.errors)
            assert countries.lookup(values["ORIGCTY"]) is not None


def test_cancelled_demo_leaves_the_database_unchanged(sqlite_database: db.Database) -> None:
    """Cancelling halfway rolls everything back."""
    with pytest.raises(Cancelled), sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=35_000, progress=CancelAfter(3))
    with sqlite_database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == 0


def test_accessions_can_be_added_after_a_demo(database: db.Database) -> None:
    """Ids written in bulk leave the id sequence ready for the next new accession."""
    from tests.conftest import passport_values

    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=5)
    with database.session_factory.begin() as session:
        saved = accessions.create_accession(session, values=passport_values())
    assert saved.id == 6
