"""Typed text to country: codes and names in any case, common and former names, and the
entries that could be two countries (which are asked, never guessed)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genebank import countries, db
from genebank.country_search import Scope, resolve
from genebank.mcpd import InvalidValue
from genebank.mcpd import values as v
from genebank.services.errors import ServiceError
from genebank.training import courses, participants


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
    ("SUHH", "SUN"), ("suhh", "SUN"), ("USSR", "SUN"), ("Soviet Union", "SUN"),
    ("Yugoslavia", "YUG"), ("Czechoslovakia", "CSK"), ("Turkey", "TUR"), ("JOR", "JOR"),
    ("Yemen", "YEM"), ("Viet Nam", "VNM"),
])
def test_origin_offers_former_countries(typed: str, code: str) -> None:
    """ORIGCTY may be a former country (ISO 3166-3), stored by the three letters ISO
    withdrew (SUN, YUG, CSK), found by those, its four-letter code and its names."""
    found = resolve(typed, Scope.ORIGIN)
    assert found.country is not None and found.country.code == code


@pytest.mark.parametrize("typed", ["SUHH", "USSR", "Yugoslavia", "YUCS"])
def test_a_persons_country_is_a_current_one(typed: str) -> None:
    """A person's or a venue's country cannot be a former country."""
    assert resolve(typed, Scope.CURRENT).country is None


def test_a_renamed_country_is_todays_country_in_origin_scope() -> None:
    """"Burma", BUR and BUMM in ORIGCTY are Myanmar: renamed, not dissolved."""
    for text in ("Burma", "BUR", "BUMM"):
        found = resolve(text, Scope.ORIGIN)
        assert [c.code for c in found.matches] == ["MMR"]


def test_reused_old_codes_do_not_name_former_countries() -> None:
    """BY is Belarus, not the Byelorussian SSR whose old code it was."""
    found = resolve("BY", Scope.ORIGIN)
    assert [c.code for c in found.matches] == ["BLR"]


@pytest.mark.parametrize(("raw", "code"), [
    ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Ivory Coast", "CIV"), ("SUHH", "SUN"),
    ("ussr", "SUN"),
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


def _forms(record: object) -> list[str]:
    return [v for a in ("alpha_3", "alpha_2", "name", "official_name", "common_name")
            if (v := getattr(record, a, None))]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(index=st.integers(min_value=0, max_value=len(pycountry.countries) - 1),
       form=st.integers(min_value=0, max_value=4), upper=st.lists(st.booleans(), max_size=80),
       strip_accents=st.booleans(), padding=st.sampled_from(["", " ", "  ", "\t"]),
       scope=st.sampled_from(list(Scope)))
def test_a_countrys_own_code_or_name_never_means_another(
        index: int, form: int, upper: list[bool], strip_accents: bool, padding: str,
        scope: Scope) -> None:
    """Any code or name of a country, in any case, with or without accents, is that
    country, or (if the name is shared, "Congo") is asked with it among the choices."""
    record = list(pycountry.countries)[index]
    forms = _forms(record)
    text = forms[form % len(forms)]
    if strip_accents:
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    text = "".join(c.upper() if i < len(upper) and upper[i] else c.lower()
                   for i, c in enumerate(text))
    found = resolve(padding + text + padding, scope)
    assert record.alpha_3 in {c.code for c in found.matches}
    assert found.country is None or found.country.code == record.alpha_3


@settings(max_examples=60, deadline=None, derandomize=True)
@given(index=st.integers(min_value=0, max_value=len(pycountry.historic_countries) - 1),
       lower=st.booleans())
def test_a_former_countrys_code_is_that_country_only_for_origin(index: int,
                                                                 lower: bool) -> None:
    """SUHH, YUCS... in any case are those former countries for ORIGCTY (stored by their
    withdrawn three letters, or as today's country when only renamed), nothing for a
    person."""
    record = list(pycountry.historic_countries)[index]
    code = record.alpha_4.lower() if lower else record.alpha_4
    origin = resolve(code, Scope.ORIGIN)
    assert origin.country is not None
    assert origin.country.code == countries.stored_code(record.alpha_4)
    assert resolve(code, Scope.CURRENT).country is None
