"""From what a person types to the country they mean: codes, names, old and common names.

A technician types "JOR", "jordan", "Turkey", "Türkiye", "cote d'ivoire" or "Jordanie" and
means one country; "Congo" or "Korea" could be two, and the person must say which. So
:func:`resolve` returns every exact match (one: the answer; several: ask) and the other
countries with a name that begins with what was typed, for the picker to offer. Nothing is
guessed: a partial entry never resolves by itself.

Two scopes: a country of origin (MCPD ORIGCTY) may be a former country (ISO 3166-3,
stored as the three-letter code ISO withdrew, e.g. SUN; found by it, its four-letter code
SUHH and its names); a renamed country's old codes (BUR, BUMM) find today's country (MMR).
A person's or a venue's country is a current one. A former country's two-letter code is
never used, nor a three-letter one given since to a country of today (ATF): they would
mislead.
"""

from __future__ import annotations

import enum
import gettext
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import pycountry

from genebank.countries import (
    RENAMED,
    Country,
    current_countries,
    historic_countries,
    stored_code,
)
from genebank.problems import Coded, register

register({
    "country_ambiguous": "'{text}' could be {choices}: choose one",
    "country_unknown": "'{text}' is not an ISO 3166 country code or a country name "
                       "(e.g. KAZ, TUR)",
})

# Names people still use for a country whose ISO name differs (English, and one Russian),
# each with where it comes from. Derived names need no entry: the ISO name, official name
# and common name (pycountry), the part before a comma ("Iran, Islamic Republic of" ->
# Iran) or a bracket, and the names in French, Russian and Arabic from the iso-codes
# translations.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "Turkey": ("TUR",),  # ISO 3166 English short name until the UN renamed it in June 2022
    "Russia": ("RUS",),  # UN and common English short name of the Russian Federation
    "Ivory Coast": ("CIV",),  # English translation of Côte d'Ivoire, still widely used
    "Swaziland": ("SWZ",),  # ISO 3166 name until Eswatini (2018)
    "Macedonia": ("MKD",),  # ISO "Macedonia, the former Yugoslav Republic of" until 2019
    "Burma": ("MMR",),  # the country's English name until 1989 (ISO 3166-3 BUMM)
    "Czech Republic": ("CZE",),  # ISO short name until Czechia (2016)
    "Cape Verde": ("CPV",),  # ISO 3166 name until Cabo Verde (2013)
    "East Timor": ("TLS",),  # ISO 3166 name until Timor-Leste (2002; ISO 3166-3 TPTL)
    "Holland": ("NLD",),  # common English name of the Netherlands
    "Great Britain": ("GBR",),  # common English names of the United Kingdom
    "Britain": ("GBR",),
    "UK": ("GBR",),
    "USA": ("USA",),
    "United States of America": ("USA",),
    "Vatican": ("VAT",),  # ISO "Holy See (Vatican City State)"
    "Brunei": ("BRN",),  # ISO "Brunei Darussalam"
    "Congo-Brazzaville": ("COG",),  # names that tell the two Congos apart
    "Congo-Kinshasa": ("COD",),
    "DR Congo": ("COD",),
    "DRC": ("COD",),
    "Zaire": ("COD",),  # the DR Congo's name 1971-1997 (ISO 3166-3 ZRCD)
    "Soviet Union": ("SUN",),  # ISO 3166-3 name "USSR, Union of Soviet Socialist Republics"
    "Korea": ("KOR", "PRK"),  # two countries: the person must choose
    "Россия": ("RUS",),  # Russian short name; iso-codes gives only "Российская Федерация"
}
# Languages whose country names a technician may type (the app's users: French, Russian,
# Arabic); the names come from the iso-codes translations that pycountry ships.
NAME_LANGUAGES = ("fr", "ru", "ar")

_BRACKETED_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,4})\)\s*$")
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = str.maketrans("", "", "'’`´ʼ")


class Scope(enum.Enum):
    """Which countries may be chosen."""

    CURRENT = "current"  # a person's or a venue's country: ISO 3166-1 only
    ORIGIN = "origin"  # MCPD ORIGCTY: ISO 3166-1 and former countries (ISO 3166-3)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a typed text means: the exact matches, and the names it begins (to offer)."""

    text: str
    matches: tuple[Country, ...]  # exact matches; one is the answer, several must be chosen
    candidates: tuple[Country, ...]  # other countries with a name that begins with the text

    @property
    def country(self) -> Country | None:
        """The one country meant, or None when none or several match exactly."""
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def choices(self) -> tuple[Country, ...]:
        """What a picker offers: the exact matches first, then the candidates."""
        return self.matches + self.candidates

    @property
    def problem(self) -> str | None:
        """Why the text does not name one country (None when it does or is empty)."""
        refusal = self.refusal()
        return None if refusal is None or not self.text.strip() else str(refusal)

    def refusal(self) -> Coded | None:
        """Why the text does not name one country, as a coded problem (for a refusal to
        carry as its cause); None when it does."""
        if self.country is not None:
            return None
        if self.matches:
            return ambiguous(self.text, self.matches)
        return Coded(code="country_unknown", params={"text": self.text.strip()})


