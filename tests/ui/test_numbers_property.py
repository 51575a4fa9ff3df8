"""Property: random values, typed in random forms by people in the six locales, or left in
a sheet's cells, are stored as what was meant or refused with a message: never changed.

Hypothesis runs derandomized (the same examples on every run) with bounded examples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank import db, mcpd
from genebank.conservation import conservation_view, seed_lots
from genebank.io import test_sheet
from genebank.io.spreadsheet import Sheet
from genebank.mcpd.validation import RANGES
from genebank.models import MoistureTest
from genebank.numbers import NumberRefused
from genebank.passport import accessions
from genebank.training import courses
from tests.conftest import passport_values
from tests.ui.test_number_fields import type_keys
from tests.ui.waiting import done
from ui.dialogs import germination_dialogs, lot_dialogs, storage_locations, training_dialogs
from ui.views.number_box import NumberBox, read_typed
from ui.views.passport_fields import LineField

LOCALES = ("en_US", "fr_FR", "ru_RU", "de_DE", "ar_JO", "ar_MA")
STYLES = ("locale", "dot", "comma", "arabic", "persian", "spaced")
ARABIC_INDIC, PERSIAN = 0x0660, 0x06F0
TODAY = dt.date.today()
PROPERTY = settings(derandomize=True, max_examples=80, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture
def restore_locale() -> Iterator[None]:
    previous = QLocale()
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def forms(sqlite_database: db.Database) -> dict[str, Callable[[], QWidget]]:
    """Each form with numeric fields, opened on a database with a lot and a programme."""
    factory = sqlite_database.session_factory
    with factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                             storage_type="base", stored_on=TODAY - dt.timedelta(days=60),
                             seeds=5000)
        programme_id = courses.add_programme(session, name="Gene bank management")
    with factory() as session:
        lot = conservation_view.accession_lots(session, accession_id, today=TODAY)[0]
    return {
        "new lot": lambda: lot_dialogs.NewLotDialog(factory, accession_id),
        "quantity": lambda: lot_dialogs.QuantityDialog(factory, lot),
        "germination": lambda: germination_dialogs.GerminationDialog(factory, lot),
        "moisture": lambda: lot_dialogs.MoistureDialog(factory, lot),
        "safety duplicate": lambda: lot_dialogs.SafetyDuplicateDialog(factory, lot),
        "regeneration": lambda: lot_dialogs.RegenerationDialog(factory, lot),
        "harvest": lambda: lot_dialogs.HarvestDialog(factory, []),
        "sowing": lambda: lot_dialogs.SowingDialog(factory, []),
        "location": lambda: storage_locations.LocationDialog(factory, None, ""),
        "course": lambda: training_dialogs.CourseDialog(factory),
        "programme": lambda: training_dialogs.ProgrammeDialog(factory, programme_id),
    }


def digits_of(text: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


def render(meant: Decimal, *, whole: bool, locale: QLocale, style: str, minus: str) -> str:
    """``meant`` as a person might type it: the locale's own way, with '.' or ',', in
    Arabic-Indic or Persian digits, or grouped with spaces."""
    places = max(0, -meant.as_tuple().exponent)  # type: ignore[operator]
    sign = minus if meant < 0 else ""
    plain = f"{abs(meant):f}"
    if style == "locale":
        if whole:
            return str(locale.toString(int(meant)))
        own = QLocale(locale)
        own.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
        return str(own.toString(float(meant), "f", places))
    if style == "comma":
        return sign + plain.replace(".", ",")
    if style == "arabic":
        return sign + digits_of(plain.replace(".", "\u066b"), ARABIC_INDIC)
    if style == "persian":
        return sign + digits_of(plain.replace(".", "\u066b"), PERSIAN)
    if style == "spaced" and whole:
        return sign + f"{abs(int(meant)):,}".replace(",", " ")
    return sign + plain


@st.composite
def typed_values(draw: st.DrawFn, *, whole: bool, minimum: float | None,
                 maximum: float | None, decimals: int | None) -> tuple[Decimal, bool]:
    """A value for a field with this range and precision, and whether it is within range."""
    places = 0 if whole else draw(st.integers(0, min(decimals if decimals is not None else 4,
                                                     4)))
    low = -10**7 if minimum is None else minimum
    high = 10**7 if maximum is None else maximum
    scale = 10**places
    if draw(st.booleans()) or (minimum is None and maximum is None):
        units = draw(st.integers(int(low * scale), int(high * scale)))
    else:  # beyond the range, near it or far
        beyond = draw(st.integers(1, 10**6))
        units = int(high * scale) + beyond if maximum is not None and (
            minimum is None or draw(st.booleans())) else int(low * scale) - beyond
    meant = Decimal(units) / scale
    return meant, (minimum is None or meant >= minimum) and (maximum is None or meant <= maximum)


def number_boxes(dialog: QWidget) -> list[NumberBox]:
    return [box for box in dialog.findChildren(NumberBox) if box.isVisibleTo(dialog)]


@PROPERTY
@given(data=st.data(), locale=st.sampled_from(LOCALES), form=st.sampled_from(
    ["new lot", "quantity", "germination", "moisture", "safety duplicate", "regeneration",
     "harvest", "sowing", "location", "course", "programme"]),
       style=st.sampled_from(STYLES), minus=st.sampled_from(["-", "\u2212"]))
def test_every_form_field_reads_what_was_meant_or_refuses(
        qtbot: QtBot, restore_locale: None, forms: dict[str, Callable[[], QWidget]],
        data: st.DataObject, locale: str, form: str, style: str, minus: str) -> None:
    """A value typed into any numeric field of the forms is read exactly or refused."""
    QLocale.setDefault(QLocale(locale))
    dialog = forms[form]()
    qtbot.addWidget(dialog)
    dialog.show()
    box = data.draw(st.sampled_from(number_boxes(dialog)))
    meant, in_range = data.draw(typed_values(whole=box.whole, minimum=box.minimum(),
                                             maximum=box.maximum(), decimals=box.decimals()))
    text = render(meant, whole=box.whole, locale=QLocale(), style=style, minus=minus)
    box.selectAll()
    box.del_()
    type_keys(qtbot, box, text)
    event("refused" if box.problem() else "read")
    if box.problem():
        assert not in_range or style not in ("locale", "arabic", "persian"), (text,
                                                                              box.problem())
        assert not done(qtbot, dialog.save())  # type: ignore[attr-defined]
        assert dialog.error.isVisible()  # type: ignore[attr-defined]
        assert box.problem()[1:] in dialog.error.text()  # type: ignore[attr-defined]
        return
    assert in_range, f"{text!r} out of range was accepted as {box.value()!r}"
    assert box.value() == (int(meant) if box.whole else float(meant))
    assert type(box.value()) is (int if box.whole else float)


@PROPERTY
@given(locale=st.sampled_from(LOCALES), style=st.sampled_from(STYLES),
       value=typed_values(whole=False, minimum=0, maximum=100, decimals=1))
def test_moisture_saved_is_what_was_typed(
        qtbot: QtBot, restore_locale: None, forms: dict[str, Callable[[], QWidget]],
        sqlite_database: db.Database, locale: str, style: str,
        value: tuple[Decimal, bool]) -> None:
    """What the moisture dialog stores is the moisture typed, or nothing and a message."""
    QLocale.setDefault(QLocale(locale))
    meant, in_range = value
    dialog = forms["moisture"]()
    qtbot.addWidget(dialog)
    dialog.show()
    type_keys(qtbot, dialog.moisture, render(meant, whole=False, locale=QLocale(),  # type: ignore[attr-defined]
                                             style=style, minus="-"))
    type_keys(qtbot, dialog.erh, "20")  # type: ignore[attr-defined]
    with sqlite_database.session_factory() as session:
        before = session.scalars(select(MoistureTest.id)).all()
    saved = done(qtbot, dialog.save())  # type: ignore[attr-defined]
    event("saved" if saved else "refused")
    with sqlite_database.session_factory() as session:
        new = session.scalars(select(MoistureTest.moisture_pct).where(
            MoistureTest.id.not_in(before))).all()
    if saved:
        assert in_range and new == [float(meant)]  # a typed 0 is 0 %, not "not measured"
    else:
        assert new == [] and dialog.error.text()  # type: ignore[attr-defined]
        assert not in_range, dialog.error.text()  # type: ignore[attr-defined]


SCORE_FIELDS = {"pre-test": (0, 100), "feedback": (1, 5)}  # as enrolments.set_scores checks


@PROPERTY
@given(data=st.data(), locale=st.sampled_from(LOCALES), style=st.sampled_from(STYLES),
       field=st.sampled_from(["pre-test", "feedback", "DECLATITUDE", "DECLONGITUDE",
                              "ELEVATION", "COORDUNCERT"]))
def test_scores_and_passport_numbers_read_what_was_meant_or_refuse(
        qtbot: QtBot, restore_locale: None, data: st.DataObject, locale: str, style: str,
        field: str) -> None:
    """Course scores and the passport form's numbers are read exactly or refused."""
    QLocale.setDefault(QLocale(locale))
    if field in SCORE_FIELDS:
        low, high = SCORE_FIELDS[field]
        meant, in_range = data.draw(typed_values(whole=False, minimum=low, maximum=high,
                                                 decimals=3))
        text = render(meant, whole=False, locale=QLocale(), style=style, minus="-")
        try:
            read = read_typed(text, whole=False, minimum=low, maximum=high)
        except NumberRefused as refused:
            assert str(refused)
            assert not in_range or style in ("dot", "comma", "spaced")
            return
        assert in_range and read == float(meant)
        return
    kind = mcpd.BY_CODE[field].kind
    whole = kind is mcpd.Kind.INTEGER
    low, high = passport_range(field)
    meant, in_range = data.draw(typed_values(whole=whole, minimum=low, maximum=high,
                                             decimals=6))
    editor = LineField(mcpd.BY_CODE[field])
    qtbot.addWidget(editor)
    type_keys(qtbot, editor, render(meant, whole=whole, locale=QLocale(), style=style,
                                    minus="-"))
    try:
        read = mcpd.parse_field(field, editor.raw_value())
    except mcpd.InvalidValue as refused:
        assert str(refused)
        assert not in_range or style in ("dot", "comma", "spaced")
        return
    assert in_range, f"{editor.text()!r} out of range was read as {read!r}"
    assert read == (int(meant) if whole else float(meant))


