"""The command line's column mappings on every import (--map, --mapping NAME|FILE.json),
the choice of the sheet without --sheet, import-participants and ``genebank mappings``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from genebank import cli, db
from tests.sheets import workbook

FRENCH_HEADINGS = ["Réf. institut", "N° banque", "Autre numéro", "Genre botanique",
                   "Epithète", "Statut", "Conservation"]
FRENCH_ROWS = [["KAZ001", "FR-1", "ALT-1", "Triticum", "aestivum", 300, 13],
               ["KAZ001", "FR-2", "ALT-2", "Hordeum", "vulgare", 300, 13]]
FRENCH_MAP = ["Réf. institut=INSTCODE", "N° banque=ACCENUMB", "Genre botanique=GENUS",
              "Epithète=SPECIES", "Statut=sampstat", "Conservation=STORAGE"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def accession_numbers(url: str) -> list[str]:
    database = db.open_database(url, create=False)
    try:
        with database.engine.connect() as connection:
            return list(connection.execute(text(
                "SELECT accenumb FROM accession ORDER BY accenumb")).scalars())
    finally:
        database.close()


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = db.sqlite_url(tmp_path / "g.sqlite")
    assert run(capsys, "--database", url, "init")[0] == 0
    return url


def test_map_imports_a_sheet_headed_in_french(url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A catalogue's own French headings the automatic match does not know: refused
    without --map, imported with one --map per heading (fields in any case)."""
    path = workbook(tmp_path / "catalogue.xlsx", {"Passeport": [FRENCH_HEADINGS, *FRENCH_ROWS]})
    code, out, _ = run(capsys, "--database", url, "import-mcpd", str(path))
    assert code == 1 and "nothing imported" in out
    maps = [item for choice in FRENCH_MAP for item in ("--map", choice)]
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(path), *maps)
    assert code == 0, err
    assert accession_numbers(url) == ["FR-1", "FR-2"]


@pytest.mark.parametrize(("choice", "named"), [
    ("Pays d'origine=ORIGCTY", "'Pays d'origine' is not a heading of sheet 'Passeport'"),
    ("Genre botanique=GENRE", "'GENRE' is not a field of the passport import"),
    ("Genre botanique", "'Genre botanique' is not HEADING=FIELD"),
])
def test_a_map_the_sheet_or_the_kind_cannot_take_exits_2(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], choice: str,
        named: str) -> None:
    """A heading the sheet lacks, an unknown field, a choice without '=': exit 2, the
    heading or field named, nothing imported."""
    path = workbook(tmp_path / "catalogue.xlsx", {"Passeport": [FRENCH_HEADINGS, *FRENCH_ROWS]})
    maps = [item for c in [*FRENCH_MAP, choice] for item in ("--map", c)]
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(path), *maps)
    assert code == 2 and named in err and out == ""
    assert accession_numbers(url) == []


def test_mapping_by_name_or_file_and_map_over_it(url: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A mapping imported into the database is used by its name (any case) or straight
    from its file; --map overrides it for a heading; an unknown name exits 2."""
    file = tmp_path / "francais.json"
    file.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                                "mappings": [{"name": "Catalogue français", "kind": "passport",
                                              "columns": dict(c.split("=") for c in
                                                              FRENCH_MAP)}]},
                               ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "--database", url, "mappings", "import", str(file))
    assert code == 0 and "added passport mapping 'Catalogue français'" in out
    path = workbook(tmp_path / "catalogue.xlsx", {"Passeport": [FRENCH_HEADINGS, *FRENCH_ROWS]})
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(path), "--dry-run",
                         "--mapping", "CATALOGUE FRANÇAIS")
    assert code == 0 and "2 rows checked: 0 with errors" in out, err
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(path), "--dry-run",
                         "--mapping", "Catalogue espagnol")
    assert code == 2 and "no mapping named 'Catalogue espagnol'" in err
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(path), "--mapping",
                         str(file), "--map", "Autre numéro=ACCENUMB")
    assert code == 0, err
    assert "column B ('N° banque') is not read as ACCENUMB" in err
    assert accession_numbers(url) == ["ALT-1", "ALT-2"]


def test_the_sheet_with_the_headings_is_chosen_and_named(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --sheet: the passport sheet behind a read-me is read and named; two such
    sheets are listed and the command asks for --sheet (exit 2, nothing imported)."""
    headings = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "SAMPSTAT", "STORAGE"]
    one = workbook(tmp_path / "one.xlsx", {
        "Read me": [["Passport data of the national collection, 2026"]],
        "Passport": [headings, ["KAZ001", "P-1", "Zea", "mays", 300, 13]]})
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(one))
    assert code == 0 and "Reading sheet 'Passport' (the one with INSTCODE and ACCENUMB)" in err
    assert accession_numbers(url) == ["P-1"]
    two = workbook(tmp_path / "two.xlsx", {
        "2024": [headings, ["KAZ001", "P-2", "Zea", "mays", 300, 13]],
        "2025": [headings, ["KAZ001", "P-3", "Zea", "mays", 300, 13]]})
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(two))
    assert out == ""
    assert code == 2 and "'2024', '2025'; choose one with --sheet" in err
    assert accession_numbers(url) == ["P-1"]
    assert run(capsys, "--database", url, "import-mcpd", str(two), "--sheet", "2025")[0] == 0
    assert accession_numbers(url) == ["P-1", "P-3"]


