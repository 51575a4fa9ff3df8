"""Saved column mappings in the database, per kind of import; their JSON file; laying a
person's choices over the automatic match; choosing the sheet of a workbook."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from genebank import db, transactions
from genebank.io import import_kinds, mapping_file, sheet_choice
from genebank.io.import_kinds import MappingRefused
from genebank.io.mapping_file import MappingData, MappingFileRefused
from genebank.models.import_mapping import MAPPING_KINDS
from genebank.services import import_mappings
from genebank.services.errors import NotFound, ServiceError

FRENCH = {"Code de l'institut": "INSTCODE", "Numéro d'accession": "ACCENUMB",
          "Genre": "GENUS", "Espèce": "SPECIES", "Pays d'origine": "ORIGCTY",
          "Observations": None}
RUSSIAN = {"Номер партии": "LOT", "Дата": "DATE", "Высеяно": "SOWN",
           "Нормальные проростки": "NORMAL"}
ARABIC = {"الاسم الكامل": "full_name", "البلد": "country", "البريد الإلكتروني": "email"}


def write(database: db.Database, work):  # type: ignore[no-untyped-def]
    return transactions.run_write(database, work, operation="test")


def read(database: db.Database, work):  # type: ignore[no-untyped-def]
    return transactions.run_read(database, work, operation="test")


def test_the_model_and_the_io_know_the_same_kinds() -> None:
    """The table's check constraint allows exactly the kinds the imports have."""
    assert MAPPING_KINDS == import_kinds.KINDS


def test_saved_per_kind_listed_found_replaced_and_deleted(database: db.Database) -> None:
    """A mapping is saved per kind with its audit stamp; a name (in any case) is one per
    kind, saving it again replaces it; delete removes it."""
    saved = write(database, lambda s: import_mappings.save_mapping(
        s, kind="passport", name="Catalogue français", columns=FRENCH))
    assert saved.columns == FRENCH and saved.updated_by == "tester"
    write(database, lambda s: import_mappings.save_mapping(
        s, kind="germination", name="Лаборатория", columns=RUSSIAN))
    write(database, lambda s: import_mappings.save_mapping(
        s, kind="participants", name="Catalogue français", columns=ARABIC))
    listed = read(database, lambda s: import_mappings.list_mappings(s))
    assert [(m.kind, m.name) for m in listed] == [
        ("germination", "Лаборатория"), ("participants", "Catalogue français"),
        ("passport", "Catalogue français")]
    assert [m.name for m in read(database, lambda s: import_mappings.list_mappings(
        s, kind="germination"))] == ["Лаборатория"]
    found = read(database, lambda s: import_mappings.get_mapping(
        s, kind="passport", name="catalogue FRANÇAIS"))
    assert found.columns == FRENCH
    write(database, lambda s: import_mappings.save_mapping(
        s, kind="passport", name="CATALOGUE français", columns={"Numéro": "accenumb"}))
    passport = read(database, lambda s: import_mappings.list_mappings(s, kind="passport"))
    assert [(m.name, m.columns) for m in passport] == [
        ("CATALOGUE français", {"Numéro": "ACCENUMB"})]
    with pytest.raises(ServiceError) as refused:  # the name is used by two kinds
        write(database, lambda s: import_mappings.delete_mapping(s, name="Catalogue français"))
    assert refused.value.code == "mapping_name_in_kinds"
    deleted = write(database, lambda s: import_mappings.delete_mapping(
        s, name="catalogue français", kind="participants"))
    assert deleted.kind == "participants"
    write(database, lambda s: import_mappings.delete_mapping(s, name="Catalogue français"))
    assert [m.kind for m in read(database, lambda s: import_mappings.list_mappings(s))] == [
        "germination"]
    with pytest.raises(NotFound) as missing:
        read(database, lambda s: import_mappings.get_mapping(s, kind="moisture",
                                                             name="Лаборатория"))
    assert missing.value.code == "mapping_not_found"


