"""An accession's canonical MCPD values as database rows: the accession's own columns and
the rows of its child tables. Shared by saving one accession and importing thousands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from genebank import mcpd
from genebank.mcpd import Kind
from genebank.mcpd.identity import accession_key

TAXON_FIELDS = ("GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR", "CROPNAME")
INSTITUTE_ROLES = ("COLLCODE", "BREDCODE", "DUPLSITE")
CHILD_FIELDS = {"ACCENAME", "OTHERNUMB", "STORAGE", "REMARKS", *INSTITUTE_ROLES}
JOINED_TEXT_FIELDS = {d.code for d in mcpd.DESCRIPTORS if d.kind is Kind.TEXTS} - CHILD_FIELDS
# Fields beyond MCPD v2.1 that an accession keeps in a column of its own, by code: Genesys's
# AVAILABLE (true/false: available for distribution). They travel with the MCPD values
# (the form, an import, an update, the export) under their code.
EXTRA_FIELDS: dict[str, str] = {"AVAILABLE": "available_for_distribution"}
SCALAR_FIELDS = (
    *(d.code for d in mcpd.DESCRIPTORS
      if d.code not in CHILD_FIELDS and d.code not in TAXON_FIELDS),
    *EXTRA_FIELDS,
)


def column_name(code: str) -> str:
    """The accession table's column holding the scalar field ``code``."""
    return EXTRA_FIELDS.get(code) or code.lower()


ACCESSION_COLUMNS = (*(column_name(code) for code in SCALAR_FIELDS), "first_name",
                     "storage_summary", "identity_key")

NAME_COLUMNS = ("accession_id", "position", "name")
OTHER_NUMBER_COLUMNS = ("accession_id", "position", "instcode", "number")
STORAGE_COLUMNS = ("accession_id", "code")
INSTITUTE_COLUMNS = ("accession_id", "role", "position", "code")
REMARK_COLUMNS = ("accession_id", "position", "remark")


def taxon_key(values: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(values.get(f) or "" for f in TAXON_FIELDS)


def accession_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The accession table's own columns (not the taxon) for canonical ``values``."""
    return dict(zip(ACCESSION_COLUMNS, accession_values(values), strict=True))


_SCALAR_COLUMNS = tuple((code, code in JOINED_TEXT_FIELDS) for code in SCALAR_FIELDS)


def accession_values(values: Mapping[str, Any], *, key: str | None = None) -> tuple[Any, ...]:
    """The accession's own columns as a tuple in ACCESSION_COLUMNS order (for bulk writes).
    ``key``: the identity key of these INSTCODE and ACCENUMB, when the caller has it."""
    get = values.get
    names = get("ACCENAME")
    storage = get("STORAGE")
    return (
        *(";".join(get(code)) if joined and get(code) else get(code)
          for code, joined in _SCALAR_COLUMNS),
        names[0] if names else None,
        ";".join(map(str, storage)) if storage else None,
        key if key is not None else accession_key(get("INSTCODE"), get("ACCENUMB")),
    )


def child_rows(values: Mapping[str, Any], accession_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of each child table (by table name) in the *_COLUMNS orders above."""
    return {
        "accession_name": [(accession_id, i, n) for i, n in enumerate(values.get("ACCENAME", []))],
        "accession_other_number": [
            (accession_id, i, item.partition(":")[0], item.partition(":")[2])
            for i, item in enumerate(values.get("OTHERNUMB", []))],
        "accession_storage": [(accession_id, c) for c in values.get("STORAGE", [])],
        "accession_institute": [(accession_id, role, i, code) for role in INSTITUTE_ROLES
                                for i, code in enumerate(values.get(role, []))],
        "accession_remark": [(accession_id, i, r)
                             for i, r in enumerate(values.get("REMARKS", []))],
    }


def stored_values(columns: Mapping[str, Any], taxon: Mapping[str, Any],
                  multi: Mapping[str, list[Any]]) -> dict[str, Any]:
    """Canonical MCPD values (by code) of a stored accession, from its own ``columns`` and
    its ``taxon``'s (by lower-case name) and its child rows' lists (by code). The inverse of
    :func:`accession_values` and :func:`child_rows`: what is read here and written back is
    the same, so comparing these values with a file's finds exactly what would change."""
    values: dict[str, Any] = {}
    for code, name, joined in _STORED_SCALARS:
        value = columns.get(name)  # a field beyond MCPD is absent before its revision
        if value is not None:
            values[code] = value.split(";") if joined and value else value
    for code, name in _STORED_TAXON:
        if taxon[name]:
            values[code] = taxon[name]
    values.update({code: items for code, items in multi.items() if items})
    return values


_STORED_SCALARS = tuple((code, column_name(code), code in JOINED_TEXT_FIELDS)
                        for code in SCALAR_FIELDS)
_STORED_TAXON = tuple((code, code.lower()) for code in TAXON_FIELDS)

# The child table that holds each multi-valued descriptor.
CHILD_TABLE_OF = {"ACCENAME": "accession_name", "OTHERNUMB": "accession_other_number",
                  "STORAGE": "accession_storage", "REMARKS": "accession_remark",
                  **{role: "accession_institute" for role in INSTITUTE_ROLES}}

CHILD_COLUMNS = {
    "accession_name": NAME_COLUMNS,
    "accession_other_number": OTHER_NUMBER_COLUMNS,
    "accession_storage": STORAGE_COLUMNS,
    "accession_institute": INSTITUTE_COLUMNS,
    "accession_remark": REMARK_COLUMNS,
}
