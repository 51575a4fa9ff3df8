"""Numbers shown under any system locale read back as the same value.

The forms show numbers in the system's regional format (its digits, marks and grouping) and
read what the user leaves there. A format the reader cannot read back makes an untouched
record impossible to save under Bengali, Marathi, Nepali or Burmese digits, or under Indian
grouping ("1,50,000"). Hypothesis runs derandomized, with bounded examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.numbers import read_number
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.waiting import done
from ui.dialogs.accession_editor import AccessionEditor
from ui.views.number_box import format_number, locale_separators

ALL_LOCALES = sorted({locale.name() for locale in QLocale.matchingLocales(
    QLocale.Language.AnyLanguage, QLocale.Script.AnyScript, QLocale.Country.AnyCountry)})
ROUND_TRIP = settings(derandomize=True, max_examples=600, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow])
WHOLE_RANGE = 10**12
DECIMALS = st.decimals(min_value=-1_000_000, max_value=1_000_000, places=6,
                       allow_nan=False, allow_infinity=False)


@pytest.fixture
def restore_locale() -> Iterator[None]:
    previous = QLocale()
    yield
    QLocale.setDefault(previous)


@ROUND_TRIP
@given(name=st.sampled_from(ALL_LOCALES),
       value=st.integers(min_value=-WHOLE_RANGE, max_value=WHOLE_RANGE))
def test_a_whole_number_shown_in_any_locale_reads_back(name: str, value: int) -> None:
    """A count shown under any of Qt's locales reads back as the same count."""
    locale = QLocale(name)
    shown = format_number(value, whole=True, locale=locale)
    assert read_number(shown, whole=True, separators=locale_separators(locale),
                       minimum=-WHOLE_RANGE, maximum=WHOLE_RANGE) == value, shown


@ROUND_TRIP
@given(name=st.sampled_from(ALL_LOCALES), value=DECIMALS)
def test_a_decimal_shown_in_any_locale_reads_back(name: str, value: Decimal) -> None:
    """A decimal (1.234 included, which could be a grouped 1234) reads back as itself."""
    locale = QLocale(name)
    meant = float(value)
    shown = format_number(meant, whole=False, locale=locale)
    assert read_number(shown, whole=False, separators=locale_separators(locale),
                       minimum=-1_000_000, maximum=1_000_000) == meant, shown


@pytest.mark.parametrize(("name", "value", "whole"), [
    ("en_IN", 150_000, True), ("hi_IN", 1_234_567, True), ("bn_BD", 150_000, True),
    ("mr_IN", 1250, True), ("ne_NP", -42, True), ("my_MM", 1_234_567, True),
    ("bn_BD", 46.8, False), ("mr_IN", -61.625, False), ("my_MM", 1250.5, False),
    ("en_US", 1.234, False), ("de_DE", -12.5, False), ("fa_IR", 0.001, False),
])
def test_named_locales_read_back(name: str, value: float, whole: bool) -> None:
    """The locales the review found (native digits, Indian grouping) read back exactly."""
    locale = QLocale(name)
    shown = format_number(value, whole=whole, locale=locale)
    assert read_number(shown, whole=whole, separators=locale_separators(locale),
                       minimum=-10**7, maximum=10**7) == value, shown


@pytest.mark.parametrize("name", ["en_IN", "hi_IN", "bn_BD", "mr_IN", "ne_NP", "my_MM"])
def test_an_untouched_accession_saves_under_native_digits_and_indian_grouping(
        qtbot: QtBot, restore_locale: None, tmp_path: object, name: str) -> None:
    """An accession with coordinates opened and saved unchanged keeps its numbers."""
    database = db.open_database(db.sqlite_url(tmp_path / "t.sqlite"), user="tester")  # type: ignore[operator]
    try:
        with database.session_factory.begin() as session:
            accession_id = accessions.create_accession(session, values=passport_values(
                ELEVATION="1250.5", COORDUNCERT="150000", DECLATITUDE="46.8",
                DECLONGITUDE="61.625")).id
        QLocale.setDefault(QLocale(name))
        editor = AccessionEditor(database.session_factory, accession_id=accession_id)
        qtbot.addWidget(editor)
        errors = [(p.field, p.message) for p in editor.check() if p.severity.name == "ERROR"]
        assert errors == []
        assert done(qtbot, editor.save())
        with database.session_factory() as session:
            values = accessions.get_passport(session, accession_id).values
        assert (values["ELEVATION"], values["COORDUNCERT"], values["DECLATITUDE"],
                values["DECLONGITUDE"]) == (1250.5, 150000, 46.8, 61.625)
    finally:
        database.close()
