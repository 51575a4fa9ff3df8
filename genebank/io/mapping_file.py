"""Saved column mappings as a JSON file, to carry them to another database or keep them
with the sheets they read. The file is UTF-8 JSON::

    {"format": "genebank-import-mappings", "version": 1,
     "mappings": [{"name": "Genesys download", "kind": "passport",
                   "columns": {"instCode": "INSTCODE", "acceNumb": "ACCENUMB",
                               "Notes": null},
                   "dates": "dmy"}]}

``columns`` maps a heading to a field of that kind, or to null for a column that is not
imported. ``dates`` (optional; passport data) is the date order chosen with the mapping
for a date such as 12/03/1998: "dmy" (day first) or "mdy" (month first); without it the
dates are read only when clear. Reading checks everything before anything is used: a file
that is not such JSON, an unknown kind or field, an unknown date order, or a field given
twice in one mapping is refused by its code, naming the file and the mapping.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genebank import problems
from genebank.io import import_kinds
from genebank.io.files import CheckFailed, write_whole
from genebank.problems import Coded

FORMAT, VERSION = "genebank-import-mappings", 1
MAX_FILE_BYTES = 4 * 1024 * 1024  # thousands of mappings; more is no mapping file

problems.register({
    "mapping_file_unreadable": "'{file}' cannot be read: {detail}",
    "mapping_file_too_large": "'{file}' is larger than a file of saved mappings can be "
                              "({limit:,} bytes)",
    "mapping_file_not_json": "'{file}' is not a file of saved mappings (not UTF-8 JSON: "
                             "{detail})",
    "mapping_file_shape": "'{file}' is not a file of saved mappings as Genebank writes "
                          "them: {detail}",
    "mapping_file_entry": "'{file}', mapping '{name}': {reason}",
    "mapping_file_wrong_kind": "'{file}' holds no mapping for the {kind:word} import (it "
                               "holds mappings for: {kinds})",
    "mapping_file_several": "'{file}' holds {count} mappings for the {kind:word} import "
                            "({names}); export the one you mean to a file of its own",
    "mapping_file_written_differs": "the mappings read back from the written file differ "
                                    "from those written",
})


class MappingFileRefused(Coded):
    """A file of saved mappings that cannot be used; nothing was taken from it."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=params)


@dataclass(frozen=True, slots=True)
class MappingData:
    """One mapping as a file holds it: heading -> field code, or None (not imported)."""

    name: str
    kind: str
    columns: dict[str, str | None] = field(default_factory=dict)
    dates: str | None = None  # the date order chosen with the mapping: "dmy", "mdy" or None


DATE_ORDERS = ("dmy", "mdy")  # day first, month first (genebank.imports.ImportOptions.dates)


def _as_entry(mapping: MappingData) -> dict[str, object]:
    entry: dict[str, object] = {"name": mapping.name, "kind": mapping.kind,
                                "columns": mapping.columns}
    if mapping.dates is not None:
        entry["dates"] = mapping.dates
    return entry


def as_json(mappings: Sequence[MappingData]) -> str:
    """The file's text (stable: keys in the order saved, non-ASCII kept readable)."""
    return json.dumps({"format": FORMAT, "version": VERSION,
                       "mappings": [_as_entry(m) for m in mappings]},
                      ensure_ascii=False, indent=2) + "\n"


def write_mappings(path: Path, mappings: Sequence[MappingData], *,
                   replace: bool = True) -> Path:
    """Write ``mappings`` to ``path`` whole (:func:`genebank.io.files.write_whole`), checked
    by reading it back."""
    text = as_json(mappings)

    def check(partial: Path) -> None:
        if read_mappings(partial) != list(mappings):
            raise CheckFailed("mapping_file_written_differs")

    return write_whole(Path(path), lambda partial: partial.write_text(text, encoding="utf-8"),
                       check=check, overwrite=replace)


