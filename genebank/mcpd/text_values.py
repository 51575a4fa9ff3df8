"""Reading MCPD's text values: one line or several, a DOI, a genus name, remarks.

A text is NFC-normalised and trimmed; an invisible control character is refused in an
identifier and removed elsewhere (``genebank.text``); a spreadsheet's true/false is never
taken for text. A value that cannot be read raises :class:`InvalidValue`.
"""

from __future__ import annotations

import functools
import re

from genebank import problems
from genebank.mcpd.invalid_value import InvalidValue
from genebank.text import TextKind, clean_text

problems.register({
    "value_control_character": "contains an invisible control character ({character}); "
                               "retype the value",
    "boolean_in_text": "'{text}' is a spreadsheet's true/false value, not text (a formula or "
                       "a format may have made it): write the value itself",
    "genus_character": "'{text}' is not a genus name: '{character}' ({unicode}) cannot be "
                       "in one (a genus is one word of Latin letters, perhaps with a hyphen, "
                       "or a hybrid genus written with ×, e.g. ×Triticosecale)",
})

_MULTI_SPLIT = re.compile(r"\s*[;\n\r]\s*")
_REMARK_ITEM_RE = re.compile(r"^[A-Z][A-Z0-9]*:.+$")


def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def parse_text(raw: object, *, identifier: bool = False) -> str | None:
    """One line of text, NFC-normalised, its spaces trimmed (and line breaks collapsed).
    Invisible control characters (``genebank.text``) are refused in an ``identifier`` and
    removed elsewhere: the import says so, as for any tidying of a value."""
    if type(raw) is str:  # the common case first: an import parses millions of cells
        if raw.isascii() and raw.isprintable():
            text = raw.strip()
            return text or None
        cleaned = clean_text(raw, field="", kind=TextKind.IDENTIFIER if identifier
                             else TextKind.LINE)
        if cleaned.errors:
            character = cleaned.errors[0].params["character"]
            raise InvalidValue(code="value_control_character",
                               params={"character": character})
        text = " ".join(cleaned.text.split()) if "\n" in cleaned.text else \
            cleaned.text.strip()
        return text or None
    if is_empty(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return parse_text(str(raw), identifier=identifier)


def parse_texts(raw: object) -> list[str]:
    """Several values separated by ';' (or given one per line, or as a list)."""
    if type(raw) is str and ";" not in raw and "\n" not in raw and "\r" not in raw:
        text = parse_text(raw)
        return [text] if text else []
    if is_empty(raw):
        return []
    if not isinstance(raw, str | list | tuple):
        raw = parse_text(raw) or ""  # a number cell: 12345.0 is read as 12345
    items = raw if isinstance(raw, list | tuple) else _MULTI_SPLIT.split(raw)
    result = []
    for item in items:
        text = parse_text(item)
        if text:
            result.append(text)
    return result


# How spreadsheets show a boolean cell as text (Excel and LibreOffice in English, French,
# Russian, Spanish), and Python's: in a text column, never a value anyone meant.
BOOLEAN_TEXTS = frozenset({"TRUE", "FALSE", "True", "False", "true", "false", "VRAI", "FAUX",
                            "ИСТИНА", "ЛОЖЬ", "VERDADERO", "FALSO"})


def refuse_boolean(raw: object) -> object:
    """``raw`` unless it is a true/false value (a boolean cell, or its text TRUE, VRAI,
    ИСТИНА...): in a text column that is a formula's or a format's doing, refused
    (``boolean_in_text``) rather than stored as the word."""
    if isinstance(raw, bool):
        raise InvalidValue(code="boolean_in_text", params={"text": str(raw).upper()})
    if isinstance(raw, str) and raw.strip() in BOOLEAN_TEXTS:
        raise InvalidValue(code="boolean_in_text", params={"text": raw.strip()})
    return raw


# A DOI as Genesys and GLIS give it: bare (10.18730/5N2PQ), as a link or with "doi:".
_DOI_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$",
                     re.IGNORECASE)


def parse_puid(raw: object) -> str | None:
    """PUID: a DOI is stored bare (``10.18730/5N2PQ``), however it was written
    (``https://doi.org/10.18730/5N2PQ``, ``doi:10.18730/5N2PQ``); any other identifier
    (``NOR017:NGB17773:ALLIUM``, a URL) as it is."""
    text = parse_text(refuse_boolean(raw), identifier=True)
    if text is None:
        return None
    match = _DOI_RE.match(text)
    return match.group(1) if match else text

# A genus is one word of Latin letters (a diaeresis is allowed by the botanical code, so any
# Latin letter is), perhaps hyphenated; a hybrid genus has the sign × (or a lone "x", as the
# code allows where × cannot be typed) before it, with or without a space.
_GENUS_RE = re.compile(r"^(?:× ?|x )?([^\W\d_]+(?:-[^\W\d_]+)*)$")
_HYBRID_SIGN = re.compile(r"^(?:× ?|x )")


def hybrid_sign(genus: str) -> str:
    """The hybrid sign a genus name starts with ("×", "× " or "x "), else ""."""
    match = _HYBRID_SIGN.match(genus)
    return match.group(0) if match else ""


def parse_genus(raw: object) -> str | None:
    """A genus name: :func:`parse_text` (controls removed, with a warning), then refused
    when it holds a character no genus name can (a digit, a bracket, a space between two
    words...): ``genus_character``."""
    text = parse_text(raw)
    if text is None:
        return None
    match = _GENUS_RE.match(text)
    if match and all(char.isascii() or _is_latin(char) for char in match.group(1)):
        return text
    for position, char in enumerate(text):
        if not (char.isalpha() and (char.isascii() or _is_latin(char))) and not (
                char == "-" and 0 < position < len(text) - 1) and not (
                char == "×" and position == 0) and not (
                char == " " and text[:position] in ("×", "x")):
            break
    else:  # every character may be in one, but not in this order: two hyphens together
        char = "--"
    raise InvalidValue(code="genus_character", params={
        "text": text, "character": char, "unicode": " ".join(f"U+{ord(c):04X}" for c in char)})


def _is_latin(char: str) -> bool:
    import unicodedata

    return unicodedata.name(char, "").startswith("LATIN ")


def parse_remarks(raw: object) -> list[str]:
    """Remarks; ``FIELD:remark`` items keep their field name in upper case."""
    result = []
    for item in parse_texts(raw):
        field, sep, text = item.partition(":")
        if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", field.strip()) and text.strip():
            item = f"{field.strip().upper()}:{text.strip()}"
        result.append(item)
    return result


@functools.lru_cache(maxsize=65536)
def is_field_remark(item: str) -> bool:
    return bool(_REMARK_ITEM_RE.match(item))
