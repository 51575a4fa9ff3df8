"""Parsing MCPD values from what people type (or spreadsheets hold) into canonical form:
the one front door to the parsers, which live by kind of value in modules of their own
(text_values, code_values, date_values, coordinate_values, number_values).

Every ``parse_*`` function takes a raw value (usually a string, but numbers and dates from
spreadsheets too) and returns the canonical value, or ``None`` for an empty field. A value
that cannot be understood raises :class:`InvalidValue`: a code and its params, registered
with the English a user reads (the CLI, an import's preview) and that the GUI words in the
user's language. Canonical forms follow MCPD v2.1: dates ``YYYYMMDD`` with ``--`` for
missing parts, DMS as ``DDMMSSH``/``DDDMMSSH`` with ``-`` for missing digits, codes upper
case, multi-values as lists. The record's checks (``validation``), the form, the import
wizard and the tests read every parser from here.
"""

from __future__ import annotations

from genebank.mcpd.code_values import (
    INSTCODE_RE,
    MLS_WORDS,
    parse_code,
    parse_codes,
    parse_country,
    parse_instcode,
    parse_instcodes,
    parse_mlsstat,
    parse_othernumb,
)
from genebank.mcpd.coordinate_values import (
    decimal_to_dms,
    dms_to_decimal,
    parse_decimal_degrees,
    parse_dms,
    refuse_degrees_minutes,
)
from genebank.mcpd.date_values import (
    DATE_ORDERS,
    DAY_FIRST,
    MONTH_FIRST,
    format_date,
    parse_date,
)
from genebank.mcpd.invalid_value import (
    InvalidValue,
)
from genebank.mcpd.number_values import (
    check_bounds,
    parse_integer,
    parse_number,
)
from genebank.mcpd.text_values import (
    BOOLEAN_TEXTS,
    hybrid_sign,
    is_empty,
    is_field_remark,
    parse_genus,
    parse_puid,
    parse_remarks,
    parse_text,
    parse_texts,
    refuse_boolean,
)

__all__ = [
    "BOOLEAN_TEXTS",
    "DATE_ORDERS",
    "DAY_FIRST",
    "INSTCODE_RE",
    "MLS_WORDS",
    "MONTH_FIRST",
    "InvalidValue",
    "check_bounds",
    "decimal_to_dms",
    "dms_to_decimal",
    "format_date",
    "hybrid_sign",
    "is_empty",
    "is_field_remark",
    "parse_code",
    "parse_codes",
    "parse_country",
    "parse_date",
    "parse_decimal_degrees",
    "parse_dms",
    "parse_genus",
    "parse_instcode",
    "parse_instcodes",
    "parse_integer",
    "parse_mlsstat",
    "parse_number",
    "parse_othernumb",
    "parse_puid",
    "parse_remarks",
    "parse_text",
    "parse_texts",
    "refuse_boolean",
    "refuse_degrees_minutes",
]
