"""One matcher for the column headings of every sheet import, as people really write them.

Each kind of import (:data:`PASSPORT`, :data:`GERMINATION`, :data:`MOISTURE`,
:data:`PARTICIPANTS`) has a :class:`FieldTable`: its fields, each with a code, an English
label, whether the sheet needs it, and the headings people write for it (English, French,
Spanish, Russian, Arabic, and the names of Genesys downloads). A heading matches a field
when both read the same once :func:`normalise` has made them case-, accent- and
punctuation-insensitive, or when they read the same without their spaces (``acceNumb``,
``ACCENUMB`` and ``Acce numb`` are all ACCENUMB). One matcher for every import, so that
the same heading never means two things in two wizards.

Title rows above the headings are skipped by every import: :func:`find_header_row` finds
the row with the most matched headings among the first rows; :func:`choose_sheet` finds
the sheets of a workbook that hold a kind's required headings, the best first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from genebank import mcpd

PASSPORT, GERMINATION, MOISTURE, PARTICIPANTS = "passport", "germination", "moisture", \
    "participants"
KINDS = (PASSPORT, GERMINATION, MOISTURE, PARTICIPANTS)
# How many rows from the top may hold titles before the headings.
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True, slots=True)
class Field:
    """One thing a column may hold. ``required``: a sheet without a column for it cannot be
    imported. ``extra``: a field that is not one of the kind's own descriptors (a Genesys
    column such as ``historic``), matched so that its meaning can be given to it."""

    code: str
    label: str
    required: bool = False
    headings: tuple[str, ...] = ()
    extra: bool = False


@dataclass(frozen=True, slots=True)
class FieldTable:
    """The fields of one kind of import. ``either``: a required field that a set of other
    fields may stand in for (a participant's full name, or a first and a last name)."""

    kind: str
    fields: tuple[Field, ...]
    either: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def by_code(self) -> dict[str, Field]:
        return {f.code: f for f in self.fields}

    def label(self, code: str) -> str:
        found = self.by_code.get(code)
        return found.label if found is not None else code

    def missing(self, codes: Iterable[str]) -> list[Field]:
        """The required fields that ``codes`` (the mapped fields) lack."""
        present = set(codes)
        return [f for f in self.fields if f.required and f.code not in present
                and not (f.code in self.either and set(self.either[f.code]) <= present)]


def normalise(heading: object) -> str:
    """A heading as the matcher compares it: case folded, accents dropped (NFKD without its
    combining marks), every run of characters that is no letter or digit one space. Letters
    of any script stay (Cyrillic, Arabic)."""
    text = unicodedata.normalize("NFKD", str(heading if heading is not None else ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


# Passport: the MCPD descriptors ------------------------------------------------------------
# Headings people write for each descriptor, beyond its code and English label (both always
# match). Genesys names are given as Genesys writes them; normalise() makes them comparable.
_PASSPORT_HEADINGS: dict[str, tuple[str, ...]] = {
    "PUID": ("puid", "doi", "persistent unique identifier", "identifiant unique",
             "identificador único persistente"),
    "INSTCODE": ("institute code", "holding institute", "holding institute code",
                 "wiews code", "instCode", "instituteCode", "institute.code",
                 "code de l'institut", "code institut", "código del instituto",
                 "código de instituto", "код института", "رمز المعهد"),
    "ACCENUMB": ("accession", "accession number", "accession no", "accession no.", "acc no",
                 "acc. no.", "accession id", "accenum", "acceNumb", "accessionNumber",
                 "numéro d'accession", "numéro d'accès", "n° d'accession", "accession n°",
                 "número de accesión", "número de entrada", "no. de accesión",
                 "номер образца", "номер по каталогу", "номер каталога", "каталожный номер",
                 "رقم المدخل", "رقم المدخلة", "رقم الإدخال"),
    "COLLNUMB": ("collector number", "collecting number", "collection number",
                 "collector's number", "coll.collNumb", "collNumb",
                 "numéro de collecte", "número de colecta", "номер сбора",
                 "رقم الجمع"),
    "COLLCODE": ("collecting institute", "coll.collCode", "collCode",
                 "institut collecteur", "código del instituto colector"),
    "COLLNAME": ("coll.collName", "collName", "collecting institute name"),
    "COLLINSTADDRESS": ("coll.collInstAddress", "collInstAddress"),
    "COLLMISSID": ("coll.collMissId", "collMissId", "collecting mission", "mission",
                   "mission de collecte", "misión de colecta", "экспедиция"),
    "GENUS": ("genus", "taxonomy.genus", "genre", "género", "genero", "род", "الجنس"),
    "SPECIES": ("species", "taxonomy.species", "espèce", "espece", "especie", "вид",
                "النوع"),
    "SPAUTHOR": ("species author", "authority", "spAuthor", "taxonomy.spAuthor",
                 "auteur de l'espèce", "autor de la especie", "автор вида"),
    "SUBTAXA": ("subtaxon", "subspecies", "subtaxa", "taxonomy.subtaxa", "sous-espèce",
                "sous-taxon", "subespecie", "подвид", "تحت النوع"),
    "SUBTAUTHOR": ("subtAuthor", "taxonomy.subtAuthor", "subtaxon author",
                   "subtaxa author"),
    "CROPNAME": ("crop", "crop name", "common name", "cropName", "culture", "nom de la culture",
                 "cultivo", "nombre del cultivo", "культура", "المحصول", "اسم المحصول"),
    "ACCENAME": ("name", "accession name", "variety", "cultivar", "cultivar name",
                 "local name", "acceName", "accessionName", "nom", "nom de l'accession",
                 "variété", "nom local", "nombre", "nombre de la accesión", "variedad",
                 "nombre local", "название", "название образца", "сорт", "местное название",
                 "اسم المدخل", "الصنف", "الاسم المحلي"),
    "ACQDATE": ("acquisition date", "date of acquisition", "acqDate", "acquisitionDate",
                "date d'acquisition", "fecha de adquisición", "дата поступления",
                "дата приобретения", "تاريخ الاقتناء", "تاريخ الحيازة"),
    "ORIGCTY": ("country", "country of origin", "origin", "origin country", "origCty",
                "orgCty", "orgCty.iso3", "pays", "pays d'origine", "origine", "país",
                "país de origen", "origen", "страна", "страна происхождения",
                "происхождение", "بلد المنشأ", "البلد", "المنشأ"),
    "COLLSITE": ("collecting site", "location", "locality", "site", "collSite",
                 "coll.collSite", "site de collecte", "lieu de collecte", "localité", "lieu",
                 "sitio de colecta", "lugar de colecta", "localidad", "sitio",
                 "место сбора", "местонахождение", "пункт сбора", "موقع الجمع", "الموقع"),
    # "Latitude" and "Longitude" are the MCPD codes of the DMS forms.
    "DECLATITUDE": ("lat", "geo.latitude", "decimal latitude", "latitud",
                    "широта", "خط العرض", "دائرة العرض"),
    "LATITUDE": ("latitude dms", "lat dms"),
    "DECLONGITUDE": ("lon", "long", "lng", "geo.longitude", "decimal longitude",
                     "longitud", "долгота", "خط الطول"),
    "LONGITUDE": ("longitude dms", "lon dms", "long dms"),
    "COORDUNCERT": ("coordinate uncertainty", "geo.coordUncert", "coordUncert",
                    "geo.uncertainty", "coordinateUncertainty"),
    "COORDDATUM": ("datum", "geo.coordDatum", "coordDatum", "geo.datum", "coordinateDatum"),
    "GEOREFMETH": ("georeferencing method", "geo.georefMeth", "georefMeth", "geo.method",
                   "georeferenceMethod"),
    "ELEVATION": ("elevation", "altitude", "altitude m", "altitude (m)", "elevation (m)",
                  "geo.elevation", "altitud", "élévation", "высота", "высота над уровнем моря",
                  "الارتفاع"),
    "COLLDATE": ("collecting date", "collection date", "date of collection", "collDate",
                 "coll.collDate", "date de collecte", "fecha de colecta",
                 "fecha de recolección", "дата сбора", "تاريخ الجمع"),
    "BREDCODE": ("breeding institute", "breederCode", "bredCode"),
    "BREDNAME": ("breeder", "breederName", "bredName", "obtenteur", "fitomejorador",
                 "селекционер"),
    "SAMPSTAT": ("biological status", "status", "sample status", "sampStat",
                 "statut biologique", "estado biológico", "estatus biológico",
                 "биологический статус", "الحالة البيولوجية"),
    "ANCEST": ("pedigree", "ancestry", "ancest", "généalogie", "pedigrí",
               "родословная", "النسب"),
    "COLLSRC": ("collecting source", "source", "acqSrc", "collSrc", "coll.collSrc",
                "source de collecte", "fuente de colecta", "fuente", "источник сбора",
                "مصدر الجمع"),
    "DONORCODE": ("donor institute", "donor code", "donorCode", "code du donateur",
                  "código del donante", "код донора"),
    "DONORNAME": ("donor", "donorName", "donateur", "donneur", "donante", "донор", "المانح",
                  "الجهة المانحة"),
    "DONORNUMB": ("donor number", "donorNumb", "numéro du donateur", "número del donante",
                  "номер донора", "رقم المانح"),
    "OTHERNUMB": ("other numbers", "other identifiers", "otherNumb", "aliases.name",
                  "autres numéros", "otros números", "другие номера"),
    "DUPLSITE": ("safety duplicate", "duplicate site", "duplSite", "site de duplication",
                 "duplicado de seguridad", "дублет"),
    "DUPLINSTNAME": ("duplInstName",),
    "STORAGE": ("storage", "storage type", "type of storage", "type de stockage",
                "stockage", "tipo de almacenamiento", "almacenamiento",
                "тип хранения", "хранение", "نوع التخزين", "التخزين"),
    "MLSSTAT": ("mls status", "mls", "mlsStat", "mlsStatus", "statut sml",
                "estado en el sml", "статус мсм"),
    "REMARKS": ("remarks", "remark", "notes", "comments", "remarques", "observations",
                "commentaires", "observaciones", "comentarios", "notas", "примечания",
                "примечание", "комментарии", "ملاحظات"),
}
# Genesys columns that are no MCPD descriptor; their meaning is given elsewhere.
_PASSPORT_EXTRAS = (
    Field("FULLTAXA", "Full taxon name (Genesys)", headings=(
        "fullTaxa", "taxonomy.taxonName", "taxonomy.fullTaxa", "taxon", "scientific name",
        "taxon name"), extra=True),
    Field("HISTORIC", "Historic record (Genesys)", headings=("historic",), extra=True),
    Field("AVAILABLE", "Available for distribution (Genesys)", headings=(
        "available", "availability", "available for distribution"), extra=True),
)
# The descriptors' full names in MCPD v2.1 itself, which templates and exports of other
# systems use as headings (units in brackets are part of the name there).
_MCPD_NAMES: dict[str, tuple[str, ...]] = {
    "PUID": ("Persistent unique identifier",),
    "INSTCODE": ("Institute code",),
    "ACCENUMB": ("Accession number",),
    "COLLNUMB": ("Collecting number",),
    "COLLCODE": ("Collecting institute code",),
    "COLLNAME": ("Collecting institute name",),
    "COLLINSTADDRESS": ("Collecting institute address",),
    "COLLMISSID": ("Collecting mission identifier",),
    "SPAUTHOR": ("Species authority",),
    "SUBTAXA": ("Subtaxon",),
    "SUBTAUTHOR": ("Subtaxon authority",),
    "CROPNAME": ("Common crop name",),
    "ACCENAME": ("Accession name",),
    "ACQDATE": ("Acquisition date [YYYYMMDD]", "Acquisition date"),
    "ORIGCTY": ("Country of origin",),
    "COLLSITE": ("Location of collecting site",),
    "DECLATITUDE": ("Latitude of collecting site (decimal degrees format)",),
    "LATITUDE": ("Latitude of collecting site (degrees, minutes, seconds format)",
                 "Latitude of collecting site"),
    "DECLONGITUDE": ("Longitude of collecting site (decimal degrees format)",),
    "LONGITUDE": ("Longitude of collecting site (degrees, minutes, seconds format)",
                  "Longitude of collecting site"),
    "COORDUNCERT": ("Coordinate uncertainty [m]", "Coordinate uncertainty"),
    "COORDDATUM": ("Coordinate datum",),
    "GEOREFMETH": ("Georeferencing method",),
    "ELEVATION": ("Elevation of collecting site [m asl]", "Elevation of collecting site"),
    "COLLDATE": ("Collecting date of sample [YYYYMMDD]", "Collecting date of sample"),
    "BREDCODE": ("Breeding institute code",),
    "BREDNAME": ("Breeding institute name",),
    "SAMPSTAT": ("Biological status of accession",),
    "ANCEST": ("Ancestral data",),
    "COLLSRC": ("Collecting/acquisition source",),
    "DONORCODE": ("Donor institute code",),
    "DONORNAME": ("Donor institute name",),
    "DONORNUMB": ("Donor accession number",),
    "OTHERNUMB": ("Other identifiers associated with the accession",),
    "DUPLSITE": ("Location of safety duplicates",),
    "DUPLINSTNAME": ("Institute maintaining safety duplicates",),
    "STORAGE": ("Type of germplasm storage",),
    "MLSSTAT": ("MLS status of the accession",),
}
# What a passport sheet needs: the two descriptors that find or name an accession.
_PASSPORT_REQUIRED = ("INSTCODE", "ACCENUMB")


def _passport() -> FieldTable:
    return FieldTable(PASSPORT, (
        *(Field(d.code, d.label, d.code in _PASSPORT_REQUIRED,
                (*_PASSPORT_HEADINGS.get(d.code, ()), *_MCPD_NAMES.get(d.code, ())))
          for d in mcpd.DESCRIPTORS),
        *_PASSPORT_EXTRAS))


# Germination and moisture tests ------------------------------------------------------------
_LOT = Field("LOT", "Lot number", True, (
    "lot", "lot no", "lot number", "seed lot", "lot id", "lotnumber", "inventory number",
    "numéro de lot", "lot de semences", "número de lote", "lote", "номер партии", "партия",
    "رقم الدفعة", "رقم الحصة"))
_DATE = Field("DATE", "Date tested", True, (
    "date", "test date", "tested on", "date tested", "testing date", "date du test",
    "date d'essai", "fecha", "fecha de la prueba", "fecha del ensayo", "дата", "дата анализа",
    "дата испытания", "التاريخ", "تاريخ الاختبار"))
_TEST_END = (
    Field("METHOD", "Method", headings=("method", "protocol", "test method", "méthode",
                                        "método", "метод", "الطريقة")),
    Field("TESTER", "Tester", headings=("tester", "tested by", "analyst", "technician",
                                        "analyste", "technicien", "analista", "técnico",
                                        "аналитик", "лаборант", "المحلل")),
    Field("NOTES", "Notes", headings=("notes", "remarks", "comments", "remark", "remarques",
                                      "observations", "observaciones", "notas",
                                      "примечания", "ملاحظات")),
)


def _germination() -> FieldTable:
    return FieldTable(GERMINATION, (
        _LOT, _DATE,
        Field("REPLICATE", "Replicate", headings=(
            "replicate", "rep", "replication", "rep no", "répétition", "repetición",
            "повторность", "المكرر")),
        Field("SOWN", "Seeds sown", True, (
            "sown", "seeds sown", "number sown", "seeds tested", "no of seeds",
            "graines semées", "semences semées", "semillas sembradas",
            "высеяно семян", "высеяно", "البذور المزروعة")),
        Field("NORMAL", "Normal seedlings", True, (
            "normal", "normal seedlings", "germinated", "germinated normal",
            "plantules normales", "plántulas normales", "нормальные проростки",
            "البادرات الطبيعية")),
        Field("ABNORMAL", "Abnormal seedlings", headings=(
            "abnormal", "abnormal seedlings", "plantules anormales", "plántulas anormales",
            "ненормальные проростки", "البادرات غير الطبيعية")),
        Field("DEAD", "Dead seeds", headings=(
            "dead", "dead seeds", "graines mortes", "semillas muertas", "мёртвые семена",
            "мертвые семена", "البذور الميتة")),
        Field("UNGERMINATED", "Fresh ungerminated", headings=(
            "ungerminated", "fresh", "dormant", "fresh ungerminated", "fresh seeds",
            "fresh dormant", "fresh dormant ungerminated", "fresh/dormant ungerminated",
            "graines fraîches", "semillas frescas", "свежие непроросшие")),
        Field("HARD", "Hard seeds", headings=(
            "hard", "hard seeds", "graines dures", "semillas duras", "твёрдые семена",
            "твердые семена", "البذور الصلبة")),
        Field("PRETREATMENT", "Pre-treatment", headings=(
            "pretreatment", "pre treatment", "dormancy breaking", "prétraitement",
            "pretratamiento", "предобработка")),
        Field("SEEDS_USED", "Seeds used from the lot", headings=(
            "seeds used", "seeds consumed", "consumed", "seeds withdrawn")),
        *_TEST_END))


def _moisture() -> FieldTable:
    return FieldTable(MOISTURE, (
        _LOT, _DATE,
        Field("MOISTURE_PCT", "Moisture content % (fresh weight)", headings=(
            "moisture", "moisture content", "mc", "moisture %", "mc %", "seed moisture",
            "seed moisture content", "moisture content fresh weight", "mc fw",
            "teneur en eau", "humidité", "contenido de humedad", "humedad", "влажность",
            "влажность семян", "المحتوى الرطوبي", "الرطوبة")),
        Field("ERH_PCT", "Equilibrium RH %", headings=(
            "erh", "erh %", "equilibrium rh", "relative humidity",
            "equilibrium relative humidity", "seed erh", "rh", "hre", "humidité relative",
            "humedad relativa", "относительная влажность")),
        *_TEST_END))


# Participants -------------------------------------------------------------------------------
def _participants() -> FieldTable:
    return FieldTable(PARTICIPANTS, (
        Field("full_name", "Full name", True, (
            "name", "full name", "participant", "participant name", "name of participant",
            "nom", "nom complet", "nom et prénom", "nombre", "nombre completo", "фио",
            "имя и фамилия", "name surname", "الاسم", "الاسم الكامل")),
        Field("first_name", "First name", headings=(
            "first name", "given name", "forename", "prenom", "prénom", "nombre de pila",
            "имя", "الاسم الأول")),
        Field("last_name", "Last name", headings=(
            "last name", "surname", "family name", "nom de famille", "apellido",
            "apellidos", "фамилия", "اسم العائلة", "اللقب")),
        Field("original_name", "Name in original script", headings=(
            "original name", "name original", "name in original script", "native name",
            "name arabic", "name cyrillic")),
        Field("gender", "Gender", headings=("gender", "sex", "genre", "sexe", "género",
                                            "sexo", "пол", "الجنس")),
        Field("country", "Country", headings=(
            "country", "nationality", "pays", "nationalité", "país", "nacionalidad",
            "страна", "гражданство", "country code", "البلد", "الجنسية")),
        Field("institution", "Institution", headings=(
            "institution", "organisation", "organization", "institute", "affiliation",
            "employer", "agency", "organisme", "institución", "organización", "организация",
            "учреждение", "المؤسسة")),
        Field("position", "Position", headings=(
            "position", "job title", "title", "function", "designation", "role", "fonction",
            "poste", "cargo", "puesto", "должность", "الوظيفة")),
        Field("email", "E-mail", headings=(
            "email", "e mail", "mail", "email address", "courriel", "correo",
            "correo electrónico", "электронная почта", "почта", "البريد الإلكتروني")),
        Field("phone", "Phone", headings=(
            "phone", "telephone", "tel", "mobile", "phone number", "whatsapp", "téléphone",
            "teléfono", "телефон", "الهاتف")),
        Field("languages", "Languages", headings=("languages", "language", "langues",
                                                  "idiomas", "языки", "اللغات")),
        Field("notes", "Notes", headings=("notes", "remarks", "comments", "observations",
                                          "remarques", "observaciones", "примечания",
                                          "ملاحظات")),
    ), either={"full_name": ("first_name", "last_name")})


# A heading that says only "name" is the full name, unless the sheet has a column for one
# part of the name: then it is the other part ("Nom" beside "Prénom" is the last name,
# "Nombre" beside "Apellido" the first), else that part would be matched and never stored.
_BARE_NAMES = frozenset(normalise(n) for n in ("name", "nom", "nombre", "الاسم"))
_OTHER_PART = {"first_name": "last_name", "last_name": "first_name"}


@cache
def table(kind: str) -> FieldTable:
    """The field table of ``kind`` (one of :data:`KINDS`)."""
    builders = {PASSPORT: _passport, GERMINATION: _germination, MOISTURE: _moisture,
                PARTICIPANTS: _participants}
    if kind not in builders:
        raise KeyError(f"no import of kind {kind!r}")
    return builders[kind]()


@cache
def _index(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every heading of ``kind`` normalised, and without its spaces, -> field code. A
    heading listed for two fields is a mistake in the tables, said at once."""
    spaced: dict[str, str] = {}
    compact: dict[str, str] = {}
    for candidate in table(kind).fields:
        names = (candidate.code.replace("_", " "), candidate.label, *candidate.headings)
        for name in names:
            key = normalise(name)
            for index, found in ((spaced, key), (compact, key.replace(" ", ""))):
                known = index.setdefault(found, candidate.code)
                if known != candidate.code and index is spaced:
                    raise ValueError(f"heading {name!r} of {kind} names {known} and "
                                     f"{candidate.code}")
    return spaced, compact


# A heading's plural mark ("accession_number(s)", Breedbase): the field it names is the same.
_PLURAL_MARK = re.compile(r"\((?:e?s)\)\s*$", re.IGNORECASE)
# Words a passport export puts before a heading of ours ("Germplasm Genus", KnowPulse) or
# after a coded field's ("Country of Origin Code"): matched only when the rest is a field,
# and "code" only for the fields whose value is a code (never "crop code" as a crop name).
_GENERIC_PREFIXES = ("germplasm ", "accession ")
_CODE_SUFFIX = " code"
_CODED_FIELDS = frozenset({"ORIGCTY", "SAMPSTAT", "COLLSRC", "STORAGE", "MLSSTAT"})


def match_heading(heading: object, kind: str) -> str | None:
    """The field code of ``kind`` that ``heading`` names, or None: as written, else without
    a plural mark "(s)", else (passport) without a generic first word or a "code" after a
    coded field; the heading as written always wins."""
    key = normalise(heading)
    if not key:
        return None
    found = _lookup(key, kind)
    if found is None and isinstance(heading, str) and _PLURAL_MARK.search(heading):
        key = normalise(_PLURAL_MARK.sub("", heading))
        found = _lookup(key, kind)
    if found is None and kind == PASSPORT:
        for prefix in _GENERIC_PREFIXES:
            if key.startswith(prefix) and found is None:
                found = _lookup(key.removeprefix(prefix), kind)
        if found is None and key.endswith(_CODE_SUFFIX):
            coded = _lookup(key.removesuffix(_CODE_SUFFIX), kind)
            found = coded if coded in _CODED_FIELDS else None
    return found


def _lookup(key: str, kind: str) -> str | None:
    spaced, compact = _index(kind)
    found = spaced.get(key)
    return found if found is not None else compact.get(key.replace(" ", ""))


def suggest_mapping(headers: Sequence[object], kind: str) -> dict[int, str]:
    """Column index (0-based) -> field code of ``kind``, each field taken by its first
    column."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        code = match_heading(header, kind)
        if code is not None and code not in taken:
            mapping[index] = code
            taken.add(code)
    if kind == PARTICIPANTS:
        _name_as_other_part(headers, mapping)
    return mapping


def _name_as_other_part(headers: Sequence[object], mapping: dict[int, str]) -> None:
    """A bare "name" column beside one part of the name becomes the other part."""
    parts = [code for code in mapping.values() if code in _OTHER_PART]
    for index, code in mapping.items():
        if code == "full_name" and len(parts) == 1 and normalise(headers[index]) in _BARE_NAMES:
            mapping[index] = _OTHER_PART[parts[0]]


def find_header_row(rows: Sequence[Sequence[object]], kind: str, *,
                    search: int = HEADER_SEARCH_ROWS) -> int:
    """Index (in ``rows``) of the row that names most fields of ``kind`` among the first
    ``search`` rows: title rows above the headings are skipped. 0 when no row names any."""
    best, best_score = 0, 0
    for index, row in enumerate(rows[:search]):
        score = len(suggest_mapping(row, kind))
        if score > best_score:
            best, best_score = index, score
    return best


@dataclass(frozen=True, slots=True)
class SheetChoice:
    """A sheet that holds the required headings of a kind: its ``name``, the row of its
    headings (index into the rows given) and how many fields they name."""

    name: str
    header_index: int
    matched: int


def choose_sheet(sheets: Mapping[str, Sequence[Sequence[object]]] |
                 Iterable[tuple[str, Sequence[Sequence[object]]]],
                 kind: str) -> list[SheetChoice]:
    """The sheets (name -> their first rows) whose headings hold every required field of
    ``kind``, the one naming most fields first (the first in the workbook on a tie). Empty
    when none does: the caller asks which sheet to read."""
    items = sheets.items() if isinstance(sheets, Mapping) else sheets
    fields = table(kind)
    found: list[tuple[int, int, SheetChoice]] = []
    for order, (name, rows) in enumerate(items):
        index = find_header_row(rows, kind)
        mapping = suggest_mapping(rows[index], kind) if rows else {}
        if mapping and not fields.missing(mapping.values()):
            found.append((-len(mapping), order, SheetChoice(name, index, len(mapping))))
    return [choice for _, _, choice in sorted(found, key=lambda item: item[:2])]
