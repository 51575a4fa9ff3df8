"""Plausible material for demo collections: real crop taxa, countries, names and sites."""

from __future__ import annotations

# genus, species, authority, crop name, sub-taxa seen in collections
CROPS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("Triticum", "aestivum", "L.", "bread wheat", ("", "subsp. aestivum", "subsp. compactum")),
    ("Triticum", "turgidum", "L.", "durum wheat", ("subsp. durum", "subsp. dicoccon")),
    ("Triticum", "monococcum", "L.", "einkorn", ("",)),
    ("Aegilops", "tauschii", "Coss.", "goat grass", ("",)),
    ("Hordeum", "vulgare", "L.", "barley", ("", "subsp. spontaneum", "convar. distichon")),
    ("Secale", "cereale", "L.", "rye", ("",)),
    ("Avena", "sativa", "L.", "oat", ("",)),
    ("Zea", "mays", "L.", "maize", ("",)),
    ("Sorghum", "bicolor", "(L.) Moench", "sorghum", ("", "subsp. bicolor")),
    ("Pennisetum", "glaucum", "(L.) R.Br.", "pearl millet", ("",)),
    ("Eleusine", "coracana", "(L.) Gaertn.", "finger millet", ("",)),
    ("Oryza", "sativa", "L.", "rice", ("", "subsp. indica", "subsp. japonica")),
    ("Oryza", "glaberrima", "Steud.", "African rice", ("",)),
    ("Cicer", "arietinum", "L.", "chickpea", ("",)),
    ("Lens", "culinaris", "Medik.", "lentil", ("",)),
    ("Pisum", "sativum", "L.", "pea", ("",)),
    ("Vicia", "faba", "L.", "faba bean", ("",)),
    ("Vigna", "unguiculata", "(L.) Walp.", "cowpea", ("",)),
    ("Arachis", "hypogaea", "L.", "groundnut", ("",)),
    ("Phaseolus", "vulgaris", "L.", "common bean", ("",)),
    ("Glycine", "max", "(L.) Merr.", "soybean", ("",)),
    ("Gossypium", "hirsutum", "L.", "cotton", ("",)),
    ("Sesamum", "indicum", "L.", "sesame", ("",)),
    ("Helianthus", "annuus", "L.", "sunflower", ("",)),
    ("Carthamus", "tinctorius", "L.", "safflower", ("",)),
    ("Linum", "usitatissimum", "L.", "flax", ("",)),
    ("Medicago", "sativa", "L.", "alfalfa", ("",)),
    ("Solanum", "lycopersicum", "L.", "tomato", ("",)),
    ("Capsicum", "annuum", "L.", "pepper", ("",)),
    ("Allium", "cepa", "L.", "onion", ("",)),
    ("Cucumis", "melo", "L.", "melon", ("",)),
    ("Citrullus", "lanatus", "(Thunb.) Matsum. & Nakai", "watermelon", ("",)),
    ("Beta", "vulgaris", "L.", "sugar beet", ("subsp. vulgaris",)),
    ("Hibiscus", "sabdariffa", "L.", "roselle", ("",)),
    ("Malus", "sieversii", "(Ledeb.) M.Roem.", "wild apple", ("",)),
)

# Weighted towards OIC member states, with other major germplasm origins.
COUNTRIES: tuple[str, ...] = (
    "KAZ", "KAZ", "KAZ", "UZB", "UZB", "KGZ", "TJK", "TKM", "AZE", "TUR", "TUR", "IRN", "IRN",
    "AFG", "PAK", "PAK", "BGD", "MYS", "IDN", "SAU", "YEM", "OMN", "JOR", "SYR", "IRQ", "LBN",
    "EGY", "EGY", "SDN", "LBY", "TUN", "DZA", "MAR", "MAR", "MRT", "SEN", "SEN", "MLI", "NER",
    "BFA", "TCD", "NGA", "NGA", "CMR", "GIN", "SLE", "GMB", "BEN", "TGO", "CIV", "UGA", "MOZ",
    "ETH", "IND", "CHN", "RUS", "ARM", "GEO", "MEX", "PER", "USA",
)

NAME_PARTS = (
    "Aral", "Bogatyr", "Altyn", "Karasu", "Zhetysu", "Saryarka", "Ak", "Kyzyl", "Dala", "Nur",
    "Samarkand", "Bukhara", "Anatolia", "Konya", "Sahel", "Niamey", "Kano", "Tassili", "Atlas",
    "Zagros", "Sinai", "Nile", "Dakar", "Bamako", "Fergana", "Khorasan", "Punjab", "Sylhet",
    "Gobi", "Emma", "Symphony", "Songino", "Hanna", "Turk", "Baraka", "Amal", "Noor", "Safa",
)

SAMPSTAT_WEIGHTS = ((100, 8), (110, 2), (200, 2), (300, 45), (400, 4), (410, 8), (412, 1),
                    (420, 1), (500, 27), (999, 2))
COLLSRC_WEIGHTS = ((10, 10), (11, 2), (13, 3), (20, 15), (21, 20), (23, 8), (26, 10), (30, 12),
                   (40, 15), (60, 3), (61, 2))
STORAGE_SETS = ((13,), (12,), (12, 13), (13,), (11, 12), (20,), (12, 13), (13, 20), (30,),
                (40,))
DUPLICATE_SITES = ("NOR051", "SYR002", "TUR001", "RUS001")
