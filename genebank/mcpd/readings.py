"""What a person is told when a value was read into another form than the one written.

:func:`note` is asked for each value read (the form, the command line, an import's cells):
it names the normalisations that change what a value means to a reader (a renamed
country's old code, a DOI link stored bare) with a code of their own, and marks the forms
that are the value itself, written as a template, Genesys or a spreadsheet writes it
(``300 Traditional cultivar/landrace``, ``mlsStat`` true), as read silently. For any other
tidied value it has no opinion, and an import says "'x' read as 'y'" (``value_read_as``).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from genebank import countries, problems
from genebank.mcpd import codes
from genebank.mcpd.code_values import MLS_WORDS  # the code itself, as people write it

problems.register({
    "country_renamed": "{given} is the former code of {name}: stored as {code}",
    "doi_normalised": "'{value}' stored as the DOI {doi}",
    "former_country_stored": "'{given}' stored as {country} ({name}), a former state (ISO "
                             "3166-3), kept by the code ISO withdrew; use the successor "
                             "state's code if it is known",
    "othernumb_no_institute": "'{value}' names no institute: stored as '{stored}', MCPD's "
                              "form of an identifier whose institute is not known (write "
                              "INSTCODE:{value} if it is known)",
})

Note = tuple[str, dict[str, object]]
QUIET: Literal[False] = False  # the value was written in one of its own forms: say nothing



def note(code: str, raw: object, canonical: Any) -> Note | Literal[False] | None:
    """A coded note on how descriptor ``code``'s ``raw`` value became ``canonical``;
    :data:`QUIET` when it is one of the value's own forms; None to let the caller compare
    the texts. Asked for number cells too: a number in OTHERNUMB becomes ``:number``."""
    if code == "OTHERNUMB":
        return _othernumb_note(raw, canonical)
    if not isinstance(raw, str):
        return QUIET if isinstance(raw, bool) and code == "MLSSTAT" else None
    text = " ".join(raw.split())
    if code == "ORIGCTY":
        return _country_note(text, canonical)
    if code == "PUID":
        return None if canonical == text else ("doi_normalised", {"value": text,
                                                                  "doi": canonical})
    if code == "MLSSTAT" and text.casefold() in MLS_WORDS:
        return QUIET
    if code in codes.CODE_LISTS and _template_items(code, text):
        return QUIET
    return None


def _country_note(text: str, canonical: Any) -> Note | Literal[False] | None:
    given = text.upper()
    if given in countries.RENAMED:
        return "country_renamed", {"given": given, "code": canonical,
                                   "name": countries.country_name(canonical)}
    if countries.four_letter_codes().get(given) == canonical:
        # SUHH stored as SUN: said with what the cell held (a search of the file for SUN
        # finds nothing), in place of the record's former-country warning.
        return "former_country_stored", {"given": given, "country": canonical,
                                         "name": countries.country_name(canonical)}
    return None


def _othernumb_note(raw: object, canonical: Any) -> Note | None:
    """The identifiers written without an institute (``1000456``, a number cell as Germinate
    writes it) that are stored as MCPD's ``:1000456``: the stored text differs from the
    cell's, so it is said (the house rule: no value changed without telling)."""
    written = raw if isinstance(raw, str) else ""
    bare = [item[1:] for item in canonical or () if item.startswith(":")
            and item not in written]
    if not bare:
        return None
    return "othernumb_no_institute", {"value": ";".join(bare),
                                      "stored": ";".join(f":{item}" for item in bare)}


def _template_items(code: str, text: str) -> bool:
    """Whether every item of ``text`` is a "code meaning" choice of the template's lists
    (``300 Traditional cultivar/landrace``, ``10 Seed collection;20 Field collection``)."""
    choices = _choices(code)
    items = [item.strip().casefold() for item in text.split(";")]
    return all(item in choices for item in items if item) and any(items)


@cache
def _choices(code: str) -> frozenset[str]:
    return frozenset(f"{number} {meaning}".casefold()
                     for number, meaning in codes.CODE_LISTS[code].items())
