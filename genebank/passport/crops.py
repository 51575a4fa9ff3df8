"""The crop names already written in the collection, for the crop picker to suggest.

CROPNAME (MCPD 10) is free text; suggesting the names already used keeps "barley" from
becoming "Barley", "barley " and "bareley" in one collection, without forbidding a new name.
The crop rules are kept by genus, not by crop name, so they add no names here. Only names
some accession uses now are suggested: a taxon row outlives the last accession that used it
(a corrected "bareley", removed demo records), and its name must not come back as a choice.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from genebank.models import Accession, Taxon
from genebank.services import text_match
from genebank.users.actor import everyone


@everyone
def crop_names(session: Session, *, text: str = "", limit: int = 50) -> list[str]:
    """Crop names some accession uses that contain ``text`` (any case), those beginning
    with it first."""
    used = exists().where(Accession.taxon_id == Taxon.id)
    query = select(Taxon.cropname).distinct().where(Taxon.cropname != "", used)
    typed = text.strip()
    if typed:
        query = query.where(text_match.contains(session, Taxon.cropname, typed))
    names = sorted(session.scalars(query), key=str.casefold)
    lowered = typed.casefold()
    names.sort(key=lambda name: not name.casefold().startswith(lowered))
    return names[:limit]
