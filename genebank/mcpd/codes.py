"""MCPD v2.1 code lists (reference section 1.3), as ordered code -> meaning maps."""

from __future__ import annotations

SAMPSTAT: dict[int, str] = {
    100: "Wild",
    110: "Natural",
    120: "Semi-natural/wild",
    130: "Semi-natural/sown",
    200: "Weedy",
    300: "Traditional cultivar/landrace",
    400: "Breeding/research material",
    410: "Breeder's line",
    411: "Synthetic population",
    412: "Hybrid",
    413: "Founder stock/base population",
    414: "Inbred line (parent of hybrid cultivar)",
    415: "Segregating population",
    416: "Clonal selection",
    420: "Genetic stock",
    421: "Mutant",
    422: "Cytogenetic stocks",
    423: "Other genetic stocks",
    500: "Advanced or improved cultivar",
    600: "GMO (by genetic engineering)",
    999: "Other (elaborate in REMARKS)",
}

COLLSRC: dict[int, str] = {
    10: "Wild habitat",
    11: "Forest or woodland",
    12: "Shrubland",
    13: "Grassland",
    14: "Desert or tundra",
    15: "Aquatic habitat",
    20: "Farm or cultivated habitat",
    21: "Field",
    22: "Orchard",
    23: "Backyard, kitchen or home garden",
    24: "Fallow land",
    25: "Pasture",
    26: "Farm store",
    27: "Threshing floor",
    28: "Park",
    30: "Market or shop",
    40: "Institute, experimental station, research organization, genebank",
    50: "Seed company",
    60: "Weedy, disturbed or ruderal habitat",
    61: "Roadside",
    62: "Field margin",
    99: "Other (elaborate in REMARKS)",
}

STORAGE: dict[int, str] = {
    10: "Seed collection",
    11: "Short term",
    12: "Medium term",
    13: "Long term",
    20: "Field collection",
    30: "In vitro collection",
    40: "Cryopreserved collection",
    50: "DNA collection",
    99: "Other (elaborate in REMARKS)",
}

MLSSTAT: dict[int, str] = {
    0: "No (not included)",
    1: "Yes (included)",
    99: "Other (elaborate in REMARKS)",
}

CODE_LISTS: dict[str, dict[int, str]] = {
    "SAMPSTAT": SAMPSTAT,
    "COLLSRC": COLLSRC,
    "STORAGE": STORAGE,
    "MLSSTAT": MLSSTAT,
}

# Codes meaning "other", which MCPD asks to explain with a FIELD: entry in REMARKS.
OTHER_CODES: dict[str, int] = {"SAMPSTAT": 999, "COLLSRC": 99, "STORAGE": 99, "MLSSTAT": 99}
