"""Checking a whole passport record: each field's value, required fields, cross-field rules.

The GUI form, the command line and (later) spreadsheet import all call
:func:`check_passport`, so a value is judged the same way wherever it comes from.
Errors block saving; warnings (reference section 1.6) are shown but never block.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from genebank import countries, problems
from genebank.mcpd import codes, readings, values
from genebank.mcpd.descriptors import BY_CODE, DESCRIPTORS, Kind
from genebank.text import passport_limits

# The record rules' problems: code -> English (the CLI's; the GUI words the code). Params
# hold values: descriptor codes (``field``), the values read, numbers as numbers. ``label``
# is the descriptor's English name, kept beside ``field`` so the GUI can word it from the code.
TEMPLATES = problems.register({
    "value_too_long": "too long: {length:,} characters (at most {limit:,})",
    "descriptor_required": "{label} is required",
    "recommended_empty": "{label} is empty; FAO WIEWS reporting uses it",
    "storage_empty_sdg": "{label} is empty: an accession without a storage type is not "
                         "counted for SDG 2.5.1 (and appears in the worklist of missing FAO "
                         "reporting data)",
    "genus_capitalised": "written as '{genus}' (genus names start with a capital)",
    "species_lower_cased": "written as '{species}' (species names are lower case)",
    "subtaxa_prefix": "should start with subsp., convar., var., f. or Group",
    "name_lower_case": "'{name}': MCPD writes names with a capital first letter",
    "former_country": "{country} ({name}) is a former state (ISO 3166-3), kept by the code "
                      "ISO withdrew; use the successor state's code if it is known",
    "dms_carried": "'{text}' read as {carried} (60 carried), as the decimal coordinate "
                   "{decimal:g} confirms",
    "species_genus_removed": "'{written}' read as '{species}': the genus {genus} is in GENUS",
    "species_other_genus": "'{species}' names the genus {other}, but GENUS is {genus}: "
                           "correct one of them (SPECIES holds the epithet only)",
    "institute_country_unknown": "{institute} does not start with an ISO country code",
    "name_with_code": "fill {name_label} only when {code_label} is empty",
    "other_unexplained": "{other} (other) should be explained in REMARKS as {field}:...",
    "collecting_site_for_bred": "collecting-site data is filled in for bred material "
                                "(SAMPSTAT {sampstat}); it applies only to collected material",
    "coordinates_disagree": "{decimal:g} does not agree with {dms} ({from_dms:.4f}); check both",
    "coordinate_half": "give both latitude and longitude",
    "remark_form": "'{remark}': MCPD writes remarks as FIELD:remark",
})


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field; ``message`` is its English, for the CLI. A problem
    from a value that could not be read also carries the problem's ``code`` and ``params``
    (a :class:`values.InvalidValue`'s), so that the GUI words it in the user's language."""

    field: str
    severity: Severity
    message: str
    code: str | None = None
    params: Mapping[str, object] = field(default_factory=dict, compare=False)