def ambiguous(text: str, choices: Iterable[Country]) -> Coded:
    """``text`` names several countries: each as its code and (English) name."""
    listed = ", ".join(f"{c.code} ({c.name})" for c in choices)
    return Coded(code="country_ambiguous", params={"text": text.strip(), "choices": listed})


def normalise(text: str) -> str:
    """Lower case, no accents, apostrophes dropped, other punctuation as spaces, no "the"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = _NOT_WORD.sub(" ", bare).replace("_", " ").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def resolve(text: str, scope: Scope) -> Resolution:
    """The countries ``text`` names in ``scope``: see the module's docstring."""
    key = normalise(text)
    if not key:
        return Resolution(text, (), ())
    index = _index(scope)
    codes = set(index.exact.get(key, ()))
    bracketed = _BRACKETED_CODE.match(text)
    if not codes and bracketed:  # "Jordan (JOR)", as the picker shows a choice
        by_code = index.exact.get(normalise(bracketed["code"]), ())
        by_name = index.exact.get(normalise(bracketed["name"]), ())
        codes = set(by_code) & set(by_name) if by_name else set(by_code)
    found = {code for name, code in index.names
             if name.startswith(key) or f" {key}" in name}
    return Resolution(text, _ordered(codes, index), _ordered(found - codes, index))


def countries_in(scope: Scope) -> tuple[Country, ...]:
    """Every country that may be chosen in ``scope``: current ones, then former ones."""
    index = _index(scope)
    return _ordered(set(index.countries), index)


@dataclass(frozen=True, slots=True)
class _Index:
    countries: dict[str, Country]
    exact: dict[str, tuple[str, ...]]  # normalised code or name -> codes
    names: tuple[tuple[str, str], ...]  # (normalised name, code) for begins-with matches


def _ordered(codes: set[str], index: _Index) -> tuple[Country, ...]:
    """Current countries first, then former ones, each by name."""
    chosen = [index.countries[c] for c in codes]
    return tuple(sorted(chosen, key=lambda c: (c.historic, normalise(c.name))))


@cache
def _index(scope: Scope) -> _Index:
    exact: dict[str, set[str]] = {}
    names: set[tuple[str, str]] = set()

    def add(text: str | None, code: str, *, is_name: bool = True) -> None:
        key = normalise(text or "")
        if key:
            exact.setdefault(key, set()).add(code)
            if is_name:
                names.add((key, code))

    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                        languages=[lang], fallback=True)
                    for lang in NAME_LANGUAGES]
    for record in pycountry.countries:
        code = record.alpha_3
        add(code, code, is_name=False)
        add(record.alpha_2, code, is_name=False)
        add(record.numeric, code, is_name=False)
        for name in _names_of(record):
            add(name, code)
        for translation in translations:
            for name in _names_of(record, translation.gettext):
                add(name, code)
    countries = dict(current_countries())
    if scope is Scope.ORIGIN:
        current_keys = set(exact)
        for old, today in RENAMED.items():  # BUR, BUMM: Myanmar
            add(old, today, is_name=False)
        for record in pycountry.historic_countries:
            code = stored_code(record.alpha_4)  # SUHH -> SUN; BUMM -> MMR
            add(record.alpha_4, code, is_name=False)
            if record.alpha_3 == code:  # SUN itself (never ATF, now another country's)
                add(record.alpha_3, code, is_name=False)
            if record.alpha_4 in RENAMED:
                continue  # found by today's names, and "Burma", "Zaire" (COMMON_NAMES)
            full_name, *heads = _names_of(record)
            add(full_name, code)
            for head in heads:  # "Yemen, Democratic..." must not make "Yemen" ambiguous
                if normalise(head) not in current_keys:
                    add(head, code)
        countries.update(historic_countries())
    for name, codes in COMMON_NAMES.items():
        for code in codes:
            if code in countries:
                add(name, code)
    return _Index(countries, {k: tuple(sorted(v)) for k, v in exact.items()},
                  tuple(sorted(names)))


def _names_of(record: object, translate: Callable[[str], str] = str) -> list[str]:
    """A record's ISO, official and common names (translated by ``translate``), and each
    one's part before ',' or '(' ("Iran, Islamic Republic of" -> Iran)."""
    full = [getattr(record, attribute, None) for attribute in
            ("name", "official_name", "common_name")]
    found: list[str] = []
    for name in (translate(n) for n in full if n):
        found.append(name)
        head = re.split(r"[,(]", name, maxsplit=1)[0].strip()
        if head and head != name:
            found.append(head)
    return found
