"""Country codes for ORIGCTY and institute codes, from ``pycountry`` (ISO 3166-1 and -3).

MCPD asks for ISO 3166-1 alpha-3. Old material often names vanished states (USSR,
Yugoslavia, Czechoslovakia); ISO 3166-3 gives those four-letter codes, which we accept
with a warning rather than force a guess at the successor state.
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
    """ISO 3166-3 four-letter code -> former country (e.g. SUHH, YUCS, CSHH)."""
    return {
        c.alpha_4: Country(c.alpha_4, c.name, historic=True)
        for c in pycountry.historic_countries
    }


def lookup(code: str) -> Country | None:
    """The country for an ISO 3166-1 alpha-3 or ISO 3166-3 code, or None."""
    code = code.strip().upper()
    return current_countries().get(code) or historic_countries().get(code)


def country_name(code: str | None) -> str:
    """The country's name, or the code itself when it is unknown."""
    if not code:
        return ""
    country = lookup(code)
    return country.name if country else code
