"""The GUI words every problem from its code and values, through Qt's translation (issue 13,
for the translations of issue 5): the core's one English template, or the GUI's own words
where they must differ; never by parsing the English."""

from __future__ import annotations

import datetime as dt

from genebank import driver_errors, problems, transactions
from genebank.services.refusals import Refused
from ui import messages


def test_a_core_refusal_is_worded_from_its_template_through_the_translation(
        french: dict[str, str]) -> None:
    """No GUI table holds 'course_full': the core's template is what is translated, and
    the values fill the translation."""
    assert "course_full" not in messages.WORDS
    french[problems.TEMPLATES["course_full"]] = "« {course} » est complet ({capacity} places)"
    refused = Refused("course_full", course="Séchage des semences", capacity=12)
    assert messages.say(refused) == "« Séchage des semences » est complet (12 places)"


def test_the_cause_of_a_refusal_is_worded_in_its_own_right(french: dict[str, str]) -> None:
    """'venue country: <why>': the why is the country's own problem, translated from its
    code and params, not the English reason the CLI prints."""
    error = Refused("venue_country_invalid", reason="(English the GUI must not show)",
                    cause={"code": "country_unknown", "params": {"text": "Atlantide"}})
    french[problems.TEMPLATES["venue_country_invalid"]] = "pays du lieu : {reason}"
    french[problems.TEMPLATES["country_unknown"]] = "« {text} » n'est pas un pays connu"
    assert messages.say(error) == "Pays du lieu : « Atlantide » n'est pas un pays connu"


def test_dates_in_params_are_written_by_the_template(french: dict[str, str]) -> None:
    refused = Refused("not_a_course_day", day=dt.date(2026, 5, 20), course="Seed drying",
                      start=dt.date(2026, 5, 11), end=dt.date(2026, 5, 15))
    assert messages.say(refused) == ("2026-05-20 is not a day of 'Seed drying' (2026-05-11 "
                                     "to 2026-05-15)")


def test_a_busy_file_and_a_busy_server_are_told_apart(french: dict[str, str]) -> None:
    on_file = transactions.DatabaseBusy(operation="Saving L-1", attempts=4, seconds=21.4,
                                        sqlite=True)
    on_server = transactions.DatabaseBusy(operation="Saving L-1", attempts=4, seconds=21.4)
    assert messages.say(on_file).startswith(
        "Saving L-1: another program or Genebank window using this file kept the database "
        "busy for 21 s (4 attempts)")
    assert messages.say(on_server).startswith(
        "Saving L-1: the database stayed busy with another workstation's work for 21 s")


def test_the_gui_holds_only_the_words_that_differ_from_the_core() -> None:
    """One English source: no GUI wording repeats a core template (the driver errors and
    the rules' refusals stood twice before)."""
    templates = problems.all_templates()
    repeated = sorted(code for code, words in messages.WORDS.items()
                      if templates.get(code.split(":")[0]) == words)
    assert repeated == []
    assert not set(driver_errors.TEMPLATES) & set(messages.WORDS)
    assert "database_busy" not in messages.WORDS


def test_every_text_the_gui_may_translate_is_listed_for_the_translation_files() -> None:
    listed = messages.translatable()
    assert {context for context, _ in listed} == {messages.CONTEXT}
    texts = {text for _, text in listed}
    assert set(problems.all_templates().values()) <= texts
    assert set(messages.WORDS.values()) <= texts
    assert len(listed) == len(texts)  # each text once


def test_english_built_beyond_its_template_is_not_cut_short() -> None:
    """A backup refused for a file writer's reason reads "backup not made: ..." in English;
    the writer's template alone would drop that, so the GUI keeps the whole English."""
    from genebank.backup import BackupFailed

    failed = BackupFailed("exists", path="b.sqlite")
    assert messages.say(failed) == ("Backup not made: 'b.sqlite' already exists; choose a "
                                    "new file name")