@pytest.mark.parametrize(("kind", "name", "columns", "code"), [
    ("passport", "x", {"Pays": "COUNTRY"}, "mapping_unknown_field"),
    ("moisture", "x", {"Высеяно": "SOWN"}, "mapping_unknown_field"),
    ("passport", "x", {"A": "ACCENUMB", "B": "accenumb"}, "mapping_field_twice"),
    ("passport", "   ", {"A": "ACCENUMB"}, "mapping_name_empty"),
    ("passport", "x", {"A": None}, "mapping_empty"),
    ("passport", "x", {" ": "ACCENUMB"}, "mapping_heading_empty"),
    ("lots", "x", {"A": "LOT"}, "mapping_unknown_kind"),
    ("passport", "x" * 101, {"A": "ACCENUMB"}, "too_long"),
])
def test_a_mapping_that_cannot_be_used_is_refused_by_its_code(
        sqlite_database: db.Database, kind: str, name: str,
        columns: dict[str, str | None], code: str) -> None:
    """Unknown fields and kinds, a field given twice, an empty name or mapping: refused,
    nothing saved."""
    with pytest.raises(Exception) as refused:
        write(sqlite_database, lambda s: import_mappings.save_mapping(
            s, kind=kind, name=name, columns=columns))
    assert getattr(refused.value, "code", None) == code
    assert read(sqlite_database, lambda s: import_mappings.list_mappings(s)) == []


def test_export_and_import_round_trip_through_a_json_file(database: db.Database,
                                                          tmp_path: Path) -> None:
    """Exported mappings (French, Russian, Arabic headings) import into another database
    as they were; importing again replaces them by name."""
    for kind, name, columns in (("passport", "Catalogue", FRENCH),
                                ("germination", "Лаборатория", RUSSIAN),
                                ("participants", "قائمة", ARABIC)):
        write(database, lambda s, k=kind, n=name, c=columns: import_mappings.save_mapping(
            s, kind=k, name=n, columns=c))
    path = tmp_path / "mappings.json"
    assert read(database, lambda s: import_mappings.export_mappings(s, path)) == 3
    text = path.read_text(encoding="utf-8")
    assert "Numéro d'accession" in text and "البريد الإلكتروني" in text  # readable, not \\u
    passport = [m for m in json.loads(text)["mappings"] if m["kind"] == "passport"]
    assert passport[0]["columns"]["Observations"] is None  # "not imported" is kept
    other = db.open_database(db.sqlite_url(tmp_path / "other.sqlite"), user="other")
    try:
        result = write(other, lambda s: import_mappings.import_mappings(s, path))
        assert len(result.added) == 3 and result.replaced == ()
        again = write(other, lambda s: import_mappings.import_mappings(s, path))
        assert again.added == () and len(again.replaced) == 3
        copied = read(other, lambda s: import_mappings.list_mappings(s))
        assert {(m.kind, m.name): m.columns for m in copied} == {
            ("passport", "Catalogue"): FRENCH, ("germination", "Лаборатория"): RUSSIAN,
            ("participants", "قائمة"): ARABIC}
    finally:
        other.close()
    one = tmp_path / "one.json"
    assert read(database, lambda s: import_mappings.export_mappings(
        s, one, kind="germination")) == 1
    assert [m.name for m in mapping_file.read_mappings(one)] == ["Лаборатория"]


def _file(tmp_path: Path, content: bytes | str) -> Path:
    path = tmp_path / "mappings.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _document(*entries: object) -> str:
    return json.dumps({"format": "genebank-import-mappings", "version": 1,
                       "mappings": list(entries)})