def passport_range(field: str) -> tuple[float | None, float | None]:
    """What the passport checks take for ``field``: the axis of a coordinate, the
    physically possible range of an elevation or an uncertainty."""
    if field in RANGES:
        return RANGES[field][0], RANGES[field][1]
    limit = {mcpd.Kind.LATITUDE_DECIMAL: 90,
             mcpd.Kind.LONGITUDE_DECIMAL: 180}.get(mcpd.BY_CODE[field].kind)
    return (-limit, limit) if limit else (None, None)


@st.composite
def cells(draw: st.DrawFn, *, whole: bool, minimum: float | None,
          maximum: float | None) -> tuple[object, Decimal, bool]:
    """A cell as a spreadsheet holds it: a number cell, or text written in some locale."""
    meant, in_range = draw(typed_values(whole=whole, minimum=minimum, maximum=maximum,
                                        decimals=6))
    if draw(st.booleans()):
        return (int(meant) if whole else float(meant)), meant, in_range
    locale = QLocale(draw(st.sampled_from(LOCALES)))
    text = render(meant, whole=whole, locale=locale, style=draw(st.sampled_from(STYLES)),
                  minus=draw(st.sampled_from(["-", "\u2212"])))
    return text, meant, in_range


@PROPERTY
@given(data=st.data(), field=st.sampled_from(["MOISTURE_PCT", "ERH_PCT", "SOWN", "NORMAL",
                                              "ELEVATION", "COORDUNCERT", "DECLATITUDE",
                                              "DECLONGITUDE"]))
