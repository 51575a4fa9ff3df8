"""countries of origin in three letters: former states by their withdrawn ISO code

MCPD writes ORIGCTY in three letters. Until 0009 a former state was stored by its ISO 3166-3
four-letter code (SUHH, CSHH, YUCS, CSXX, DDDE), which no other system reads as MCPD. From
0009 a dissolved or merged state is stored by the three-letter code ISO withdrew (SUN, CSK,
YUG, SCG, DDR), and a country that was only renamed (BUMM Burma, ZRCD Zaire, TPTL East
Timor...) by today's code (MMR, COD, TLS): the app reads both old forms the same way
(``genebank.countries``). FQHH stays: its three letters, ATF, are now the French Southern
Territories.

The table is frozen here (ISO 3166-3 as pycountry gives it, and the app's renamed
countries, when 0009 was written): a migration must give the same result whatever later
versions of the app do. Only ``accession.origcty`` ever held a former country (people's and
venues' countries are current ones; an institute's country is its code's first three
letters). The downgrade gives the dissolved states their four letters back; a renamed
country keeps today's code, which 0008 reads as well.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ISO 3166-3 four-letter code -> the code stored from 0009 on.
DISSOLVED = {
    'ANHH': 'ANT', 'BQAQ': 'ATB', 'CSHH': 'CSK', 'CSXX': 'SCG', 'CTKI': 'CTE', 'DDDE': 'DDR',
    'FXFR': 'FXX', 'GEHH': 'GEL', 'JTUM': 'JTN', 'MIUM': 'MID', 'NQAQ': 'ATN', 'NTHH': 'NTZ',
    'PCHH': 'PCI', 'PUUM': 'PUS', 'PZPA': 'PCZ', 'SKIN': 'SKM', 'SUHH': 'SUN', 'VDVN': 'VDR',
    'WKUM': 'WAK', 'YDYE': 'YMD', 'YUCS': 'YUG',
}
RENAMED = {
    'AIDJ': 'DJI', 'BUMM': 'MMR', 'BYAA': 'BLR', 'DYBJ': 'BEN', 'HVBF': 'BFA', 'NHVU': 'VUT',
    'RHZW': 'ZWE', 'TPTL': 'TLS', 'ZRCD': 'COD',
}

_UPDATE = sa.text("UPDATE accession SET origcty = :new WHERE origcty = :old")


def upgrade() -> None:
    connection = op.get_bind()
    for old, new in {**DISSOLVED, **RENAMED}.items():
        connection.execute(_UPDATE, {"old": old, "new": new})


def downgrade() -> None:
    connection = op.get_bind()
    for four, three in DISSOLVED.items():
        connection.execute(_UPDATE, {"old": three, "new": four})
