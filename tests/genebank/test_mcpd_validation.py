"""Whole-record checks: required fields are errors, cross-field rules are warnings."""

from __future__ import annotations

from genebank import mcpd
from genebank.mcpd import Severity
from tests.conftest import passport_values


def fields(problems: list[mcpd.Problem]) -> set[str]:
    return {p.field for p in problems}


def test_a_complete_record_has_no_problems() -> None:
    """A well-filled passport passes without errors or warnings."""
    checked = mcpd.check_passport(passport_values())
    assert checked.ok
    assert checked.warnings == []
    assert checked.values["STORAGE"] == [13]
    assert checked.values["ACCENAME"] == ["Kazakhstanskaya 10"]


def test_required_fields_are_errors() -> None:
    """Only INSTCODE, ACCENUMB and GENUS (the Genesys identity) are required: MCPD makes
    nothing mandatory, and a record without STORAGE is warned (issue 14), not refused."""
    checked = mcpd.check_passport(passport_values(INSTCODE="", ACCENUMB=" ", GENUS=None,
                                                  STORAGE=None))
    assert fields(checked.errors) == {"INSTCODE", "ACCENUMB", "GENUS"}
    assert [p.code for p in checked.warnings if p.field == "STORAGE"] == ["storage_empty_sdg"]


def test_recommended_fields_are_warnings() -> None:
    """Empty SPECIES, ORIGCTY, SAMPSTAT, ACQDATE, MLSSTAT warn but do not block."""
    checked = mcpd.check_passport(passport_values(SPECIES=None, ORIGCTY=None, SAMPSTAT=None,
                                                  ACQDATE=None, MLSSTAT=None))
    assert checked.ok
    assert {"SPECIES", "ORIGCTY", "SAMPSTAT", "ACQDATE", "MLSSTAT"} <= fields(checked.warnings)


def test_an_invalid_value_is_an_error_on_its_field() -> None:
    """A malformed value is reported on its own field only."""
    checked = mcpd.check_passport(passport_values(ACQDATE="19751301", ORIGCTY="XYZ"))
    assert fields(checked.errors) == {"ACQDATE", "ORIGCTY"}
    assert all(p.severity is Severity.ERROR for p in checked.errors)


def test_name_fields_only_without_codes() -> None:
    """COLLNAME/BREDNAME/DONORNAME/DUPLINSTNAME alongside their code field warn."""
    checked = mcpd.check_passport(passport_values(
        COLLCODE="KAZ001", COLLNAME="Institute of Plant Biology", DONORCODE="TUR001",
        DONORNAME="Someone", DUPLSITE="NOR051", DUPLINSTNAME="Svalbard"))
    assert {"COLLNAME", "DONORNAME", "DUPLINSTNAME"} <= fields(checked.warnings)
    assert checked.ok


def test_other_codes_need_a_remark() -> None:
    """SAMPSTAT 999 or STORAGE 99 without a FIELD: remark warns; with one it does not."""
    checked = mcpd.check_passport(passport_values(SAMPSTAT="999", STORAGE="13;99"))
    assert {"SAMPSTAT", "STORAGE"} <= fields(checked.warnings)
    explained = mcpd.check_passport(passport_values(
        SAMPSTAT="999", STORAGE="13;99", REMARKS="SAMPSTAT:mixture;STORAGE:farmer's store"))
    assert not {"SAMPSTAT", "STORAGE"} & fields(explained.warnings)


def test_collecting_site_for_bred_material_warns() -> None:
    """Collecting-site fields apply only to collected material."""
    checked = mcpd.check_passport(passport_values(SAMPSTAT="500", COLLSITE="near Almaty"))
    assert "COLLSITE" in fields(checked.warnings)


def test_dms_and_decimal_must_agree() -> None:
    """A decimal latitude far from its DMS value warns; a close one does not."""
    far = mcpd.check_passport(passport_values(LATITUDE="431500N", DECLATITUDE="44.25",
                                              LONGITUDE="0765500E", DECLONGITUDE="76.9167"))
    assert "DECLATITUDE" in fields(far.warnings)
    assert "DECLONGITUDE" not in fields(far.warnings)


def test_capitalisation_is_normalised_with_a_warning() -> None:
    """'triticum AESTIVUM' is stored as 'Triticum aestivum' and the user is told."""
    checked = mcpd.check_passport(passport_values(GENUS="triticum", SPECIES="AESTIVUM"))
    assert checked.values["GENUS"] == "Triticum"
    assert checked.values["SPECIES"] == "aestivum"
    assert {"GENUS", "SPECIES"} <= fields(checked.warnings)


def test_former_country_warns() -> None:
    """ISO 3166-3 codes (e.g. SUHH, the USSR) are accepted with a warning, and stored as
    the three letters ISO withdrew (SUN)."""
    checked = mcpd.check_passport(passport_values(ORIGCTY="SUHH"))
    assert checked.values["ORIGCTY"] == "SUN"
    assert "ORIGCTY" in fields(checked.warnings)