def test_imported_number_cells_are_what_was_meant_or_refused(
        data: st.DataObject, field: str) -> None:
    """Test-sheet and MCPD numeric cells are read exactly, or refused with a message."""
    if field in ("MOISTURE_PCT", "ERH_PCT", "SOWN", "NORMAL"):
        kind = test_sheet.MOISTURE if field.endswith("PCT") else test_sheet.GERMINATION
        whole = kind == test_sheet.GERMINATION
        # A count past MAX_COUNT seeds is refused as more than a test counts.
        cell, meant, in_range = data.draw(cells(
            whole=whole, minimum=0, maximum=test_sheet.MAX_COUNT if whole else 100))
        sheet = Sheet(Path("tests.xlsx"), kind, [["Lot", "Date", field], ["L-1", TODAY, cell]],
                      [1, 2])
        rows, problems = test_sheet.read_rows(sheet, {0: "LOT", 1: "DATE", 2: field}, kind)
        mine = [p for p in problems if p.column == "C"]
        event("refused" if mine else "read")
        if mine:
            assert mine[0].message and mine[0].row == 2
            assert not in_range or isinstance(cell, str)
            return
        assert in_range and rows[0].values[field] == (int(meant) if whole else float(meant))
        return
    kind = mcpd.BY_CODE[field].kind
    whole = kind is mcpd.Kind.INTEGER
    low, high = passport_range(field)
    cell, meant, in_range = data.draw(cells(whole=whole, minimum=low, maximum=high))
    try:
        read = mcpd.parse_field(field, cell)
    except mcpd.InvalidValue as refused:
        assert str(refused)
        assert not in_range or isinstance(cell, str)
        return
    assert in_range and read == (int(meant) if whole else float(meant))


