"""Reading MCPD's coded values: code numbers from a list, MLSSTAT, institute codes,
countries, and OTHERNUMB's ``INSTCODE:ID`` items.

A code is read from what people and templates write ('300', 300.0, '300 Traditional
cultivar/landrace'); a value that cannot be read raises :class:`InvalidValue`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from genebank import country_search, problems
from genebank.mcpd.invalid_value import InvalidValue
from genebank.mcpd.text_values import is_empty, parse_text, parse_texts

problems.register({
    "not_a_code": "is not a code",
    "not_a_whole_code": "{value} is not a whole-number code",
    "not_a_code_number": "'{text}' is not a code number",
    "code_not_valid": "{number} is not a valid code (valid: {valid})",
    "instcode_invalid": "'{text}' is not a WIEWS institute code (three letters and a number, "
                        "e.g. KAZ001)",
    "mlsstat_unreadable": "'{text}' is not an MLS status: write 1 (included), 0 (not "
                          "included), 99 (other), Y/N, yes/no or true/false",
    "country_code_invalid": "'{text}' is not an ISO 3166 country code (e.g. KAZ, TUR, SEN)",
    "othernumb_no_identifier": "'{item}' has no identifier after the ':'",
    "othernumb_bad_institute": "'{item}': '{prefix}' is not a WIEWS institute code (write "
                               "INSTCODE:ID)",
})

_CODE_SPLIT = re.compile(r"[\s;,]+")
INSTCODE_RE = re.compile(r"^[A-Z]{3}\d{3,4}$")

# MLSSTAT as Genesys writes it (mlsStat true/false), and as people do: yes/no, Y/N (EURISCO
# and the Spanish national gene bank's files), in French and Russian too. Casefolded.
MLS_WORDS = {"true": 1, "yes": 1, "y": 1, "oui": 1, "да": 1,
             "false": 0, "no": 0, "n": 0, "non": 0, "нет": 0}


def parse_mlsstat(raw: object, codes: Mapping[int, str]) -> int | None:
    """MLSSTAT: a code (1, 0, 99), or true/false, yes/no and Y/N as Genesys and people
    write it (:data:`MLS_WORDS`, a boolean cell too): true is 1 "included", false 0."""
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, str):
        word = MLS_WORDS.get(raw.strip().casefold())
        if word is not None:
            return word
    try:
        return parse_code(raw, codes)
    except InvalidValue as problem:
        if problem.code == "code_not_valid":
            raise
        raise InvalidValue(code="mlsstat_unreadable",
                           params={"text": str(raw).strip()}) from None

_WHOLE_WITH_ZEROS = re.compile(r"^\s*(\d+)\.0+\s*$")


def _leading_integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise InvalidValue(code="not_a_code")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise InvalidValue(code="not_a_whole_code", params={"value": raw})
    # "300", "300 Traditional cultivar/landrace", "300 - ...": the code, then words; "300.0"
    # as a program writes a whole number; never "1.5" or "1,5" read as code 1
    whole = _WHOLE_WITH_ZEROS.match(str(raw))
    if whole:
        return int(whole.group(1))
    match = re.match(r"^\s*(\d+)(?:\s*(?:[-–:.]|\s)\s*(?:[^\d\s].*)?)?$", str(raw))
    if not match:
        raise InvalidValue(code="not_a_code_number", params={"text": str(raw).strip()})
    return int(match.group(1))


def parse_code(raw: object, codes: Mapping[int, str]) -> int | None:
    """One code from ``codes``; accepts '300', 300, 300.0 and '300 - Traditional cultivar'."""
    if is_empty(raw):
        return None
    code = _leading_integer(raw)
    if code not in codes:
        raise InvalidValue(code="code_not_valid",
                           params={"number": code, "valid": _list_codes(codes)})
    return code


def parse_codes(raw: object, codes: Mapping[int, str]) -> list[int]:
    """Several codes separated by ';', ',' or spaces; returned sorted without repeats."""
    if is_empty(raw):
        return []
    if isinstance(raw, int | float):
        items: Iterable[object] = [raw]
    elif isinstance(raw, list | tuple | set):
        items = raw
    else:
        items = []
        for part in _LIST_SPLIT.split(str(raw)):  # "10 Seed collection;20 Field collection"
            items += [part] if _CODE_WITH_WORDS.match(part) else _CODE_SPLIT.split(part)
        items = [item for item in items if str(item).strip()]
    return sorted({parse_code(item, codes) for item in items} - {None})  # type: ignore[arg-type]


_LIST_SPLIT = re.compile(r"[;,]")
_CODE_WITH_WORDS = re.compile(r"^\s*\d+\s*(?:[-–:.]\s*)?[^\d\s;,][^;,]*$")


def _list_codes(codes: Mapping[int, str]) -> str:
    return ", ".join(str(c) for c in codes)


def parse_instcode(raw: object) -> str | None:
    """A FAO WIEWS institute code: ISO alpha-3 country code and a number, e.g. KAZ001."""
    text = parse_text(raw)
    if text is None:
        return None
    code = text.upper().replace(" ", "")
    if not INSTCODE_RE.match(code):
        raise InvalidValue(code="instcode_invalid", params={"text": text})
    return code


def parse_instcodes(raw: object) -> list[str]:
    if is_empty(raw):
        return []
    items = raw if isinstance(raw, list | tuple) else _CODE_SPLIT.split(str(raw))
    result: list[str] = []
    for item in items:
        code = parse_instcode(item)
        if code and code not in result:
            result.append(code)
    return result


def parse_country(raw: object) -> str | None:
    """An ISO 3166-1 alpha-3 code (or ISO 3166-3 for former countries).

    Also understands alpha-2 codes and country names, current, common and former ones
    (Turkey, Türkiye, Ivory Coast), which spreadsheets often hold. A name that could be
    two countries ("Congo") is refused with both, never taken for one of them.
    """
    text = parse_text(raw)
    if text is None:
        return None
    resolution = country_search.resolve(text, country_search.Scope.ORIGIN)
    if resolution.country is not None:
        return resolution.country.code
    if resolution.matches:
        ambiguous = country_search.ambiguous(text, resolution.matches)
        raise InvalidValue(code="country_ambiguous", params=ambiguous.params)
    raise InvalidValue(code="country_code_invalid", params={"text": text})

def parse_othernumb(raw: object) -> list[str]:
    """Other identifiers as ``INSTCODE:ID`` items; an ID with no institute becomes ``:ID``."""
    result = []
    for item in parse_texts(raw):
        prefix, sep, number = item.partition(":")
        if not sep:
            prefix, number = "", item
        number = number.strip()
        if not number:
            raise InvalidValue(code="othernumb_no_identifier", params={"item": item})
        prefix = prefix.strip()
        if prefix:
            try:
                prefix = parse_instcode(prefix) or ""
            except InvalidValue:
                raise InvalidValue(code="othernumb_bad_institute",
                                   params={"item": item, "prefix": prefix}) from None
        result.append(f"{prefix}:{number}")
    return result
