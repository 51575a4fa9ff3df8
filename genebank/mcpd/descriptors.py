"""The MCPD v2.1 descriptor table (reference section 1.2), grouped the way curators think.

Each descriptor has a *kind*, which decides how its value is parsed, validated, stored and
shown. The order of ``DESCRIPTORS`` is the MCPD order and the order of export columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"  # free text
    TEXTS = "texts"  # free text, several values separated by ';'
    CODE = "code"  # one integer code from a code list
    CODES = "codes"  # several integer codes from a code list (STORAGE)
    INSTCODE = "instcode"  # FAO WIEWS institute code
    INSTCODES = "instcodes"  # several WIEWS codes
    DATE = "date"  # YYYYMMDD with missing parts as '--'
    COUNTRY = "country"  # ISO 3166-1 alpha-3
    LATITUDE_DECIMAL = "declat"
    LONGITUDE_DECIMAL = "declon"
    LATITUDE_DMS = "latdms"
    LONGITUDE_DMS = "londms"
    INTEGER = "integer"
    NUMBER = "number"
    OTHERNUMB = "othernumb"  # INSTCODE:ID;INSTCODE:ID
    REMARKS = "remarks"  # FIELD:remark;FIELD:remark


class Group(StrEnum):
    IDENTITY = "Identity"
    TAXONOMY = "Taxonomy"
    ORIGIN = "Origin and collecting site"
    BREEDING = "Breeding and donor"
    CONSERVATION = "Conservation"
    REMARKS = "Remarks"


@dataclass(frozen=True, slots=True)
class Descriptor:
    code: str
    number: str
    label: str
    kind: Kind
    group: Group
    hint: str = ""

    @property
    def multi(self) -> bool:
        return self.kind in {Kind.TEXTS, Kind.CODES, Kind.INSTCODES, Kind.OTHERNUMB,
                             Kind.REMARKS}


_D = Descriptor
DESCRIPTORS: tuple[Descriptor, ...] = (
    _D("PUID", "0", "Persistent unique identifier", Kind.TEXT, Group.IDENTITY,
       "A DOI such as 10.18730/5N2PQ, if the accession has one"),
    _D("INSTCODE", "1", "Holding institute code", Kind.INSTCODE, Group.IDENTITY,
       "FAO WIEWS code, e.g. KAZ001"),
    _D("ACCENUMB", "2", "Accession number", Kind.TEXT, Group.IDENTITY,
       "Unique within the gene bank, e.g. PI 113869"),
    _D("COLLNUMB", "3", "Collecting number", Kind.TEXT, Group.ORIGIN,
       "The collector's original number"),
    _D("COLLCODE", "4", "Collecting institute code", Kind.INSTCODES, Group.ORIGIN,
       "WIEWS codes, separated by ;"),
    _D("COLLNAME", "4.1", "Collecting institute name", Kind.TEXTS, Group.ORIGIN,
       "Only when there is no collecting institute code"),
    _D("COLLINSTADDRESS", "4.1.1", "Collecting institute address", Kind.TEXTS, Group.ORIGIN,
       "Only when there is no collecting institute code"),
    _D("COLLMISSID", "4.2", "Collecting mission identifier", Kind.TEXT, Group.ORIGIN),
    _D("GENUS", "5", "Genus", Kind.TEXT, Group.TAXONOMY, "First letter uppercase, e.g. Triticum"),
    _D("SPECIES", "6", "Species", Kind.TEXT, Group.TAXONOMY, "Lowercase, e.g. aestivum, or sp."),
    _D("SPAUTHOR", "7", "Species authority", Kind.TEXT, Group.TAXONOMY, "e.g. L."),
    _D("SUBTAXA", "8", "Subtaxon", Kind.TEXT, Group.TAXONOMY, "e.g. subsp. durum, var. alba"),
    _D("SUBTAUTHOR", "9", "Subtaxon authority", Kind.TEXT, Group.TAXONOMY),
    _D("CROPNAME", "10", "Crop name", Kind.TEXT, Group.TAXONOMY, "Common name, e.g. bread wheat"),
    _D("ACCENAME", "11", "Accession name", Kind.TEXTS, Group.IDENTITY,
       "Names or designations, one per line"),
    _D("ACQDATE", "12", "Acquisition date", Kind.DATE, Group.IDENTITY,
       "YYYYMMDD; unknown parts as -- (1975----) "),
    _D("ORIGCTY", "13", "Country of origin", Kind.COUNTRY, Group.ORIGIN,
       "Where the sample was collected, bred or selected"),
    _D("COLLSITE", "14", "Collecting site", Kind.TEXT, Group.ORIGIN,
       "Locality below country level, e.g. 7 km south of Almaty"),
    _D("DECLATITUDE", "15.1", "Latitude (decimal)", Kind.LATITUDE_DECIMAL, Group.ORIGIN,
       "Decimal degrees, negative for South, e.g. -44.6975"),
    _D("LATITUDE", "15.2", "Latitude (DMS)", Kind.LATITUDE_DMS, Group.ORIGIN,
       "DDMMSSH, e.g. 103020S or 10----S"),
    _D("DECLONGITUDE", "15.3", "Longitude (decimal)", Kind.LONGITUDE_DECIMAL, Group.ORIGIN,
       "Decimal degrees, negative for West, e.g. 76.9123"),
    _D("LONGITUDE", "15.4", "Longitude (DMS)", Kind.LONGITUDE_DMS, Group.ORIGIN,
       "DDDMMSSH, e.g. 0762510E or 076----W"),
    _D("COORDUNCERT", "15.5", "Coordinate uncertainty (m)", Kind.INTEGER, Group.ORIGIN),
    _D("COORDDATUM", "15.6", "Coordinate datum", Kind.TEXT, Group.ORIGIN, "e.g. WGS84"),
    _D("GEOREFMETH", "15.7", "Georeferencing method", Kind.TEXT, Group.ORIGIN,
       "GPS, map, gazetteer or software"),
    _D("ELEVATION", "16", "Elevation (m)", Kind.NUMBER, Group.ORIGIN, "Metres above sea level"),
    _D("COLLDATE", "17", "Collecting date", Kind.DATE, Group.ORIGIN,
       "YYYYMMDD; unknown parts as --"),
    _D("BREDCODE", "18", "Breeding institute code", Kind.INSTCODES, Group.BREEDING,
       "WIEWS codes, separated by ;"),
    _D("BREDNAME", "18.1", "Breeding institute or breeder", Kind.TEXTS, Group.BREEDING,
       "Only when there is no breeding institute code"),
    _D("SAMPSTAT", "19", "Biological status", Kind.CODE, Group.BREEDING),
    _D("ANCEST", "20", "Ancestral data (pedigree)", Kind.TEXT, Group.BREEDING,
       "e.g. Hanna/7*Atlas//Turk/8*Atlas"),
    _D("COLLSRC", "21", "Collecting/acquisition source", Kind.CODE, Group.ORIGIN),
    _D("DONORCODE", "22", "Donor institute code", Kind.INSTCODE, Group.BREEDING),
    _D("DONORNAME", "22.1", "Donor institute or person", Kind.TEXT, Group.BREEDING,
       "Only when there is no donor institute code"),
    _D("DONORNUMB", "23", "Donor accession number", Kind.TEXT, Group.BREEDING),
    _D("OTHERNUMB", "24", "Other identifiers", Kind.OTHERNUMB, Group.IDENTITY,
       "One per line as INSTCODE:ID, or :ID if the institute is unknown"),
    _D("DUPLSITE", "25", "Safety duplicate institute codes", Kind.INSTCODES,
       Group.CONSERVATION, "WIEWS codes, separated by ;, e.g. NOR051"),
    _D("DUPLINSTNAME", "25.1", "Safety duplicate institute names", Kind.TEXTS,
       Group.CONSERVATION),
    _D("STORAGE", "26", "Type of germplasm storage", Kind.CODES, Group.CONSERVATION),
    _D("MLSSTAT", "27", "Multilateral System status", Kind.CODE, Group.CONSERVATION),
    _D("REMARKS", "28", "Remarks", Kind.REMARKS, Group.REMARKS,
       "One per line as FIELD:remark, e.g. COLLSRC:riverside"),
)

BY_CODE: dict[str, Descriptor] = {d.code: d for d in DESCRIPTORS}


def descriptors_in(group: Group) -> list[Descriptor]:
    return [d for d in DESCRIPTORS if d.group is group]
