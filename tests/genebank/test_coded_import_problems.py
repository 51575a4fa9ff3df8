"""Every problem a passport import (or the accession form) finds is a registered code with
its params, whose template gives exactly the English the CLI prints: the GUI words the code
in the user's language (issue 5) and loses nothing."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from genebank import db, mcpd, problems
from genebank.io.passport_preview import preview_passports
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import read_sheet
from genebank.passport import accessions
from genebank.passport.passport_existing import mark_existing
from genebank.services.errors import ValidationFailed

TODAY = dt.date(2026, 11, 23)
GENEBANK = Path(__file__).resolve().parents[2] / "genebank"
STORED = {"INSTCODE": "KAZ001", "ACCENUMB": "KZ-17", "GENUS": "Triticum",
          "SPECIES": "aestivum", "ACQDATE": "19750612", "ORIGCTY": "KAZ", "SAMPSTAT": "300",
          "STORAGE": "13", "MLSSTAT": "1", "DECLATITUDE": "46.8", "LATITUDE": "464800N",
          "DECLONGITUDE": "61.6", "LONGITUDE": "0613600E"}
HEADER = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "SUBTAXA", "ACCENAME", "ACQDATE",
          "ORIGCTY", "SAMPSTAT", "DECLATITUDE", "LATITUDE", "LONGITUDE", "ELEVATION",
          "COLLNAME", "COLLCODE", "COLLSRC", "REMARKS", "DONORCODE", "STORAGE", "COLLDATE",
          "OTHERNUMB", "Notes"]
# Rows breaking every rule a passport import checks, below a title row.
HOSTILE = [
    ["KAZ001", "KZ-30", "triticum", "Aestivum", "xx", "little name", "19751301", "SUN", "999",
     "95", "464800N", None, 99999, "Someone", "KAZ004", "99", "free text", "ZZZ001", "13",
     "20260230", "X", None],
    ["KAZ001", "KZ-31", "Triticum", None, None, None, "1975", "SUN", "410", "10.5",
     "464800N", None, None, None, None, None, None, None, "13", None, None, None],
    ["KAZ001", "KZ-32", None, None, None, None, dt.datetime(1999, 3, 4), "SUN", "300",
     "46.8", "4648--N", None, None, None, None, None, "COLLSITE:x", None, "99", None, None,
     None],
    ["KAZ001", "KZ-32", "Zea" * 80, None, None, None, None, "SUN", None, None, None, None,
     None, None, None, None, None, None, "'13", None, None, None],
    ["KAZ001", "KZ-33", "Zea", "mays", None, "x" * 300, "'19990304", "SUN", "300", None,
     None, None, None, None, None, None, None, None, "13", None, None, None],
    ["KAZ001", "KZ-34", "Zea", "mays", None, None, None, "SUN", "300", None, None, None,
     None, None, None, None, None, None, "13", None, None, None],
]
# Codes the record and sheet rules say (besides the parsers'): the sweep must meet each.
SAID_HERE = {
    "headings_below_top", "columns_not_imported", "value_too_long", "item_too_long",
    "descriptor_required", "genus_capitalised", "species_lower_cased", "subtaxa_prefix",
    "name_lower_case", "institute_country_unknown", "name_with_code", "other_unexplained",
    "collecting_site_for_bred", "coordinates_disagree", "coordinate_half", "remark_form",
    "same_accession_twice", "spreadsheet_date_read", "value_read_as", "former_country",
    "date_no_such_day", "new_needs_column", "new_needs_column_unnamed", "no_identity_column",
    "nothing_but_identity", "update_only_columns", "new_lack_recommended", "sheet_empty",
    "coordinate_converted", "coordinate_not_convertible", "identity_spelt",
    "storage_empty_sdg", "fao_column_empty", "dms_carried", "species_genus_removed",
    "species_other_genus", "country_renamed", "doi_normalised", "formula_without_value",
}


def _sheet(path: Path, header: list[str], *rows: list[object], title: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["Corrections"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _problems(database: db.Database, path: Path) -> list[SheetProblem]:
    preview = preview_passports(read_sheet(path), today=TODAY)
    with database.session_factory() as session:
        mark_existing(session, preview, clear_blank=True)
    return preview.problems()


def _sweep(tmp_path: Path) -> list[SheetProblem]:
    database = db.open_database(db.sqlite_url(tmp_path / "sweep.sqlite"), user="tester")
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=STORED)
        accessions.create_accession(session, values={**STORED, "ACCENUMB": "KZ-18",
                                                     "LATITUDE": "4648--N"})
    hostile = [list(row) for row in HOSTILE]
    hostile[-1][7] = "SUHH"  # a former country (ISO 3166-3)
    hostile[-1][18] = None  # no storage type: not counted for SDG 2.5.1
    found = _problems(database, _sheet(tmp_path / "hostile.xlsx", HEADER, *hostile,
                                       title=True))
    for number, (header, row) in enumerate([
            (["GENUS"], ["Zea"]), (["INSTCODE", "ACCENUMB"], ["KAZ001", "KZ-90"]),
            (["INSTCODE", "ACCENUMB", "GENUS"], ["KAZ001", "KZ-91", "Zea"]), (["GENUS"], []),
            (["INSTCODE", "ACCENUMB", "SPECIES"], ["KAZ001", "KZ-17", "aestivum"]),
            (["INSTCODE", "ACCENUMB", "SPECIES"], ["KAZ001", "KZ-99", "aestivum"])]):
        found += _problems(database, _sheet(tmp_path / f"s{number}.xlsx", header,
                                            *([row] if row else [])))
    update = ["INSTCODE", "ACCENUMB", "DECLATITUDE", "LONGITUDE", "DECLONGITUDE", "GENUS"]
    found += _problems(database, _sheet(
        tmp_path / "update.xlsx", update, ["KAZ001", "kz-17", None, None, None, "Triticum"],
        ["KAZ001", "KZ-17", "40.5", None, None, "Triticum"],
        ["KAZ001", "KZ-18", None, None, "61.7", "Triticum"],
        ["KAZ001", "KZ-18", None, "0623000E", None, "Triticum"]))
    found += _problems(database, _sheet(tmp_path / "dms.xlsx", ["INSTCODE", "ACCENUMB",
                                                                 "LATITUDE", "GENUS"],
                                        ["KAZ001", "KZ-17", "4700--N", "Triticum"]))
    values_sheet = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY", "PUID", "LATITUDE",
                    "DECLATITUDE", "SAMPSTAT", "ACCENAME"]
    found += _problems(database, _sheet(
        tmp_path / "values.xlsx", values_sheet,
        ["KAZ001", "KZ-40", "Triticum", "Triticum aestivum", "BUR", "doi:10.18730/5N2PQ",
         "103060N", "10.5167", None, "=CONCATENATE(\"A\",\"B\")"],
        ["KAZ001", "KZ-41", "Triticum", "Aegilops tauschii", "ZAR", None, None, None, None,
         None]))
    empty = Workbook()
    empty.save(tmp_path / "empty.xlsx")
    return found + preview_passports(read_sheet(tmp_path / "empty.xlsx")).problems()


def test_every_problem_of_a_hostile_import_is_a_registered_code_worded_as_before(
        tmp_path: Path) -> None:
    found = _sweep(tmp_path)
    uncoded = [p.message for p in found if not p.code]
    assert uncoded == []
    worded_otherwise = [(p.code, p.message) for p in found
                        if problems.english(p.code, dict(p.params)) != p.message]
    assert worded_otherwise == []
    assert SAID_HERE - {p.code for p in found} == set()
    # The English the CLI prints is what it was (samples of each kind of rule).
    messages = {p.message for p in found}
    assert {"Genus is required", "give both latitude and longitude",
            "the same accession as row 5 (KAZ001 KZ-32)",
            "'20260230': February 2026 has no day 30",
            "too long: 240 characters (at most 100)",
            "'little name': MCPD writes names with a capital first letter",
            "fill collecting institute name only when collecting institute code is empty",
            "10.5 does not agree with 464800N (46.8000); check both",
            "the sheet is empty"} <= messages


def test_a_refused_accession_number_is_a_registered_code(tmp_path: Path) -> None:
    database = db.open_database(db.sqlite_url(tmp_path / "n.sqlite"), user="tester")
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=STORED)
    try:
        with database.session_factory.begin() as session:
            accessions.create_accession(session, values={**STORED, "ACCENUMB": "kz-17"})
    except ValidationFailed as error:
        problem = error.problems[0]
    assert problem.code == "accession_number_taken_as"
    assert problem.params == {"instcode": "KAZ001", "existing": "KZ-17", "accenumb": "kz-17"}
    assert problem.message == ("KAZ001 already has an accession numbered KZ-17, which is "
                               "kz-17: numbers that differ only in case, spaces or character "
                               "width are one accession")


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_every_problem_built_in_genebank_names_a_registered_code() -> None:
    """Statically: ``CheckedPassport.add`` and ``SheetProblem.said`` (in every import: file,
    sheet, row, column, field, severity, code) name a registered code whose template their
    keywords fill; ``Problem``/``SheetProblem`` built directly pass a code on (the
    parser's, or a problem's)."""
    templates = problems.all_templates()
    wrong = []
    for path in GENEBANK.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        passport = "Problem" in {alias.name for node in ast.walk(tree)
                                 if isinstance(node, ast.ImportFrom)
                                 and node.module in {"genebank.mcpd", "genebank.mcpd.validation"}
                                 for alias in node.names} or path.name == "validation.py"
        sheet = path.name == "sheet_problem.py" or "SheetProblem" in {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "genebank.io.sheet_problem" for alias in node.names}
        for call in _calls(tree):
            name, where = _name(call), f"{path.relative_to(GENEBANK)}:{call.lineno}"
            position = {"add": 2}.get(name)
            if sheet and name == "said" and path.name != "sheet_problem.py":
                # SheetProblem.said(file, sheet, row, column, field, severity, code): a
                # place given as *place counts as its two arguments.
                starred = sum(isinstance(a, ast.Starred) for a in call.args)
                position = 6 - starred
                if len(call.args) <= position:
                    wrong.append(f"{where}: said without a code")
            if position is not None and len(call.args) > position and _is_severity(
                    call.args[position - 1]):
                codes = _literal_codes(call.args[position])
                if codes is None:
                    wrong.append(f"{where}: code not a literal")
                for code in codes or ():
                    fields = problems.fields(templates.get(code, ""))
                    given = {k.arg for k in call.keywords}
                    if code not in templates:
                        wrong.append(f"{where}: {code} not registered")
                    elif None not in given and fields - given:
                        wrong.append(f"{where}: {code} lacks {fields - given}")
            built = (name == "SheetProblem" and sheet) or (name == "Problem" and passport)
            needed = 5 if name == "Problem" else 7  # a code among the arguments
            if built and len(call.args) + len(call.keywords) < needed:
                wrong.append(f"{where}: {name} built without a code")
    assert wrong == []


def _literal_codes(node: ast.expr) -> list[str] | None:
    """The codes an argument can be: a literal, either branch of a conditional; a note's
    code (``note[0]``) was made as a literal pair where it was judged, and is met by the
    sweep above."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_codes(node.body), _literal_codes(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Subscript):
        return []
    return None