@dataclass(slots=True)
class CheckedPassport:
    """Canonical values by MCPD code (only readable ones) and every problem found;
    ``carried``: DMS values with a 60 in them, to be judged with their decimal twin
    (:func:`settle_carried`)."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    carried: dict[str, values.InvalidValue] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, field: str, severity: Severity, code: str, /, **params: object) -> None:
        """A problem of ``field``: its registered ``code`` and ``params`` (the English is
        the code's template filled)."""
        self.problems.append(Problem(field, severity, coded_english(code, params), code,
                                     params))

    def refuse(self, code: str, problem: values.InvalidValue) -> None:
        """An error for field ``code``: ``problem``'s English, code and params."""
        self.problems.append(Problem(code, Severity.ERROR, str(problem), problem.code,
                                     dict(problem.params)))


# A record is refused only without these: the Genesys identity (INSTCODE + ACCENUMB + GENUS).
# MCPD itself makes nothing mandatory; this overrules the "required" column of reference
# section 1.4 (STORAGE, which SDG 2.5.1 counts, is a warning: see RECOMMENDED).
REQUIRED = ("INSTCODE", "ACCENUMB", "GENUS")
# What FAO reporting (SDG 2.5.1, WIEWS) uses: warned when empty, never refused. An accession
# without STORAGE or SAMPSTAT also appears in the worklist of missing FAO reporting data.
RECOMMENDED = ("SPECIES", "ORIGCTY", "SAMPSTAT", "ACQDATE", "MLSSTAT", "STORAGE")
# The code of the warning each recommended descriptor gives when empty.
EMPTY_CODES = {code: "storage_empty_sdg" if code == "STORAGE" else "recommended_empty"
               for code in RECOMMENDED}
NAME_ONLY_WITHOUT_CODE = {
    "COLLNAME": "COLLCODE",
    "COLLINSTADDRESS": "COLLCODE",
    "BREDNAME": "BREDCODE",
    "DONORNAME": "DONORCODE",
    "DUPLINSTNAME": "DUPLSITE",
}
COLLECTING_SITE_FIELDS = ("COLLSITE", "DECLATITUDE", "LATITUDE", "DECLONGITUDE", "LONGITUDE",
                          "ELEVATION")
SUBTAXA_PREFIXES = ("subsp.", "convar.", "var.", "f.", "Group")


# Free-text descriptors that identify something: a control character in them is refused
# (elsewhere it is removed, and the import says so).
IDENTIFIERS = frozenset({"PUID", "ACCENUMB", "COLLNUMB", "COLLMISSID", "DONORNUMB"})


# Numbers bounded to what is physically possible (MCPD v2.1 gives units, not limits):
# ELEVATION in metres above sea level, negative allowed, from below the lowest dry land (the
# Dead Sea shore, about -430 m) to above the highest (Everest, 8,849 m); COORDUNCERT in
# metres, at most half the Earth's circumference (about 20,038 km: the farthest any point
# can be).
RANGES: dict[str, tuple[int, int, str]] = {
    "ELEVATION": (-500, 9_000, "m"),
    "COORDUNCERT": (0, 20_038_000, "m"),
}


def _bounded(code: str, parse: Callable[[object], Any]) -> Callable[[object, dt.date | None],
                                                                     Any]:
    if code not in RANGES:
        return lambda raw, _today: parse(raw)
    low, high, unit = RANGES[code]
    return lambda raw, _today: values.check_bounds(parse(raw), field=code, minimum=low,
                                                   maximum=high, unit=unit)


def _parser(kind: Kind, code: str) -> Callable[[object, dt.date | None], Any]:
    no_boolean = values.refuse_boolean  # TRUE/FALSE in a text column is refused
    match kind:
        case Kind.TEXT if code == "PUID":
            return lambda raw, _today: values.parse_puid(raw)
        case Kind.TEXT if code == "GENUS":
            return lambda raw, _today: values.parse_genus(no_boolean(raw))
        case Kind.TEXT if code in IDENTIFIERS:
            return lambda raw, _today: values.parse_text(no_boolean(raw), identifier=True)
        case Kind.TEXT:
            return lambda raw, _today: values.parse_text(no_boolean(raw))
        case Kind.TEXTS:
            return lambda raw, _today: values.parse_texts(no_boolean(raw))
        case Kind.CODE if code == "MLSSTAT":
            return lambda raw, _today: values.parse_mlsstat(raw, codes.MLSSTAT)
        case Kind.CODE:
            return lambda raw, _today: values.parse_code(raw, codes.CODE_LISTS[code])
        case Kind.CODES:
            return lambda raw, _today: values.parse_codes(raw, codes.CODE_LISTS[code])
        case Kind.INSTCODE:
            return lambda raw, _today: values.parse_instcode(raw)
        case Kind.INSTCODES:
            return lambda raw, _today: values.parse_instcodes(raw)
        case Kind.DATE:
            return lambda raw, today: values.parse_date(raw, today=today)
        case Kind.COUNTRY:
            return lambda raw, _today: values.parse_country(raw)
        case Kind.LATITUDE_DECIMAL:
            return lambda raw, _today: values.parse_decimal_degrees(raw, axis="lat")
        case Kind.LONGITUDE_DECIMAL:
            return lambda raw, _today: values.parse_decimal_degrees(raw, axis="lon")
        case Kind.LATITUDE_DMS:
            return lambda raw, _today: values.parse_dms(raw, axis="lat")
        case Kind.LONGITUDE_DMS:
            return lambda raw, _today: values.parse_dms(raw, axis="lon")
        case Kind.INTEGER:
            return _bounded(code, values.parse_integer)
        case Kind.NUMBER:
            return _bounded(code, values.parse_number)
        case Kind.OTHERNUMB:
            return lambda raw, _today: values.parse_othernumb(no_boolean(raw))
        case Kind.REMARKS:
            return lambda raw, _today: values.parse_remarks(no_boolean(raw))
    raise AssertionError(kind)


PARSERS: dict[str, Callable[[object, dt.date | None], Any]] = {
    d.code: _parser(d.kind, d.code) for d in DESCRIPTORS
}


coded_english = problems.registered_english


DATE_FIELDS = frozenset(d.code for d in DESCRIPTORS if d.kind is Kind.DATE)


def parse_field(code: str, raw: object, *, today: dt.date | None = None,
                dates: str | None = None) -> Any:
    """The canonical value of one descriptor; raises ``InvalidValue`` for unreadable input.
    ``dates`` is how the source writes 12/03/1998 (``values.DAY_FIRST`` "dmy" or
    ``values.MONTH_FIRST`` "mdy"); without it only an unambiguous one is read."""
    if dates is not None and code in DATE_FIELDS:
        return values.parse_date(raw, today=today, order=dates)
    return PARSERS[code](raw, today)


def check_passport(raw: Mapping[str, object], *, today: dt.date | None = None,
                   dates: str | None = None) -> CheckedPassport:
    """Parse every descriptor present in ``raw`` (keyed by MCPD code) and check the record.
    A value read into another form than typed is said (``readings.note``)."""
    checked = CheckedPassport()
    failed = set()
    limits = passport_limits()
    for code, value in raw.items():
        parser = PARSERS.get(code)
        if parser is None:
            continue
        if isinstance(value, str) and len(value) > limits[code]:
            checked.add(code, Severity.ERROR, "value_too_long", length=len(value),
                        limit=limits[code])
            failed.add(code)
            continue
        try:
            result = parse_field(code, value, today=today, dates=dates)
        except values.InvalidValue as problem:
            if problem.code == "dms_sixty":
                checked.carried[code] = problem
                continue
            checked.refuse(code, problem)
            failed.add(code)
            continue
        if result not in (None, []):
            checked.values[code] = result
            note = readings.note(code, value, result)
            if note:
                checked.add(code, Severity.WARNING, note[0], **note[1])
    checked.problems.extend(settle_carried(checked, failed))
    check_record(checked, failed)
    return checked


_TWINS = {"LATITUDE": "DECLATITUDE", "LONGITUDE": "DECLONGITUDE"}


def settle_carried(checked: CheckedPassport, failed: set[str]) -> list[Problem]:
    """The DMS values with a 60 (``checked.carried``) judged against the decimal coordinate
    of the same record: carried and said (``dms_carried``) when it agrees, else refused
    (``dms_sixty``, added to ``failed``). Returns those problems; ``carried`` is emptied."""
    found = []
    for code, problem in checked.carried.items():
        carried = str(problem.params["carried"])
        decimal = checked.values.get(_TWINS[code])
        from_dms, precision = values.dms_to_decimal(carried)
        if decimal is not None and abs(from_dms - decimal) <= precision + 1e-4:
            checked.values[code] = carried
            params = {"text": problem.params["text"], "carried": carried, "decimal": decimal}
            found.append(Problem(code, Severity.WARNING, coded_english("dms_carried", params),
                                 "dms_carried", params))
        else:
            found.append(Problem(code, Severity.ERROR, str(problem), problem.code,
                                 dict(problem.params)))
            failed.add(code)
    checked.carried.clear()
    return found


def check_record(checked: CheckedPassport, failed: set[str]) -> None:
    """The rules across fields, for values already parsed (``failed``: unreadable fields).

    Split from :func:`check_passport` so that an import can parse each distinct cell value
    once for 100,000 rows and still judge every record by the same rules.
    """
    _check_required(checked, failed)
    _check_taxonomy(checked)
    _check_codes(checked)
    _check_cross_fields(checked)


def _check_required(checked: CheckedPassport, failed: set[str]) -> None:
    v = checked.values
    for code in REQUIRED:
        if code not in v and code not in failed:
            checked.add(code, Severity.ERROR, "descriptor_required", field=code,
                        label=BY_CODE[code].label)
    for code in RECOMMENDED:
        if code not in v and code not in failed:
            checked.add(code, Severity.WARNING, EMPTY_CODES[code], field=code,
                        label=BY_CODE[code].label)


# The record rules' problems that tidy (or refuse and remove) a value in place (the record
# keeps the tidied value, so judging it again says nothing): an import keeps them with the
# cell that was tidied, so an update judged again is still refused.
TIDIED = frozenset({"genus_capitalised", "species_lower_cased", "species_genus_removed",
                    "species_other_genus"})


def _check_taxonomy(checked: CheckedPassport) -> None:
    v = checked.values
    genus = v.get("GENUS")
    hybrid = values.hybrid_sign(genus) if genus else ""
    name = genus[len(hybrid):] if genus else ""
    if name and not (name[:1].isupper() and name[1:] == name[1:].lower()):
        v["GENUS"] = hybrid + name[:1].upper() + name[1:].lower()
        checked.add("GENUS", Severity.WARNING, "genus_capitalised", genus=v["GENUS"])
    species = v.get("SPECIES")
    if species and " " in species:
        first, rest = species.split(None, 1)
        if name and first.casefold() == name.casefold():  # "Triticum aestivum"
            v["SPECIES"] = species = rest
            checked.add("SPECIES", Severity.WARNING, "species_genus_removed",
                        written=f"{first} {rest}", species=rest, genus=v["GENUS"])
        elif genus and first[:1].isupper() and first[1:].islower() and len(first) > 1:
            # Refused, not stored: "Sorghum" + "Zea mays" would keep an epithet MCPD cannot
            # hold, and which genus is right is the person's call.
            checked.add("SPECIES", Severity.ERROR, "species_other_genus", species=species,
                        other=first, genus=v["GENUS"])
            del v["SPECIES"]
            species = None
    if species and species != species.lower():
        v["SPECIES"] = species.lower()
        checked.add("SPECIES", Severity.WARNING, "species_lower_cased", species=v["SPECIES"])
    subtaxa = v.get("SUBTAXA")
    if subtaxa and not subtaxa.startswith(SUBTAXA_PREFIXES):
        checked.add("SUBTAXA", Severity.WARNING, "subtaxa_prefix")
    for name in v.get("ACCENAME", []):
        if name[:1].islower():
            checked.add("ACCENAME", Severity.WARNING, "name_lower_case", name=name)
            break


def _check_codes(checked: CheckedPassport) -> None:
    v = checked.values
    origin = v.get("ORIGCTY")
    if origin and countries.is_former(origin) and not said_stored_as_former(checked.problems):
        checked.add("ORIGCTY", Severity.WARNING, "former_country", country=origin,
                    name=countries.country_name(origin))
    for code in ("INSTCODE", "DONORCODE"):
        _warn_unknown_institute_country(checked, code, [v[code]] if code in v else [])
    for code in ("COLLCODE", "BREDCODE", "DUPLSITE"):
        _warn_unknown_institute_country(checked, code, v.get(code, []))


def said_stored_as_former(found: Iterable[Problem]) -> bool:
    """Whether ORIGCTY's cell was said stored as a former state ('SUHH' stored as SUN,
    ``readings.former_country_stored``), which says all the former-country warning does."""
    return any(p.code == "former_country_stored" for p in found)


@functools.lru_cache(maxsize=4096)
def _known_country_prefix(institute: str) -> bool:
    return countries.lookup(institute[:3]) is not None


def _warn_unknown_institute_country(checked: CheckedPassport, code: str,
                                    institutes: list[str]) -> None:
    for inst in institutes:
        if not _known_country_prefix(inst):
            checked.add(code, Severity.WARNING, "institute_country_unknown", institute=inst)


def _check_cross_fields(checked: CheckedPassport) -> None:
    v = checked.values
    for name_field, code_field in NAME_ONLY_WITHOUT_CODE.items():
        if name_field in v and code_field in v:
            checked.add(name_field, Severity.WARNING, "name_with_code", code_field=code_field,
                        name_label=BY_CODE[name_field].label.lower(),
                        code_label=BY_CODE[code_field].label.lower())
    remark_fields: set[str] | None = None
    for code, other in codes.OTHER_CODES.items():
        value = v.get(code)
        if value is None or not (other in value if isinstance(value, list) else value == other):
            continue
        if remark_fields is None:
            remark_fields = {r.split(":", 1)[0] for r in v.get("REMARKS", [])
                             if values.is_field_remark(r)}
        if code not in remark_fields:
            checked.add(code, Severity.WARNING, "other_unexplained", other=other, field=code)
    sampstat = v.get("SAMPSTAT")
    if sampstat is not None and 400 <= sampstat < 999:
        present = [f for f in COLLECTING_SITE_FIELDS if f in v]
        if present:
            checked.add(present[0], Severity.WARNING, "collecting_site_for_bred",
                        sampstat=sampstat)
    for dms_code, dec_code in (("LATITUDE", "DECLATITUDE"), ("LONGITUDE", "DECLONGITUDE")):
        if dms_code in v and dec_code in v:
            from_dms, precision = values.dms_to_decimal(v[dms_code])
            if abs(from_dms - v[dec_code]) > precision + 1e-4:
                checked.add(dec_code, Severity.WARNING, "coordinates_disagree",
                            decimal=v[dec_code], dms=v[dms_code], from_dms=from_dms)
    if ("LATITUDE" in v and "LONGITUDE" not in v) or ("LONGITUDE" in v and "LATITUDE" not in v):
        checked.add("LATITUDE", Severity.WARNING, "coordinate_half")
    for item in v.get("REMARKS", []):
        if not values.is_field_remark(item):
            checked.add("REMARKS", Severity.WARNING, "remark_form", remark=item[:40])
            break
