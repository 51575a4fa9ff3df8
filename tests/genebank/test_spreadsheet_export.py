"""Exporting MCPD files: formula escaping, and export -> import gives the same accessions."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genebank import cli, db, mcpd
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.mcpd import values
from genebank.passport import accessions, mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import apply_import
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)


def all_passports(database: db.Database) -> dict[str, dict[str, object]]:
    with database.session_factory() as session:
        ids = matching_ids(session, AccessionFilter())
        return {p.values["ACCENUMB"]: p.values
                for p in (accessions.get_passport(session, i) for i in ids)}


def export_then_import(source: db.Database, target: db.Database, path: Path, *,
                       safe_csv: bool = False) -> None:
    with source.session_factory() as session:
        mcpd_export.export_passports(session, path, matching_ids(session, AccessionFilter()),
                                     safe_csv=safe_csv)
    preview = preview_passports(read_sheet(path), today=TODAY)
    assert preview.count(RowStatus.ERROR) == 0, [p.message for p in preview.problems()]
    with target.session_factory.begin() as session:
        mark_existing(session, preview)
        apply_import(session, preview)


def test_csv_numbers_are_plain_decimals(tmp_path: Path) -> None:
    """Small and large coordinates are written '-0.000061', never '-6.1e-05', and read back."""
    source = db.open_database(str(tmp_path / "a.sqlite"))
    target = db.open_database(str(tmp_path / "b.sqlite"))
    with source.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(
            DECLONGITUDE="-0.000061", DECLATITUDE="0.00001", ELEVATION="0.5",
            COORDUNCERT="20038000"))  # the largest possible (half the Earth round)
    path = tmp_path / "out.csv"
    export_then_import(source, target, path)
    text = path.read_text(encoding="utf-8-sig")
    assert "e-0" not in text.lower() and "e+" not in text.lower()
    row = dict(zip(*read_sheet(path).rows[:2], strict=False))
    assert (row["DECLONGITUDE"], row["DECLATITUDE"], row["ELEVATION"], row["COORDUNCERT"]) \
        == ("-0.000061", "0.00001", "0.5", "20038000")
    assert all_passports(target) == all_passports(source)
    source.close()
    target.close()


def test_dates_and_codes_are_text_cells(tmp_path: Path) -> None:
    """Partial dates, DMS and codes are written as text, numbers as numbers."""
    database = db.open_database(str(tmp_path / "a.sqlite"))
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(
            ACQDATE="1975----", LONGITUDE="076----W", DECLONGITUDE="-76.5", ELEVATION="-28"))
        ids = matching_ids(session, AccessionFilter())
        mcpd_export.export_passports(session, tmp_path / "x.xlsx", ids)
    sheet = read_sheet(tmp_path / "x.xlsx")
    row = dict(zip(sheet.rows[0], sheet.rows[1], strict=False))
    assert row["ACQDATE"] == "1975----" and row["LONGITUDE"] == "076----W"
    assert row["SAMPSTAT"] == "300" and row["STORAGE"] == "13"
    assert row["DECLONGITUDE"] == -76.5 and row["ELEVATION"] == -28.0
    database.close()


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                min_size=1, max_size=12).map(lambda t: " ".join(t.replace(";", ",").split()))
texts = texts.filter(bool)  # only spaces collapse to nothing, and ':' alone is no number
# a spreadsheet's true/false shown as text is refused in a text column (values.BOOLEAN_TEXTS)
texts = texts.filter(lambda t: t not in values.BOOLEAN_TEXTS)
names = st.lists(texts.filter(lambda t: (t and t[0].isupper()) or not t[:1].isalpha()),
                 max_size=3)


@st.composite
def passports(draw: st.DrawFn) -> dict[str, object]:
    values: dict[str, object] = {
        "INSTCODE": draw(st.sampled_from(["KAZ001", "UZB002", "SEN003"])),
        "GENUS": draw(st.sampled_from(["Triticum", "Hordeum", "Sorghum"])),
        "SPECIES": draw(st.sampled_from(["aestivum", "vulgare", "bicolor", "sp."])),
        "STORAGE": draw(st.lists(st.sampled_from(list(mcpd.STORAGE)), min_size=1,
                                 max_size=3, unique=True)),
        "SAMPSTAT": draw(st.sampled_from(list(mcpd.SAMPSTAT))),
        "ORIGCTY": draw(st.sampled_from(["KAZ", "TUR", "SEN", "SUHH"])),
        "ACQDATE": draw(st.sampled_from(["1975----", "197506--", "19750612", "20010101"])),
        "ACCENAME": [n for n in draw(names) if n],
        "DECLATITUDE": draw(st.floats(-90, 90).map(lambda v: round(v, 6))),
        "LONGITUDE": draw(st.sampled_from(["0762510W", "076----E", "1800000E"])),
        "ELEVATION": float(draw(st.integers(-400, 8000))),
        "COLLSITE": draw(texts),
        "REMARKS": [f"COLLSRC:{draw(texts)}"],
        "OTHERNUMB": [f":{draw(texts).replace(':', '.')}"],
        "DUPLSITE": draw(st.lists(st.sampled_from(["NOR051", "TUR001"]), max_size=2,
                                  unique=True)),
    }
    return {k: v for k, v in values.items() if v not in ([], "", None)}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(collection=st.lists(passports(), min_size=1, max_size=12),
       suffix=st.sampled_from([".xlsx", ".csv", "safe.csv"]))
def test_export_import_round_trip(collection: list[dict[str, object]], suffix: str) -> None:
    """Any collection exported (workbook, exact CSV or spreadsheet-safe CSV) and imported
    into an empty database is the same collection."""
    with tempfile.TemporaryDirectory() as folder:
        source = db.open_database(str(Path(folder) / "a.sqlite"))
        target = db.open_database(str(Path(folder) / "b.sqlite"))
        with source.session_factory.begin() as session:
            for number, values in enumerate(collection):
                accessions.create_accession(
                    session, values={**values, "ACCENUMB": f"RT-{number}"})
        export_then_import(source, target, Path(folder) / f"export{suffix}",
                           safe_csv=suffix == "safe.csv")
        assert all_passports(target) == all_passports(source)
        source.close()
        target.close()


def test_cli_import_and_export_exit_codes(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """0 all imported, 1 validation errors (nothing written), 2 unreadable file."""
    url = str(tmp_path / "c.sqlite")
    good = tmp_path / "good.csv"
    good.write_text("INSTCODE,ACCENUMB,GENUS,STORAGE\nKAZ001,G-1,Hordeum,13\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("INSTCODE,ACCENUMB,GENUS,STORAGE\nKAZ001,B-1,,13\nKAZ001,B-2,Zea,13\n",
                   encoding="utf-8")
    assert cli.main(["--database", url, "init"]) == 0
    assert cli.main(["--database", url, "import-mcpd", str(good)]) == 0
    assert "1 created" in capsys.readouterr().out
    assert cli.main(["--database", url, "import-mcpd", str(bad),
                     "--report", str(tmp_path / "r.xlsx")]) == 1
    out, err = capsys.readouterr()
    assert "nothing imported" in out and "row 2, column C (GENUS)" in err
    report = read_sheet(tmp_path / "r.xlsx")  # the copy, PROBLEMS after its last column
    assert report.rows[0] == ["INSTCODE", "ACCENUMB", "GENUS", "STORAGE", "PROBLEMS"]
    assert report.rows[1][:4] == ["KAZ001", "B-1", "", "13"]
    assert report.rows[1][4].startswith("ERROR C (GENUS): Genus is required")
    assert cli.main(["--database", url, "import-mcpd", str(bad), "--skip-invalid"]) == 1
    assert "1 created" in capsys.readouterr().out
    (tmp_path / "x.xlsx").write_text("not a workbook")
    assert cli.main(["--database", url, "import-mcpd", str(tmp_path / "x.xlsx")]) == 2
    assert cli.main(["--database", url, "export-mcpd", str(tmp_path / "e.csv"),
                     "--genus", "Zea"]) == 0
    assert "Exported 1 accessions" in capsys.readouterr().out
    assert cli.main(["--database", url, "template", str(tmp_path / "t.xlsx")]) == 0