@pytest.mark.parametrize(("content", "code", "cause"), [
    ("name,kind\nx,passport\n", "mapping_file_not_json", None),
    ('{"format": "genebank-import-mappings", "version": 1, "mappings": []'.encode("cp1251")
     + "Номер".encode("cp1251"), "mapping_file_not_json", None),
    ('{"mappings": []}', "mapping_file_shape", None),
    ('{"format": "genebank-import-mappings", "version": 2, "mappings": []}',
     "mapping_file_shape", None),
    (_document({"name": "x", "kind": "passport", "columns": {"Pays": "COUNTRY"}}),
     "mapping_file_entry", "mapping_unknown_field"),
    (_document({"name": "x", "kind": "lots", "columns": {"Lot": "LOT"}}),
     "mapping_file_entry", "mapping_unknown_kind"),
    (_document({"name": "x", "kind": "passport", "columns": {"A": "GENUS", "B": "GENUS"}}),
     "mapping_file_entry", "mapping_field_twice"),
    ('{"format": "genebank-import-mappings", "version": 1, "mappings": [{"name": "x", '
     '"kind": "passport", "columns": {"A": "GENUS", "A": "SPECIES"}}]}',
     "mapping_file_not_json", None),
    (_document({"name": "x", "kind": "passport", "columns": ["GENUS"]}),
     "mapping_file_shape", None),
    (_document({"kind": "passport", "columns": {}}), "mapping_file_shape", None),
])
def test_a_bad_file_of_mappings_is_refused_and_nothing_is_saved(
        sqlite_database: db.Database, tmp_path: Path, content: bytes | str, code: str,
        cause: str | None) -> None:
    """Not JSON (a CSV, Windows-1251 bytes), another format or version, an unknown field
    or kind, a field or heading given twice: a coded refusal naming the file."""
    path = _file(tmp_path, content)
    with pytest.raises(MappingFileRefused) as refused:
        write(sqlite_database, lambda s: import_mappings.import_mappings(s, path))
    assert refused.value.code == code and "mappings.json" in str(refused.value)
    if cause is not None:
        assert refused.value.params["cause"]["code"] == cause  # type: ignore[index]
    assert read(sqlite_database, lambda s: import_mappings.list_mappings(s)) == []


def test_a_file_for_another_kind_is_refused_for_an_import(tmp_path: Path) -> None:
    """A file holding only germination mappings gives no passport mapping; one holding
    two passport mappings does not say which."""
    germination = [MappingData("Лаборатория", "germination", dict(RUSSIAN))]
    with pytest.raises(MappingFileRefused) as refused:
        mapping_file.one_for(germination, ["passport"], "lab.json")
    assert refused.value.code == "mapping_file_wrong_kind"
    assert "germination" in str(refused.value)
    two = [MappingData("a", "passport", {"A": "GENUS"}),
           MappingData("b", "passport", {"B": "GENUS"})]
    with pytest.raises(MappingFileRefused) as several:
        mapping_file.one_for(two, ["passport"], "two.json")
    assert several.value.code == "mapping_file_several"


def test_a_workstations_old_mappings_move_in_once(sqlite_database: db.Database) -> None:
    """Mappings kept in a workstation's settings are saved as passport mappings; a name
    the database uses for another mapping gets a number; an unusable one is refused."""
    write(sqlite_database, lambda s: import_mappings.save_mapping(
        s, kind="passport", name="Genesys", columns={"acceNumb": "ACCENUMB"}))
    kept = {"Catalogue": {"Numéro": "ACCENUMB", "Genre": "GENUS"},
            "Genesys": {"instCode": "INSTCODE"},
            "broken": {"A": "NOT_A_CODE"}, "odd": ["not", "a", "mapping"]}
    moved = write(sqlite_database, lambda s: import_mappings.move_in(s, kept))
    assert moved.moved == ("Catalogue", "Genesys")
    assert moved.renamed == (("Genesys", "Genesys (2)"),)
    assert moved.refused == ("broken", "odd")
    saved = {m.name: m.columns for m in read(sqlite_database, lambda s:
                                             import_mappings.list_mappings(s))}
    assert saved == {"Catalogue": {"Numéro": "ACCENUMB", "Genre": "GENUS"},
                     "Genesys": {"acceNumb": "ACCENUMB"},
                     "Genesys (2)": {"instCode": "INSTCODE"}}
    again = write(sqlite_database, lambda s: import_mappings.move_in(
        s, {"Catalogue": kept["Catalogue"]}))
    assert again.moved == ("Catalogue",) and again.renamed == ()  # there already: no copy


