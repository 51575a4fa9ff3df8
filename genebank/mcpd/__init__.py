"""FAO/Bioversity Multi-Crop Passport Descriptors v2.1: codes, descriptors, parsing, checks."""

from genebank.mcpd.codes import CODE_LISTS, COLLSRC, MLSSTAT, SAMPSTAT, STORAGE
from genebank.mcpd.descriptors import BY_CODE, DESCRIPTORS, Descriptor, Group, Kind, descriptors_in
from genebank.mcpd.invalid_value import InvalidValue
from genebank.mcpd.validation import (
    EMPTY_CODES,
    RECOMMENDED,
    REQUIRED,
    CheckedPassport,
    Problem,
    Severity,
    check_passport,
    check_record,
    coded_english,
    parse_field,
    settle_carried,
)

__all__ = [
    "BY_CODE",
    "CODE_LISTS",
    "COLLSRC",
    "DESCRIPTORS",
    "EMPTY_CODES",
    "MLSSTAT",
    "RECOMMENDED",
    "REQUIRED",
    "SAMPSTAT",
    "STORAGE",
    "CheckedPassport",
    "Descriptor",
    "Group",
    "InvalidValue",
    "Kind",
    "Problem",
    "Severity",
    "check_passport",
    "check_record",
    "coded_english",
    "descriptors_in",
    "parse_field",
    "settle_carried",
]
