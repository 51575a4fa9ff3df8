"""Country codes for ORIGCTY and institute codes, from ``pycountry`` (ISO 3166-1 and -3).

MCPD asks for ISO 3166-1 alpha-3, three letters. Old material often names vanished states
(USSR, Yugoslavia, Czechoslovakia): they are kept by the three-letter code ISO withdrew
(SUN, YUG, CSK), with a warning that names the state, rather than forcing a guess at the
successor. Their ISO 3166-3 four-letter codes (SUHH, YUCS, CSHH) are read as those three
letters. A country that was only renamed (Burma, Zaire, East Timor, Romania's old code) is
the country of today: its old codes read as today's code (:data:`RENAMED`), said as a
normalisation where a value is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    historic: bool = False


# Old codes of countries that were renamed, not dissolved: the same state under today's
# code. ISO 3166-3 (withdrawn three- and four-letter codes) unless said otherwise.
RENAMED: dict[str, str] = {
    "BUR": "MMR", "BUMM": "MMR",  # Burma -> Myanmar (1989)
    "ZAR": "COD", "ZRCD": "COD",  # Zaire -> Democratic Republic of the Congo (1997)
    "TMP": "TLS", "TPTL": "TLS",  # East Timor -> Timor-Leste (2002)
    "ROM": "ROU",  # Romania's ISO alpha-3 until 2002 (ISO 3166-1 changed the code only)
    "DHY": "BEN", "DYBJ": "BEN",  # Dahomey -> Benin (1975)
    "HVO": "BFA", "HVBF": "BFA",  # Upper Volta -> Burkina Faso (1984)
    "NHB": "VUT", "NHVU": "VUT",  # New Hebrides -> Vanuatu (1980)
    "RHO": "ZWE", "RHZW": "ZWE",  # Southern Rhodesia -> Zimbabwe (1980)
    "AFI": "DJI", "AIDJ": "DJI",  # French Afars and Issas -> Djibouti (1977)
    "BYS": "BLR", "BYAA": "BLR",  # Byelorussian SSR -> Belarus (1991)
}


@cache
def current_countries() -> dict[str, Country]:
    """ISO 3166-1 alpha-3 code -> country, sorted by name."""
    items = [
        Country(c.alpha_3, getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    ]
    return {c.code: c for c in sorted(items, key=lambda c: c.name)}


@cache
def historic_countries() -> dict[str, Country]:
    """Former states (ISO 3166-3) that were dissolved or merged, by the code stored for
    them: the three-letter code ISO withdrew (SUN, CSK, YUG, SCG, DDR), or the four-letter
    one where those three letters were given to a country of today (FQHH: ATF is now the
    French Southern Territories). Renamed countries are not here (:data:`RENAMED`)."""
    current = current_countries()
    found = {}
    for record in pycountry.historic_countries:
        if record.alpha_4 in RENAMED:
            continue
        code = record.alpha_3 if record.alpha_3 not in current else record.alpha_4
        found[code] = Country(code, record.name, historic=True)
    return found


@cache
def four_letter_codes() -> dict[str, str]:
    """ISO 3166-3 four-letter code -> the code stored for it (SUHH -> SUN, BUMM -> MMR)."""
    stored = {}
    for record in pycountry.historic_countries:
        if record.alpha_4 in RENAMED:
            stored[record.alpha_4] = RENAMED[record.alpha_4]
        elif record.alpha_3 in historic_countries():
            stored[record.alpha_4] = record.alpha_3
        else:
            stored[record.alpha_4] = record.alpha_4
    return stored


def stored_code(code: str) -> str:
    """The code a country is stored by: today's for a renamed one (BUR -> MMR), the
    withdrawn three letters of a former state (SUHH -> SUN), else ``code`` itself."""
    code = code.strip().upper()
    return RENAMED.get(code) or four_letter_codes().get(code) or code


def is_former(code: str) -> bool:
    """Whether ``code`` (as stored) is a dissolved or merged state (SUN, YUG...)."""
    return code in historic_countries()


def lookup(code: str) -> Country | None:
    """The country for an ISO 3166-1 alpha-3 code, a former state's stored code, or an old
    code (ISO 3166-3 four letters, a renamed country's former three), or None."""
    code = stored_code(code)
    return current_countries().get(code) or historic_countries().get(code)


def country_name(code: str | None) -> str:
    """The country's name, or the code itself when it is unknown."""
    if not code:
        return ""
    country = lookup(code)
    return country.name if country else code