def _is_severity(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in {"ERROR", "WARNING", "severity"}


def test_a_problems_english_is_its_template_filled() -> None:
    checked = mcpd.check_passport({"INSTCODE": "KAZ001", "ACCENUMB": "A-1",
                                   "GENUS": "triticum", "STORAGE": "13"})
    problem = next(p for p in checked.problems if p.field == "GENUS")
    assert (problem.code, dict(problem.params)) == ("genus_capitalised", {"genus": "Triticum"})
    assert problem.message == "written as 'Triticum' (genus names start with a capital)"


def test_a_day_the_month_lacks_is_said_with_year_and_month_numbers() -> None:
    """Not a date formatted with ``%B`` (the C library's locale): numbers, and the English
    names the month from its own list whatever the process's locale."""
    import locale

    from genebank.mcpd import values

    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("fr_FR.UTF-8", "ru_RU.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
                break
            except locale.Error:
                continue
        try:
            values.parse_date("20250231")
        except values.InvalidValue as error:
            problem = error
    finally:
        locale.setlocale(locale.LC_TIME, before)
    assert (problem.code, problem.params) == (
        "date_no_such_day", {"text": "20250231", "year": 2025, "month": 2, "day": 31})
    assert str(problem) == "'20250231': February 2025 has no day 31"
    assert problems.fill("{month:month}", {"month": 12}, lambda m: f"m{m}") == "m12"