@PROPERTY
@given(field=st.sampled_from(["SAMPSTAT", "COLLSRC", "MLSSTAT", "STORAGE"]), data=st.data())
def test_imported_codes_are_what_was_meant_or_refused(field: str, data: st.DataObject) -> None:
    """Coded fields written as the code, the template's '300 Traditional cultivar/landrace'
    form, a number cell or another number are stored as that code or refused."""
    codes = mcpd.CODE_LISTS[field]
    chosen = data.draw(st.lists(st.one_of(st.sampled_from(sorted(codes)),
                                          st.integers(0, 1000)),
                                min_size=1, max_size=3 if field == "STORAGE" else 1))
    forms = []
    for code in chosen:
        form = data.draw(st.sampled_from(  # STORAGE has no list in the template
            ["code", "arabic", "decimal"] if field == "STORAGE"
            else ["code", "template", "arabic", "decimal"]))
        forms.append({"code": str(code), "template": f"{code} {codes.get(code, 'Unknown')}",
                      "arabic": digits_of(str(code), ARABIC_INDIC),
                      "decimal": f"{code}.5"}[form])
    cell: object = ";".join(forms)
    if len(chosen) == 1 and forms[0] == str(chosen[0]) and data.draw(st.booleans()):
        cell = data.draw(st.sampled_from([chosen[0], float(chosen[0])]))  # a number cell
    meant_valid = all(c in codes for c in chosen) and not any(f.endswith(".5") for f in forms)
    event("valid" if meant_valid else "invalid")
    try:
        read = mcpd.parse_field(field, cell)
    except mcpd.InvalidValue as refused:
        assert str(refused) and not meant_valid, (cell, str(refused))
        return
    assert meant_valid, f"{cell!r} was read as {read!r}"
    assert read == (sorted(set(chosen)) if field == "STORAGE" else chosen[0])
