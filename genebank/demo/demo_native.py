"""Where each demo taxon grows wild, so that a wild accession (SAMPSTAT 100-199) of the demo
comes only from a country in its taxon's native range.

Native ranges follow Plants of the World Online (POWO, Kew, powo.science.kew.org) and
GRIN-Global taxonomy (npgsweb.ars-grin.gov), for the wild forms gene banks collect (wild
barley as Hordeum vulgare subsp. spontaneum, teosinte within Zea mays, wild sorghum and pearl
millet across the Sahel, wild cowpea across tropical Africa, wild alfalfa from Anatolia to
China), cut down to the countries the demo knows (:data:`genebank.demo.demo_data.COUNTRIES`).
Taxa known only in cultivation (bread wheat, oat, faba bean, onion, groundnut...) are left out:
the demo has no wild accession of them.
"""

from __future__ import annotations

# (genus, species, sub-taxon as in demo_data.CROPS) -> ISO 3166-1 alpha-3 of its native range
NATIVE_COUNTRIES: dict[tuple[str, str, str], tuple[str, ...]] = {
    # wild einkorn (subsp. aegilopoides): Fertile Crescent and Transcaucasus
    ("Triticum", "monococcum", ""): ("TUR", "IRN", "IRQ", "SYR", "LBN", "ARM", "AZE", "GEO"),
    # Tausch's goatgrass: Transcaucasus to Central Asia and Xinjiang
    ("Aegilops", "tauschii", ""): ("TUR", "IRN", "IRQ", "SYR", "ARM", "AZE", "GEO", "AFG",
                                   "PAK", "TKM", "UZB", "TJK", "KGZ", "KAZ", "CHN", "RUS"),
    # wild barley: eastern Mediterranean to Central Asia
    ("Hordeum", "vulgare", "subsp. spontaneum"): (
        "TUR", "SYR", "LBN", "JOR", "IRQ", "IRN", "AFG", "PAK", "TKM", "UZB", "TJK", "AZE",
        "ARM", "EGY", "LBY"),
    # teosinte (subsp. parviglumis, mexicana): Mexico
    ("Zea", "mays", ""): ("MEX",),
    # wild sorghum (subsp. verticilliflorum): tropical Africa
    ("Sorghum", "bicolor", ""): ("SEN", "MLI", "NER", "BFA", "TCD", "NGA", "CMR", "SDN", "ETH",
                                 "UGA", "MOZ", "GIN", "GMB", "BEN", "TGO", "CIV"),
    # wild pearl millet (subsp. monodii): Sahel
    ("Pennisetum", "glaucum", ""): ("SEN", "MRT", "MLI", "NER", "BFA", "TCD", "NGA", "SDN"),
    # wild finger millet (subsp. africana): eastern and southern Africa
    ("Eleusine", "coracana", ""): ("ETH", "UGA", "SDN", "MOZ"),
    # wild and weedy rice (f. spontanea): South and East Asia
    ("Oryza", "sativa", ""): ("IND", "BGD", "CHN", "MYS", "IDN"),
    # African rice and its wild form: West Africa
    ("Oryza", "glaberrima", ""): ("SEN", "GMB", "GIN", "SLE", "MLI", "NER", "BFA", "CIV",
                                  "NGA", "TCD", "CMR", "MRT"),
    # chickpea's wild forms: south-eastern Turkey
    ("Cicer", "arietinum", ""): ("TUR",),
    # wild lentil (subsp. orientalis): eastern Mediterranean to Central Asia
    ("Lens", "culinaris", ""): ("TUR", "SYR", "LBN", "JOR", "IRQ", "IRN", "AFG", "UZB", "TJK",
                                "TKM", "KGZ", "ARM", "AZE", "GEO"),
    # wild pea (subsp. elatius): Mediterranean to Iran
    ("Pisum", "sativum", ""): ("TUR", "SYR", "LBN", "JOR", "IRQ", "IRN", "GEO", "ARM", "AZE",
                               "MAR", "DZA", "TUN", "LBY"),
    # wild cowpea (subsp. dekindtiana): tropical Africa
    ("Vigna", "unguiculata", ""): ("SEN", "MLI", "NER", "BFA", "TCD", "NGA", "CMR", "GIN",
                                   "SLE", "GMB", "BEN", "TGO", "CIV", "UGA", "MOZ", "ETH",
                                   "SDN"),
    # wild beans: Mexico and the Andes
    ("Phaseolus", "vulgaris", ""): ("MEX", "PER"),
    # wild soybean (subsp. soja): China and the Russian Far East
    ("Glycine", "max", ""): ("CHN", "RUS"),
    # wild upland cotton: Mexico and southern Florida
    ("Gossypium", "hirsutum", ""): ("MEX", "USA"),
    # wild sesame (var. malabaricum): India
    ("Sesamum", "indicum", ""): ("IND",),
    # wild sunflower: North America
    ("Helianthus", "annuus", ""): ("USA", "MEX"),
    # wild alfalfa: Anatolia to Central Asia and China
    ("Medicago", "sativa", ""): ("TUR", "IRN", "IRQ", "SYR", "AZE", "ARM", "GEO", "KAZ",
                                 "UZB", "KGZ", "TJK", "TKM", "AFG", "PAK", "CHN", "RUS"),
    # wild cherry tomato (var. cerasiforme): Andes
    ("Solanum", "lycopersicum", ""): ("PER",),
    # wild chile (var. glabriusculum): Mexico and the south-western United States
    ("Capsicum", "annuum", ""): ("MEX", "USA"),
    # wild melon: tropical Africa to South Asia
    ("Cucumis", "melo", ""): ("SEN", "MLI", "NER", "TCD", "SDN", "ETH", "IRN", "AFG", "PAK",
                              "IND"),
    # Sievers' apple: the Tian Shan and Pamir-Alay
    ("Malus", "sieversii", ""): ("KAZ", "KGZ", "TJK", "UZB", "CHN"),
}

# Taxa that exist only as wild material: the demo never makes a landrace or cultivar of them.
WILD_ONLY: frozenset[tuple[str, str, str]] = frozenset({
    ("Aegilops", "tauschii", ""), ("Hordeum", "vulgare", "subsp. spontaneum"),
    ("Malus", "sieversii", ""),
})


def is_wild(sampstat: int | None) -> bool:
    """MCPD SAMPSTAT 100-199: wild material (natural, semi-natural) rather than weedy (200),
    landrace (300), breeding (400s) or improved (500)."""
    return sampstat is not None and 100 <= sampstat < 200
