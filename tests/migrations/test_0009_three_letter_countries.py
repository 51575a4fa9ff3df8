"""Migration 0009: countries of origin in three letters, former states by their withdrawn
ISO code."""

from __future__ import annotations

from sqlalchemy import Engine, text

from genebank import db
from tests.migrations.older_rows import insert_accession, insert_institutes_and_taxon

# ORIGCTY as stored before 0009 (four-letter former countries), and after it.
ORIGINS_0008 = ("SUHH", "CSHH", "YUCS", "CSXX", "DDDE", "BUMM", "ZRCD", "TPTL", "FQHH", "KAZ",
                None)
ORIGINS_0009 = ("SUN", "CSK", "YUG", "SCG", "DDR", "MMR", "COD", "TLS", "FQHH", "KAZ", None)


def test_0009_stores_former_countries_in_three_letters(empty_engine: Engine) -> None:
    """Upgrading 0008: a dissolved state's ISO 3166-3 code becomes the three letters ISO
    withdrew (SUHH -> SUN), a renamed country's becomes today's (BUMM -> MMR), FQHH (whose
    ATF is now another country) and current codes stay; the downgrade gives the dissolved
    states their four letters back."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        insert_institutes_and_taxon(connection)
        for number, origin in enumerate(ORIGINS_0008, 1):
            insert_accession(connection, number, "KAZ001", f"KZ-{number}")
            connection.execute(text("UPDATE accession SET origcty = :o WHERE id = :i"),
                               {"o": origin, "i": number})

    def origins() -> tuple[str | None, ...]:
        with empty_engine.connect() as connection:
            return tuple(connection.scalars(text("SELECT origcty FROM accession ORDER BY id")))

    db.upgrade(empty_engine)
    assert origins() == ORIGINS_0009
    db.downgrade(empty_engine, "0008")
    assert origins() == (*ORIGINS_0008[:5], "MMR", "COD", "TLS", *ORIGINS_0008[8:])
