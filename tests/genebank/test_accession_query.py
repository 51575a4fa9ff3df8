"""Searching, filtering and sorting the accession table in the database."""

from __future__ import annotations

import pytest

from genebank import db
from genebank.passport import accessions
from genebank.passport.accession_query import (
    AccessionFilter,
    SortKey,
    count_matching,
    filter_choices,
    first_page,
    matching_ids,
    table_rows,
)
from tests.conftest import passport_values

ROWS = [
    dict(ACCENUMB="KZ-0003", GENUS="Hordeum", SPECIES="vulgare", CROPNAME="barley",
         ACCENAME="Aral", ORIGCTY="KAZ", SAMPSTAT="300", STORAGE="13", ACQDATE="1990"),
    dict(ACCENUMB="KZ-0001", GENUS="Triticum", SPECIES="aestivum", CROPNAME="bread wheat",
         ACCENAME="Bogatyr", ORIGCTY="UZB", SAMPSTAT="500", STORAGE="12;13", ACQDATE="1975"),
    dict(ACCENUMB="UZ-0002", GENUS="Triticum", SPECIES="durum", CROPNAME="durum wheat",
         ACCENAME=None, ORIGCTY="KAZ", SAMPSTAT="100", STORAGE="12",
         REMARKS="COLLSRC:river bank 100% flooded", ACQDATE="2001"),
]


@pytest.fixture
def collection(database: db.Database) -> db.Database:
    with database.session_factory.begin() as session:
        for row in ROWS:
            accessions.create_accession(session, values=passport_values(**row))
    return database


def numbers(database: db.Database, where: AccessionFilter, **kwargs: object) -> list[str]:
    with database.session_factory() as session:
        ids = matching_ids(session, where, **kwargs)  # type: ignore[arg-type]
        assert count_matching(session, where) == len(ids)
        return [row.accenumb for row in table_rows(session, ids)]


@pytest.mark.parametrize(("text", "expected"), [
    ("kz-", ["KZ-0001", "KZ-0003"]),  # accession number prefix, any case
    ("bog", ["KZ-0001"]),  # name prefix
    ("hordeum", ["KZ-0003"]),  # genus
    ("Triticum dur", ["UZ-0002"]),  # genus and species
    ("wheat", ["KZ-0001", "UZ-0002"]),  # crop name
    ("river", ["UZ-0002"]),  # remarks
    ("100%", ["UZ-0002"]),  # wildcards are matched literally
    ("_", []),
    ("nothing", []),
])
def test_quick_search(collection: db.Database, text: str, expected: list[str]) -> None:
    """The quick search looks in numbers, names, taxa, crops and remarks."""
    assert numbers(collection, AccessionFilter(text=text)) == expected


@pytest.mark.parametrize(("where", "expected"), [
    (AccessionFilter(cropname="barley"), ["KZ-0003"]),
    (AccessionFilter(genus="Triticum"), ["KZ-0001", "UZ-0002"]),
    (AccessionFilter(origcty="KAZ"), ["KZ-0003", "UZ-0002"]),
    (AccessionFilter(sampstat=500), ["KZ-0001"]),
    (AccessionFilter(storage=12), ["KZ-0001", "UZ-0002"]),
    (AccessionFilter(storage=12, origcty="KAZ"), ["UZ-0002"]),
    (AccessionFilter(text="kz", genus="Triticum", storage=13), ["KZ-0001"]),
])
def test_filters_combine(collection: db.Database, where: AccessionFilter,
                         expected: list[str]) -> None:
    """Filters on crop, genus, country, SAMPSTAT and STORAGE combine with AND."""
    assert numbers(collection, where) == expected


@pytest.mark.parametrize(("sort", "expected"), [
    (SortKey.ACCENUMB, ["KZ-0001", "KZ-0003", "UZ-0002"]),
    (SortKey.TAXON, ["KZ-0003", "KZ-0001", "UZ-0002"]),
    (SortKey.CROPNAME, ["KZ-0003", "KZ-0001", "UZ-0002"]),
    (SortKey.ORIGCTY, ["KZ-0003", "UZ-0002", "KZ-0001"]),
    (SortKey.SAMPSTAT, ["UZ-0002", "KZ-0003", "KZ-0001"]),
    (SortKey.ACQDATE, ["KZ-0001", "KZ-0003", "UZ-0002"]),
    (SortKey.STORAGE, ["UZ-0002", "KZ-0001", "KZ-0003"]),
])
def test_sorting(collection: db.Database, sort: SortKey, expected: list[str]) -> None:
    """Every visible column sorts in the database, both ways."""
    assert numbers(collection, AccessionFilter(), sort=sort) == expected
    assert numbers(collection, AccessionFilter(), sort=sort, descending=True) == expected[::-1]


def test_sorting_by_name_puts_unnamed_accessions_together(collection: db.Database) -> None:
    """Accessions without a name sort before (or, descending, after) named ones."""
    order = numbers(collection, AccessionFilter(), sort=SortKey.ACCENAME)
    assert order[1:] == ["KZ-0003", "KZ-0001"]


@pytest.mark.parametrize("factor", [0.0, 1000.0])
@pytest.mark.parametrize("where", [
    AccessionFilter(origcty="KAZ"), AccessionFilter(storage=12, origcty="KAZ"),
    AccessionFilter(text="kz", storage=13, sampstat=500), AccessionFilter(),
])
def test_first_page_matches_the_full_order(collection: db.Database, where: AccessionFilter,
                                           factor: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read along the sort order or through a filter's index, the first page and its count
    are those of the full list."""
    monkeypatch.setattr("genebank.passport.accession_query.WALK_FACTOR", factor)
    with collection.session_factory() as session:
        for sort in (SortKey.TAXON, SortKey.ACCENUMB):
            full = list(matching_ids(session, where, sort=sort, descending=True))
            page = first_page(session, where, sort=sort, descending=True, limit=2)
            assert page.ids == full[:2]
            assert page.count == len(full)


def test_filter_choices_list_what_is_present(collection: db.Database) -> None:
    """The filter lists offer only crops, genera and countries in the collection."""
    with collection.session_factory() as session:
        choices = filter_choices(session)
    assert choices.cropnames == ["barley", "bread wheat", "durum wheat"]
    assert choices.genera == ["Hordeum", "Triticum"]
    assert choices.countries == ["KAZ", "UZB"]