def read_mappings(path: Path) -> list[MappingData]:
    """Every mapping ``path`` holds, each checked (kind, fields, names and headings)."""
    path = Path(path)
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MappingFileRefused("mapping_file_too_large", file=name, limit=MAX_FILE_BYTES)
        data = path.read_bytes()
    except OSError as error:
        raise MappingFileRefused("mapping_file_unreadable", file=name,
                                 detail=error.strerror or str(error)) from None
    try:
        document = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_once_each)
    except UnicodeDecodeError as error:
        raise MappingFileRefused("mapping_file_not_json", file=name,
                                 detail=f"byte {error.start + 1} is not UTF-8") from None
    except (ValueError, RecursionError) as error:
        raise MappingFileRefused("mapping_file_not_json", file=name,
                                 detail=str(error).split("\n")[0][:200]) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise MappingFileRefused("mapping_file_shape", file=name,
                                 detail=f"it does not say \"format\": \"{FORMAT}\"")
    if document.get("version") != VERSION:
        raise MappingFileRefused("mapping_file_shape", file=name,
                                 detail=f"version {document.get('version')!r} is not "
                                        f"{VERSION} (written by another Genebank?)")
    entries = document.get("mappings")
    if not isinstance(entries, list):
        raise MappingFileRefused("mapping_file_shape", file=name,
                                 detail="it has no list of \"mappings\"")
    read = [_entry(name, number, entry) for number, entry in enumerate(entries, start=1)]
    seen: set[tuple[str, str]] = set()
    for mapping in read:
        key = (mapping.kind, mapping.name.casefold())
        if key in seen:
            raise MappingFileRefused("mapping_file_shape", file=name,
                                     detail=f"two mappings for the {mapping.kind} import "
                                            f"are named '{mapping.name}'")
        seen.add(key)
    return read


def _once_each(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are each given once (json keeps the last of a key given
    twice, which would drop a heading's first field without a word)."""
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"\"{key}\" is given twice in one object")
        result[key] = value
    return result


def _entry(file: str, number: int, entry: object) -> MappingData:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
            or not entry["name"].strip():
        raise MappingFileRefused("mapping_file_shape", file=file,
                                 detail=f"mapping {number} has no name")
    name = entry["name"].strip()
    columns = entry.get("columns")
    if not isinstance(entry.get("kind"), str) or not isinstance(columns, dict) \
            or not all(isinstance(v, str | None) for v in columns.values()):
        raise MappingFileRefused("mapping_file_shape", file=file,
                                 detail=f"mapping '{name}' needs a \"kind\" and \"columns\" "
                                        "(heading: field, or null)")
    dates = entry.get("dates")
    if dates is not None and dates not in DATE_ORDERS:
        raise MappingFileRefused("mapping_file_shape", file=file,
                                 detail=f"mapping '{name}' has \"dates\": {dates!r}, not "
                                        "\"dmy\" (day first) or \"mdy\" (month first)")
    try:
        kind = import_kinds.checked_kind(entry["kind"])
        checked: dict[str, str | None] = {}
        for heading, typed in columns.items():
            field_code = import_kinds.field_code(kind, typed) if typed else None
            if field_code is not None and field_code in checked.values():
                first = next(h for h, f in checked.items() if f == field_code)
                raise import_kinds.MappingRefused("mapping_field_twice", field=field_code,
                                                  first=first, second=heading)
            if not heading.strip():
                raise MappingFileRefused("mapping_file_shape", file=file,
                                         detail=f"mapping '{name}' has an empty heading")
            checked[heading.strip()] = field_code
    except import_kinds.MappingRefused as error:
        raise MappingFileRefused("mapping_file_entry", file=file, name=name,
                                 **problems.because(error)) from None
    return MappingData(name, kind, checked, dates)


def one_for(mappings: Sequence[MappingData], kinds: Sequence[str], file: str) -> MappingData:
    """The one mapping of ``mappings`` (read from ``file``) for one of ``kinds``; refused
    when there is none or more than one."""
    fitting = [m for m in mappings if m.kind in kinds]
    if not fitting:
        raise MappingFileRefused("mapping_file_wrong_kind", file=file, kind=kinds[0],
                                 kinds=", ".join(sorted({m.kind for m in mappings}))
                                 or "none")
    if len(fitting) > 1:
        raise MappingFileRefused("mapping_file_several", file=file, kind=kinds[0],
                                 count=len(fitting),
                                 names=", ".join(f"'{m.name}'" for m in fitting))
    return fitting[0]


def columns_text(columns: Mapping[str, str | None]) -> str:
    """A mapping in one line, as the command line lists it."""
    return "; ".join(f"{h} = {f or '(not imported)'}" for h, f in columns.items())
