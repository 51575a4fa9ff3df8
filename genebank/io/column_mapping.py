"""Matching spreadsheet columns to MCPD descriptors, as people really head their columns.

MCPD codes match in any case; so do the descriptors' labels and common variants such as
"Accession number", "Genus" or "Country of origin". The header row is found among the first
rows of the sheet: the one that matches most descriptors.
"""

from __future__ import annotations

import re

from genebank import mcpd

# Variants seen in gene bank spreadsheets, written in the normalised form of _key().
VARIANTS: dict[str, str] = {
    "accession": "ACCENUMB", "accession number": "ACCENUMB", "accession no": "ACCENUMB",
    "acc no": "ACCENUMB", "accession id": "ACCENUMB", "accenum": "ACCENUMB",
    "institute code": "INSTCODE", "holding institute": "INSTCODE", "wiews code": "INSTCODE",
    "genus": "GENUS", "species": "SPECIES", "species author": "SPAUTHOR",
    "authority": "SPAUTHOR", "subtaxon": "SUBTAXA", "subspecies": "SUBTAXA",
    "crop": "CROPNAME", "crop name": "CROPNAME", "common name": "CROPNAME",
    "name": "ACCENAME", "accession name": "ACCENAME", "variety": "ACCENAME",
    "cultivar": "ACCENAME", "cultivar name": "ACCENAME", "local name": "ACCENAME",
    "acquisition date": "ACQDATE", "date of acquisition": "ACQDATE",
    "country": "ORIGCTY", "country of origin": "ORIGCTY", "origin": "ORIGCTY",
    "origin country": "ORIGCTY", "collecting site": "COLLSITE", "location": "COLLSITE",
    "locality": "COLLSITE", "site": "COLLSITE", "latitude": "DECLATITUDE",
    "longitude": "DECLONGITUDE", "lat": "DECLATITUDE", "lon": "DECLONGITUDE",
    "long": "DECLONGITUDE", "elevation": "ELEVATION", "altitude": "ELEVATION",
    "altitude m": "ELEVATION", "collecting date": "COLLDATE", "collection date": "COLLDATE",
    "date of collection": "COLLDATE", "collector number": "COLLNUMB",
    "collecting number": "COLLNUMB", "collection number": "COLLNUMB",
    "biological status": "SAMPSTAT", "status": "SAMPSTAT", "sample status": "SAMPSTAT",
    "collecting source": "COLLSRC", "source": "COLLSRC", "pedigree": "ANCEST",
    "ancestry": "ANCEST", "donor": "DONORNAME", "donor institute": "DONORCODE",
    "donor code": "DONORCODE", "donor number": "DONORNUMB", "other numbers": "OTHERNUMB",
    "other identifiers": "OTHERNUMB", "safety duplicate": "DUPLSITE",
    "duplicate site": "DUPLSITE", "storage": "STORAGE", "storage type": "STORAGE",
    "type of storage": "STORAGE", "mls status": "MLSSTAT", "mls": "MLSSTAT",
    "remarks": "REMARKS", "remark": "REMARKS", "notes": "REMARKS", "comments": "REMARKS",
    "puid": "PUID", "doi": "PUID",
}


def _key(header: object) -> str:
    text = re.sub(r"[^0-9a-z]+", " ", str(header or "").lower()).strip()
    return re.sub(r"\s+", " ", text)


_BY_KEY: dict[str, str] = {
    **VARIANTS,
    **{_key(d.label): d.code for d in mcpd.DESCRIPTORS},
    **{d.code.lower(): d.code for d in mcpd.DESCRIPTORS},
}


def match_header(header: object) -> str | None:
    """The MCPD code a column header stands for, or None."""
    key = _key(header)
    if not key:
        return None
    if key in _BY_KEY:
        return _BY_KEY[key]
    compact = key.replace(" ", "")
    return compact.upper() if compact.upper() in mcpd.BY_CODE else None


def suggest_mapping(headers: list[object]) -> dict[int, str]:
    """Column index (0-based) -> MCPD code, each code used once (its first column)."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        code = match_header(header)
        if code and code not in mapping.values():
            mapping[index] = code
    return mapping


def find_header_row(rows: list[list[object]], *, search: int = 20) -> int:
    """Index (in ``rows``) of the row that looks most like a header; 0 if none matches."""
    best, best_score = 0, 0
    for index, row in enumerate(rows[:search]):
        score = len(suggest_mapping(row))
        if score > best_score:
            best, best_score = index, score
    return best