def test_choices_are_laid_over_the_automatic_match() -> None:
    """A chosen heading takes its field from the automatic match of another column; a
    heading the sheet lacks is listed; one it holds twice is refused."""
    headers = ["ACCENUMB", "Numéro", "GENUS", "Bemerkung", None, "REMARKS"]
    automatic = import_kinds.suggest("passport", headers)
    assert automatic == {0: "ACCENUMB", 2: "GENUS", 5: "REMARKS"}
    applied = import_kinds.apply_choices(headers, automatic, {
        "numéro": "ACCENUMB", "REMARKS": None, "Absent": "SPECIES", "Bemerkung": "REMARKS"})
    assert applied.mapping == {1: "ACCENUMB", 2: "GENUS", 3: "REMARKS"}
    assert applied.absent == ("Absent",) and applied.displaced == ((0, "ACCENUMB"),)
    with pytest.raises(MappingRefused) as twice:
        import_kinds.apply_choices(["Lot", "lot "], {}, {"LOT": "LOT"}, sheet="Germination")
    assert twice.value.code == "mapping_heading_twice" and "A, B" in str(twice.value)
    with pytest.raises(MappingRefused) as field_twice:
        import_kinds.apply_choices(headers, automatic, {"Numéro": "GENUS",
                                                        "Bemerkung": "GENUS"})
    assert field_twice.value.code == "mapping_field_twice"
    assert import_kinds.choices_of(["Lot", "Date", "", "Lot"], {1: "DATE"}) == {"Date": "DATE"}


def test_a_choice_typed_on_the_command_line_is_read_or_refused() -> None:
    """HEADING=FIELD in any case of the field; HEADING= leaves a column out."""
    assert import_kinds.parse_choice("passport", "Numéro d'accession = accenumb") == (
        "Numéro d'accession", "ACCENUMB")
    assert import_kinds.parse_choice("participants", "Courriel=EMAIL") == ("Courriel", "email")
    assert import_kinds.parse_choice("passport", "Notes=") == ("Notes", None)
    assert import_kinds.parse_choice("passport", "a=b=GENUS") == ("a=b", "GENUS")
    for text, code in (("ACCENUMB", "mapping_bad_choice"), ("=GENUS", "mapping_bad_choice"),
                       ("Pays=COUNTRY", "mapping_unknown_field")):
        with pytest.raises(MappingRefused) as refused:
            import_kinds.parse_choice("passport", text)
        assert refused.value.code == code


def _workbook(path: Path, sheets: dict[str, list[list[object]]],
              hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def test_the_sheet_with_the_required_headings_is_chosen(tmp_path: Path) -> None:
    """Beside a read-me and a code list, the passport sheet (headings below a title row)
    qualifies; the laboratory's moisture sheet is a moisture sheet; a sheet of headings
    without rows (a template's) does not qualify."""
    path = _workbook(tmp_path / "book.xlsx", {
        "Lisez-moi": [["Catalogue national, version 2026"]],
        "Codes": [["SAMPSTAT", "Description"], [100, "Wild"]],
        "Passeport": [["Catalogue national"], ["INSTCODE", "ACCENUMB", "GENUS"],
                      ["KAZ001", "KZ-1", "Triticum"]],
        "Caché": [["INSTCODE", "ACCENUMB"]],
    }, hidden=("Caché",))
    fits = sheet_choice.sheet_fits(path, ["passport"])
    assert [(f.name, f.qualifies) for f in fits] == [
        ("Lisez-moi", False), ("Codes", False), ("Passeport", True)]
    assert sheet_choice.best(fits).name == "Passeport"  # type: ignore[union-attr]
    lab = _workbook(tmp_path / "lab.xlsx", {
        "Germination": [["Lot", "Date", "Sown", "Normal"], ["L-1", "2025-01-02", 50, 45]],
        "Moisture": [["Lot", "Date", "MC %"], ["L-1", "2025-01-02", 6.1]],
        "Template": [["Lot", "Date", "Sown", "Normal"]],
    })
    assert [(f.name, f.kind, f.qualifies) for f in sheet_choice.sheet_fits(
        lab, ["germination", "moisture"])] == [("Germination", "germination", True),
                                               ("Moisture", "moisture", True),
                                               ("Template", "germination", False)]
    assert sheet_choice.visible_sheets(tmp_path / "list.csv") == []
