"""An import preview's unreadable values, an unreadable file and a backup's check are problems
with a code and params (issue 13): the GUI words them through Qt's translation (context
"Messages"), while the CLI's English stays what it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import imports, problems
from genebank.backup import BackupFailed
from genebank.io import files, headings, passport_preview
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import UnreadableFile, read_sheet
from ui import messages
from ui.dialogs.import_kind_views import view_for
from ui.models.import_check_table import CheckTableModel


def _preview(tmp_path: Path) -> passport_preview.ImportPreview:
    path = tmp_path / "passport.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,STORAGE,ACQDATE,ORIGCTY\n"
                    "KAZ001,KZ-1,Triticum,13,19751301,Atlantis\n", encoding="utf-8")
    sheet = read_sheet(path)
    return passport_preview.preview_passports(sheet)


def test_an_unreadable_value_in_the_preview_carries_its_code_and_params(
        tmp_path: Path) -> None:
    """The cell's problem keeps the parser's code and values beside its English."""
    row = _preview(tmp_path).rows[0]
    by_field = {p.field: p for p in row.problems}
    date, country = by_field["ACQDATE"], by_field["ORIGCTY"]
    assert (date.code, dict(date.params)) == ("date_no_such_month",
                                              {"text": "19751301", "month": 13})
    assert date.message == "'19751301' has no month 13"  # the CLI's English, unchanged
    assert country.code == "country_code_invalid" and country.params == {"text": "Atlantis"}


def test_the_preview_table_words_a_value_problem_in_the_users_language(
        qtbot: object, tmp_path: Path, french: dict[str, str]) -> None:
    """The Problems column shows the translation of the code's template with its values."""
    french[problems.TEMPLATES["date_no_such_month"]] = "« {text} » n'a pas de mois {month}"
    model = CheckTableModel(view_for(headings.PASSPORT))
    model.set_report(imports.passport_report(_preview(tmp_path)))
    shown = model.data(model.index(0, 4))
    assert "ACQDATE (E): « 19751301 » n'a pas de mois 13" in shown
    assert "'19751301' has no month 13" not in shown


def test_a_number_problem_is_worded_from_its_own_code(french: dict[str, str]) -> None:
    """An unreadable number wraps the number reader's own coded problem: the GUI words that
    one, not the English."""
    from genebank import mcpd

    with pytest.raises(mcpd.InvalidValue) as refused:
        mcpd.parse_field("ELEVATION", "1,234")
    assert refused.value.code == "number_refused"
    cause = refused.value.params["cause"]
    french[problems.TEMPLATES[cause["code"]]] = "« {text} » est ambigu"
    assert messages.problem_text(SheetProblem.of(
        "f.xlsx", "s", 2, "A", "ELEVATION", refused.value)) == "« 1,234 » est ambigu"


def test_an_unreadable_file_is_worded_from_its_template(tmp_path: Path,
                                                       french: dict[str, str]) -> None:
    """A CSV in another encoding: its own code (not a sheet's), English naming the byte
    and the candidates, and the GUI's translation of the same template."""
    path = tmp_path / "latin.csv"
    path.write_bytes("ACCENUMB;GENUS\nKZ-1;Trit\u00edcum\n".encode("cp1252"))
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == "text_encoding_unknown"
    assert str(refused.value).startswith("'latin.csv' is not UTF-8 text (byte 25) and has "
                                         "no byte-order mark")
    french[problems.TEMPLATES["text_encoding_unknown"]] = \
        "« {file} » n'est pas en UTF-8 (octet {byte})"
    assert messages.say(refused.value) == "« latin.csv » n'est pas en UTF-8 (octet 25)"


def test_a_backup_refusal_is_worded_whole_with_its_lead(french: dict[str, str]) -> None:
    """'backup not made: ' and the file's template are each translated."""
    french[BackupFailed.lead] = "sauvegarde non faite : "
    french[files.MESSAGES["exists"]] = "« {path} » existe déjà"
    assert messages.say(BackupFailed("exists", path="b.sqlite")) == \
        "Sauvegarde non faite : « b.sqlite » existe déjà"
    assert (messages.CONTEXT, BackupFailed.lead) in messages.translatable()


def test_a_written_file_that_does_not_check_out_carries_the_check(
        tmp_path: Path, french: dict[str, str]) -> None:
    """The writer's check_failed carries the check's own code as its cause."""
    def write(part: Path) -> None:
        part.write_bytes(b"")

    with pytest.raises(files.FileNotWritten) as refused:
        files.write_whole(tmp_path / "out.xlsx", write)
    assert refused.value.code == "check_failed"
    assert refused.value.params["cause"] == {"code": "written_file_empty", "params": {}}
    assert "did not check out (it is empty)" in str(refused.value)
    french[problems.TEMPLATES["written_file_empty"]] = "il est vide"
    french[files.MESSAGES["check_failed"]] = "« {path} » : mauvais fichier ({reason})"
    assert messages.say(refused.value) == \
        f"« {tmp_path / 'out.xlsx'} » : mauvais fichier (il est vide)"


def test_a_picker_entry_that_names_nothing_is_refused_with_its_coded_reason(
        qtbot: object, french: dict[str, str]) -> None:
    """A venue country typed as 'Atlantis': the course form's refusal is the core's
    venue_country_invalid carrying the country's own problem, worded in the user's language
    (it used to be English glued together in the GUI)."""
    from genebank.country_search import Scope
    from genebank.services.refusals import Refused
    from ui.views.picker import picked
    from ui.views.pickers import CountryPicker

    picker = CountryPicker(Scope.CURRENT)
    qtbot.addWidget(picker)  # type: ignore[attr-defined]
    qtbot.keyClicks(picker, "Atlantis")  # type: ignore[attr-defined]
    with pytest.raises(Refused) as refused:
        picked(picker, "venue_country_invalid")
    assert refused.value.code == "venue_country_invalid"
    assert refused.value.params["cause"] == {"code": "country_unknown",
                                             "params": {"text": "Atlantis"}}
    assert str(refused.value) == ("venue country: 'Atlantis' is not an ISO 3166 country code "
                                  "or a country name (e.g. KAZ, TUR)")
    french[problems.TEMPLATES["venue_country_invalid"]] = "pays du lieu : {reason}"
    french[problems.TEMPLATES["country_unknown"]] = "aucun pays « {text} »"
    assert messages.say(refused.value) == "Pays du lieu : aucun pays « Atlantis »"
    assert picker.problem() == "Aucun pays « Atlantis »"  # the field's tooltip too
