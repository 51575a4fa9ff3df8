"""Typed text to country: codes and names in any case, common and former names, and the
entries that could be two countries (which are asked, never guessed)."""

from __future__ import annotations

import datetime as dt

import pytest

from genebank import db
from genebank.country_search import Scope, resolve
from genebank.mcpd import InvalidValue
from genebank.mcpd import values as v
from genebank.services import courses, participants
from genebank.services.errors import ServiceError


@pytest.mark.parametrize(("typed", "code"), [
    ("JOR", "JOR"), ("jor", "JOR"), ("JO", "JOR"), ("Jordan", "JOR"), ("jordan", "JOR"),
    ("JORDAN ", "JOR"), ("Jordan (JOR)", "JOR"), ("Jordanie", "JOR"), ("Иордания", "JOR"),
    ("الأردن", "JOR"),
    ("Turkey", "TUR"), ("Türkiye", "TUR"), ("turkiye", "TUR"), ("Turquie", "TUR"),
    ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Россия", "RUS"),
    ("Iran", "IRN"), ("Syria", "SYR"), ("Moldova", "MDA"), ("Bolivia", "BOL"),
    ("Venezuela", "VEN"), ("Tanzania", "TZA"), ("Vietnam", "VNM"), ("Viet Nam", "VNM"),
    ("Laos", "LAO"), ("South Korea", "KOR"), ("North Korea", "PRK"),
    ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("cote d’ivoire", "CIV"),
    ("Swaziland", "SWZ"), ("Eswatini", "SWZ"), ("Macedonia", "MKD"), ("Czech Republic", "CZE"),
    ("Cape Verde", "CPV"), ("Cabo Verde", "CPV"), ("Burma", "MMR"), ("the Gambia", "GMB"),
    ("Guinea", "GIN"), ("Sudan", "SDN"), ("Niger", "NER"), ("Yemen", "YEM"),
])
def test_codes_and_names_resolve_to_one_current_country(typed: str, code: str) -> None:
    """A code or a name, in any case, with or without accents, resolves to its country."""
    found = resolve(typed, Scope.CURRENT)
    assert found.country is not None and found.country.code == code
    assert found.problem is None


@pytest.mark.parametrize(("typed", "codes"), [
    ("Congo", {"COG", "COD"}), ("congo", {"COG", "COD"}), ("Korea", {"KOR", "PRK"}),
    ("Virgin Islands", {"VGB", "VIR"}),
])
def test_an_entry_naming_two_countries_is_asked(typed: str, codes: set[str]) -> None:
    """"Congo" is two countries: both are offered and neither is chosen."""
    found = resolve(typed, Scope.CURRENT)
    assert found.country is None
    assert {c.code for c in found.matches} == codes
    assert found.problem is not None and "choose one" in found.problem


def test_an_exact_name_wins_over_longer_names_that_contain_it() -> None:
    """"Sudan" is Sudan, though South Sudan is offered next to it."""
    found = resolve("Sudan", Scope.CURRENT)
    assert found.country is not None and found.country.code == "SDN"
    assert "SSD" in {c.code for c in found.candidates}


def test_a_partial_entry_offers_candidates_and_resolves_to_nothing() -> None:
    """"Gui" begins several names: all are offered, none is taken."""
    found = resolve("Gui", Scope.CURRENT)
    assert found.country is None and not found.matches
    assert {"GIN", "GNB", "GNQ", "PNG"} <= {c.code for c in found.candidates}
    assert found.problem is not None and "not an ISO 3166" in found.problem


@pytest.mark.parametrize("typed", ["Atlantis", "XYZ", "Narnia", "12"])
def test_unknown_text_resolves_to_nothing(typed: str) -> None:
    """Text that names no country is a problem, never a country."""
    found = resolve(typed, Scope.ORIGIN)
    assert found.country is None and not found.matches
    assert found.problem is not None and typed in found.problem


@pytest.mark.parametrize(("typed", "code"), [
    ("SUHH", "SUHH"), ("suhh", "SUHH"), ("USSR", "SUHH"), ("Soviet Union", "SUHH"),
    ("Yugoslavia", "YUCS"), ("Czechoslovakia", "CSHH"), ("Turkey", "TUR"), ("JOR", "JOR"),
    ("Yemen", "YEM"), ("Viet Nam", "VNM"),
])
def test_origin_offers_former_countries(typed: str, code: str) -> None:
    """ORIGCTY may be a former country (ISO 3166-3), stored by its four-letter code."""
    found = resolve(typed, Scope.ORIGIN)
    assert found.country is not None and found.country.code == code


@pytest.mark.parametrize("typed", ["SUHH", "USSR", "Yugoslavia", "YUCS"])
def test_a_persons_country_is_a_current_one(typed: str) -> None:
    """A person's or a venue's country cannot be a former country."""
    assert resolve(typed, Scope.CURRENT).country is None


def test_a_renamed_country_is_asked_in_origin_scope() -> None:
    """"Burma" in ORIGCTY could be today's Myanmar or the former code BUMM: asked."""
    found = resolve("Burma", Scope.ORIGIN)
    assert {c.code for c in found.matches} == {"MMR", "BUMM"} and found.country is None


def test_reused_old_codes_do_not_name_former_countries() -> None:
    """BY is Belarus, not the Byelorussian SSR whose old code it was."""
    found = resolve("BY", Scope.ORIGIN)
    assert [c.code for c in found.matches] == ["BLR"]


@pytest.mark.parametrize(("raw", "code"), [
    ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Ivory Coast", "CIV"), ("SUHH", "SUHH"),
    ("ussr", "SUHH"),
])
def test_origcty_reads_common_and_former_names(raw: str, code: str) -> None:
    """ORIGCTY in a sheet or the form takes the names people write."""
    assert v.parse_country(raw) == code


def test_origcty_refuses_an_entry_naming_two_countries() -> None:
    """An ORIGCTY of "Congo" is refused with both choices, not stored as one of them."""
    with pytest.raises(InvalidValue, match=r"COG.*COD.*choose one"):
        v.parse_country("Congo")


def test_a_participants_country_is_stored_as_typed_by_name(database: db.Database) -> None:
    """The service stores "Turkey" as TUR and refuses a former country and "Congo"."""
    with database.session_factory.begin() as session:
        person_id = participants.save_participant(session, full_name="Ayşe Yılmaz",
                                                  country="Turkey", gender="female")
        assert participants.get_participant(session, person_id).country == "TUR"
        for typed, message in (("SUHH", "not an ISO 3166"), ("Congo", "choose one")):
            with pytest.raises(ServiceError, match=message):
                participants.save_participant(session, full_name="Ivan Petrov",
                                              country=typed, gender="male")


def test_a_course_venue_country_is_stored_as_its_code(database: db.Database) -> None:
    """A venue typed as "jordan" is stored as JOR."""
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Seed conservation")
        course_id = courses.save_course(
            session, programme_id=programme, title="Seed drying", venue_country="jordan",
            start_on=dt.date(2026, 3, 2),
            end_on=dt.date(2026, 3, 4))
        assert courses.get_course(session, course_id).venue_country == "JOR"
