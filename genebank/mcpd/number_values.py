"""Reading MCPD's numbers (ELEVATION, COORDUNCERT...): whole or decimal, as a file holds
them (no locale: '6,5' is 6.5, '1,234' is ambiguous), and within what is physically
possible; a value that cannot be read raises :class:`InvalidValue`.
"""

from __future__ import annotations

import math

from genebank import numbers, problems
from genebank.mcpd.invalid_value import InvalidValue
from genebank.mcpd.text_values import is_empty

problems.register({
    "number_refused": "{reason}",
    "not_a_whole_number": "'{value}' is not a whole number",
    "fraction_not_a_whole_number": "'{value:g}' is not a whole number",
    "number_too_large_at_most": "{value:number} is too large a number (at most {maximum:,})",
    "value_not_a_number": "'{value}' is not a number",
    "number_too_large": "{value:number} is too large a number",
    "value_out_of_range": "{value:number} is outside the possible range of {field} ({minimum} to "
                          "{maximum} {unit})",
})


def parse_integer(raw: object) -> int | None:
    """A whole number; text as a file holds it (spaces may group thousands, '1,234' is
    refused as ambiguous), Arabic-Indic and Persian digits read. Beyond the database's
    whole numbers (2,147,483,647 either way) it is refused, not stored wrapped or failed."""
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue(code="not_a_whole_number", params={"value": raw})
    if isinstance(raw, float):
        if not raw.is_integer():
            raise InvalidValue(code="fraction_not_a_whole_number", params={"value": raw})
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        try:
            value = numbers.read_number(str(raw), whole=True)  # type: ignore[assignment]
        except numbers.NumberRefused as error:
            raise InvalidValue(code="number_refused",
                               params={**problems.because(error)}) from None
    if value is not None and abs(value) > numbers.MAX_INTEGER:
        raise InvalidValue(code="number_too_large_at_most", params={
            "value": value, "maximum": numbers.MAX_INTEGER})
    return value


def parse_number(raw: object) -> float | None:
    """A decimal number; text as a file holds it: '6,5' and '6.5' are 6.5, '1,234' is
    refused as ambiguous, a number cell is kept as it is."""
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue(code="value_not_a_number", params={"value": raw})
    if isinstance(raw, int | float):
        if isinstance(raw, int) and abs(raw) > 1e300:
            raise InvalidValue(code="number_too_large", params={"value": raw})
        value = float(raw)
        if not math.isfinite(value):  # a workbook can hold "NaN" or "1e400" in a cell
            raise InvalidValue(code="value_not_a_number", params={"value": raw})
        return value + 0.0  # never a negative zero
    try:
        return numbers.read_number(str(raw), whole=False)  # type: ignore[return-value]
    except numbers.NumberRefused as error:
        raise InvalidValue(code="number_refused",
                           params={**problems.because(error)}) from None


def check_bounds(value: float | int | None, *, field: str, minimum: float | int,
                 maximum: float | int, unit: str) -> float | int | None:
    """``value`` when it is physically possible for ``field``, else :class:`InvalidValue`
    naming the bounds (``value_out_of_range``): a number read from a file can be anything
    (1e308 m, 2**63), and what is stored must be exported and imported back."""
    if value is None or minimum <= value <= maximum:
        return value
    raise InvalidValue(code="value_out_of_range", params={
        "value": value, "field": field, "minimum": f"{minimum:,}",
        "maximum": f"{maximum:,}", "unit": unit})
