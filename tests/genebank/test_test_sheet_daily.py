"""A germination sheet of daily counts (GerminaR, research trials) is told apart from a
sheet that merely lacks a column, so the technician hears why nothing is importable."""

from __future__ import annotations

import datetime as dt

from genebank.io import headings, test_sheet


def note(headers: list[object]) -> str | None:
    mapping = headings.suggest_mapping(headers, test_sheet.GERMINATION)
    said = test_sheet.daily_counts_note(headers, mapping, test_sheet.GERMINATION)
    return None if said is None else str(said)


def test_day_columns_as_people_head_them_are_daily_counts() -> None:
    """D1..Dn, a French "J1", Russian "День 1", bare day numbers, Excel dates."""
    for headers in (["Lignée", "Répétition", "J1", "J2", "J3", "J4"],
                    ["Сорт", "Повторность", "День 1", "День 2", "День 3"],
                    ["Variety", "Rep", 1, 2, 3, 7.0],
                    ["Variety", "Rep", dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 3),
                     dt.datetime(2026, 3, 4)]):
        said = note(headers)
        assert said is not None and "one row per test" in said, headers


def test_a_test_sheet_with_a_required_column_or_few_days_is_not() -> None:
    """A sheet that has a lot column is a test sheet missing something, said as such; two
    day-like headings are not enough to say what the sheet is."""
    assert note(["Lot no.", "Seeds sown", "D1", "D2", "D3"]) is None
    assert note(["Variety", "D1", "D2"]) is None
    assert test_sheet.daily_counts_note(["D1", "D2", "D3"], {}, test_sheet.MOISTURE) is None