def test_import_tests_takes_a_russian_laboratory_sheet(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A workbook with a germination and a moisture sheet asks which; a Russian sheet is
    read through a saved mapping, the kind coming with it."""
    url = db.sqlite_url(tmp_path / "g.sqlite")
    assert run(capsys, "--database", url, "demo", "--accessions", "5")[0] == 0
    today = dt.date.today()
    lab = workbook(tmp_path / "lab.xlsx", {
        "Germination": [["Lot", "Date", "Sown", "Normal"], ["L00000001", today, 50, 45]],
        "Moisture": [["Lot", "Date", "MC %"], ["L00000001", today, 6.1]]})
    code, _, err = run(capsys, "--database", url, "import-tests", str(lab), "--dry-run")
    assert code == 2 and "'Germination' (germination), 'Moisture' (moisture)" in err
    russian = workbook(tmp_path / "russian.xlsx", {
        "Справка": [["Лаборатория семян"]],
        "Всхожесть": [["Партия №", "Дата опыта", "Заложено", "Нормальные",
                       "Погибшие"], ["L00000001", today, 50, 44, 6]]})
    code, _, err = run(capsys, "--database", url, "import-tests", str(russian))
    assert code == 1 and "no column for" in err  # the headings are not known by themselves
    mapping = tmp_path / "lab.json"
    mapping.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                                   "mappings": [{"name": "Лаборатория", "kind": "germination",
                                                 "columns": {"Партия №": "LOT",
                                                             "Дата опыта": "DATE",
                                                             "Заложено": "SOWN",
                                                             "Нормальные":
                                                             "NORMAL",
                                                             "Погибшие": "DEAD"}}]}),
                       encoding="utf-8")
    code, out, err = run(capsys, "--database", url, "import-tests", str(russian),
                         "--mapping", str(mapping))
    assert code == 0 and out.strip() == "1 test imported", err
    assert "Reading sheet 'Всхожесть'" in err


PARTICIPANTS = [["اسم المتدرب", "Pays", "Courriel", "Téléphone portable"],
                ["Awa Diop", "SEN", "awa@example.org", 221771234567],
                ["Jean Dupont", "France", "jean@example.org", None],
                ["Awa Diop", "SEN", "awa@example.org", None]]


def test_import_participants_with_maps_and_a_course(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """An Arabic and French headed list: --dry-run writes nothing; the import adds each
    person once and enrols them in the course; a row with errors stops it (exit 1) unless
    --skip-invalid."""
    url = db.sqlite_url(tmp_path / "g.sqlite")
    assert run(capsys, "--database", url, "demo", "--accessions", "1", "--no-lots",
               "--courses", "1", "--participants", "1")[0] == 0
    path = workbook(tmp_path / "inscrits.xlsx", {"Notes": [["Atelier 2026"]],
                                                 "Inscrits": PARTICIPANTS})
    maps = ["--map", "اسم المتدرب=full_name", "--map", "Téléphone portable=PHONE"]
    code, out, err = run(capsys, "--database", url, "import-participants", str(path),
                         "--dry-run", *maps)
    assert code == 0 and "3 people: 3 ready" in out and "dry run, nothing imported" in out
    assert "row 4 (Awa Diop): the same person as row 2" in out
    assert "Reading sheet 'Inscrits'" in err
    code, out, err = run(capsys, "--database", url, "import-participants", str(path),
                         "--course", "1", *maps)
    assert code == 0, err
    assert "2 participants added, 1 already recorded" in out and "2 enrolled" in out
    database = db.open_database(url, create=False)
    with database.engine.connect() as connection:
        names = connection.execute(text("SELECT full_name, phone FROM participant "
                                        "WHERE full_name IN ('Awa Diop', 'Jean Dupont') "
                                        "ORDER BY full_name")).all()
    database.close()
    assert names == [("Awa Diop", "221771234567"), ("Jean Dupont", "")]
    bad = workbook(tmp_path / "bad.xlsx", {"Liste": [
        ["Full name", "Gender"], ["Aigerim Bekova", "F"], ["Nurlan Ospanov", "X"]]})
    code, out, err = run(capsys, "--database", url, "import-participants", str(bad))
    assert code == 1 and "nothing imported" in out and "row 3, column B (gender)" in err
    code, out, _ = run(capsys, "--database", url, "import-participants", str(bad),
                       "--skip-invalid")
    assert code == 1 and "1 participant added, 1 row with errors skipped" in out
    code, _, err = run(capsys, "--database", url, "import-participants", str(path))
    assert code == 1 and "no column holds the names" in err
    code, _, err = run(capsys, "--database", url, "import-participants", str(path),
                       "--course", "99", *maps)
    assert code == 1 and "course 99" in err


def test_mappings_list_export_import_delete(url: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`genebank mappings`: a bad file exits 2 saving nothing; a good one is listed,
    exported as it was, and deleted by name (--kind when two kinds share it)."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "genebank-import-mappings", "version": 1, "mappings": '
                   '[{"name": "x", "kind": "passport", "columns": {"Pays": "COUNTRY"}}]}')
    code, _, err = run(capsys, "--database", url, "mappings", "import", str(bad))
    assert code == 2 and "'COUNTRY' is not a field of the passport import" in err
    assert run(capsys, "--database", url, "mappings", "list")[1] == "No saved mappings\n"
    good = tmp_path / "good.json"
    document = {"format": "genebank-import-mappings", "version": 1, "mappings": [
        {"name": "Genesys", "kind": "passport",
         "columns": {"instCode": "INSTCODE", "acceNumb": "ACCENUMB", "historic": None}},
        {"name": "Genesys", "kind": "participants", "columns": {"Nom": "full_name"}}]}
    good.write_text(json.dumps(document), encoding="utf-8")
    assert run(capsys, "--database", url, "mappings", "import", str(good))[0] == 0
    code, out, _ = run(capsys, "--database", url, "mappings", "list", "--columns")
    assert code == 0 and out.splitlines()[0].startswith("participants  Genesys  (1 column;")
    assert "instCode = INSTCODE; acceNumb = ACCENUMB; historic = (not imported)" in out
    exported = tmp_path / "out.json"
    code, out, _ = run(capsys, "--database", url, "mappings", "export", str(exported),
                       "--kind", "passport")
    assert code == 0 and "Exported 1 mapping" in out
    assert json.loads(exported.read_text(encoding="utf-8"))["mappings"] == \
        document["mappings"][:1]
    code, _, err = run(capsys, "--database", url, "mappings", "export", str(exported))
    assert code == 1 and "--replace" in err
    code, _, err = run(capsys, "--database", url, "mappings", "delete", "genesys")
    assert code == 1 and "several imports (participants, passport)" in err
    code, out, _ = run(capsys, "--database", url, "mappings", "delete", "genesys",
                       "--kind", "participants")
    assert code == 0 and out == "Deleted the participants mapping 'Genesys'\n"
    assert run(capsys, "--database", url, "mappings", "delete", "nothing")[0] == 1
    code, out, _ = run(capsys, "--database", url, "mappings", "list")
    assert out.startswith("passport      Genesys  (2 columns;")


def test_mapping_with_day_first_reads_french_dates_unless_dates_is_given(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """QA finding 9: a mapping saved with "day first" reads 12/03/1998 as 12 March with
    --mapping alone; --dates given on the command line wins over it."""
    columns = {**dict(c.split("=") for c in FRENCH_MAP), "Date d'acquisition": "ACQDATE"}
    file = tmp_path / "fiches.json"
    file.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                                "mappings": [{"name": "Fiches françaises", "kind": "passport",
                                              "columns": columns, "dates": "dmy"}]},
                               ensure_ascii=False), encoding="utf-8")
    rows = [[*row, date] for row, date in zip(FRENCH_ROWS, ["12/03/1998", "05/11/2001"],
                                               strict=True)]
    path = workbook(tmp_path / "fiches.xlsx",
                    {"Fiches": [[*FRENCH_HEADINGS, "Date d'acquisition"], *rows]})
    code, out, err = run(capsys, "--database", url, "import-mcpd", str(path), "--mapping",
                         str(file))
    assert code == 0, out + err
    assert acquisition_dates(url) == {"FR-1": "19980312", "FR-2": "20011105"}
    other = db.sqlite_url(tmp_path / "other.sqlite")
    assert run(capsys, "--database", other, "init")[0] == 0
    code, out, err = run(capsys, "--database", other, "import-mcpd", str(path), "--mapping",
                         str(file), "--dates", "mdy")
    assert code == 0, out + err
    assert acquisition_dates(other) == {"FR-1": "19981203", "FR-2": "20010511"}


def acquisition_dates(url: str) -> dict[str, str]:
    database = db.open_database(url, create=False)
    try:
        with database.engine.connect() as connection:
            return {str(n): str(d) for n, d in connection.execute(text(
                "SELECT accenumb, acqdate FROM accession ORDER BY accenumb"))}
    finally:
        database.close()
