"""A full scientific name, as Genesys writes it in ``fullTaxa``, split into MCPD's parts.

Genesys downloads may carry the taxon as one text ("Triticum aestivum L. subsp. aestivum",
"Hordeum vulgare subsp. spontaneum (K. Koch) Thell.") instead of GENUS, SPECIES, SPAUTHOR,
SUBTAXA and SUBTAUTHOR. A name is split by its shape: the genus (capitalised, or with a
hybrid sign), the specific epithet (lower case, or ``sp.``/``spp.``), the species' authors
up to the first rank (``subsp.``, ``var.``, ``convar.``, ``f.``...), the rank and its
epithet, and the authors after them. Nothing is dropped: a name of another shape is still
split (what cannot be placed goes to SUBTAXA, which MCPD allows for "any additional
taxonomic identifier") but marked ``certain=False``, so the import says which rows to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Ranks below the species as gene banks write them (MCPD lists subsp., convar., var., f.).
RANKS = frozenset({"subsp.", "ssp.", "convar.", "var.", "subvar.", "f.", "subf.", "forma",
                   "nothosubsp.", "nothovar.", "cv."})
HYBRID_SIGNS = ("×", "x")
_GENUS = re.compile(r"^×?[A-Z][a-zà-ÿ-]+$")
_EPITHET = re.compile(r"^[a-zà-ÿ][a-zà-ÿ-]*$")
_INDEFINITE = ("sp.", "spp.")


@dataclass(frozen=True, slots=True)
class TaxonParts:
    """The MCPD parts of one name (None where the name has none); ``certain`` is False
    when the name had a shape the split could only guess at."""

    genus: str | None
    species: str | None = None
    spauthor: str | None = None
    subtaxa: str | None = None
    subtauthor: str | None = None
    certain: bool = True

    def by_code(self) -> dict[str, str]:
        """The parts that are there, by MCPD code, in MCPD order."""
        parts = {"GENUS": self.genus, "SPECIES": self.species, "SPAUTHOR": self.spauthor,
                 "SUBTAXA": self.subtaxa, "SUBTAUTHOR": self.subtauthor}
        return {code: value for code, value in parts.items() if value}


def split_full_taxa(text: str) -> TaxonParts | None:
    """``text`` split into its parts; None for a blank text."""
    tokens = text.split()
    if not tokens:
        return None
    certain = True
    at = 1
    genus = tokens[0]
    if genus in HYBRID_SIGNS and len(tokens) > 1:  # "× Triticosecale"
        genus, at = f"{genus} {tokens[1]}", 2
        certain = bool(_GENUS.match(tokens[1]))
    elif not _GENUS.match(genus):
        certain = False
    species = None
    if at < len(tokens) and (_EPITHET.match(tokens[at]) or tokens[at] in _INDEFINITE):
        if tokens[at] in HYBRID_SIGNS:  # "Mentha x piperita": a hybrid's epithet
            species, at, certain = " ".join(tokens[at:at + 2]), at + 2, False
        else:
            species, at = tokens[at], at + 1
    authors, at = _until_rank(tokens, at)
    if species is None and authors:  # no epithet: the rest is not a species' author
        return TaxonParts(genus, subtaxa=" ".join(tokens[at - len(authors):]),
                          certain=False)
    if at == len(tokens):
        return TaxonParts(genus, species, _joined(authors), certain=certain)
    subtaxa: list[str] = []
    subtauthor: list[str] = []
    while at < len(tokens):
        if subtauthor:  # an author between two ranks: kept in SUBTAXA, said as uncertain
            subtaxa += subtauthor
            certain = False
        rank = tokens[at]
        epithet = tokens[at + 1] if at + 1 < len(tokens) else None
        if epithet is None or not _EPITHET.match(epithet):
            certain = False
        subtaxa += [rank, *([epithet] if epithet else [])]
        subtauthor, at = _until_rank(tokens, at + 2)
    return TaxonParts(genus, species, _joined(authors), " ".join(subtaxa),
                      _joined(subtauthor), certain)


def _until_rank(tokens: list[str], at: int) -> tuple[list[str], int]:
    """The tokens from ``at`` up to the next rank (or the end), and where that is."""
    end = at
    while end < len(tokens) and tokens[end] not in RANKS:
        end += 1
    return tokens[at:end], end


def _joined(tokens: list[str]) -> str | None:
    return " ".join(tokens) or None
