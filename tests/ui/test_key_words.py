"""A value from a fixed set of words (an event, a status, a kind) travels as its key, and
the GUI words every member of every set in the user's language."""

from __future__ import annotations

import datetime as dt

import pytest

from genebank.conservation import seed_lots
from genebank.models.regeneration import DUPLICATE_STATUSES
from genebank.models.storage_location import STORAGE_TYPES
from genebank.models.training import COURSE_STATUSES, ENROLMENT_STATUSES, GENDERS
from genebank.services.refusals import EVENTS, Refused, check_past
from genebank.training import enrolments
from genebank.users.roles import Right, Role
from ui import messages


@pytest.mark.parametrize("keys", [EVENTS, COURSE_STATUSES, ENROLMENT_STATUSES, GENDERS,
                                  DUPLICATE_STATUSES, STORAGE_TYPES, seed_lots.WITHDRAWALS,
                                  tuple(right.value for right in Right),
                                  tuple(role.value for role in Role)])
def test_every_member_of_each_set_is_worded(keys: tuple[str, ...]) -> None:
    assert [key for key in keys if key not in messages.KEY_WORDS] == []
    assert set(messages.KEY_WORDS.values()) <= {text for _, text in messages.translatable()}


FRENCH = {
    "sowing": "semis", "harvest": "récolte", "no show": "absent",
    "the {what:word} date {day} is before the {earlier:word} date {since}":
        "la date de {what:word} {day} précède celle de {earlier:word} {since}",
    "'{status}' is not an enrolment status ({choices:keys})":
        "« {status} » n'est pas un statut d'inscription ({choices:keys})"}


def test_events_and_statuses_are_keys_worded_by_the_template_and_the_gui(
        qtbot: object, french: dict[str, str]) -> None:
    with pytest.raises(Refused) as future:
        check_past(dt.date(2030, 1, 2), what="certificate_issue", today=dt.date(2026, 1, 1))
    assert future.value.params["what"] == "certificate_issue"
    assert str(future.value).startswith("the certificate issue date 2030-01-02 is after today")
    before = Refused("not_before", what="harvest", day=dt.date(2026, 1, 1), earlier="sowing",
                     since=dt.date(2026, 2, 1))
    assert str(before) == "the harvest date 2026-01-01 is before the sowing date 2026-02-01"
    status = Refused("not_an_enrolment_status", status="maybe",
                     choices=enrolments.ENROLMENT_STATUSES)
    assert str(status) == ("'maybe' is not an enrolment status (nominated, confirmed, "
                           "attended, completed, withdrawn, no_show)")
    french.update(FRENCH)
    assert messages.say(before) == ("La date de récolte 2026-01-01 précède celle de "
                                    "semis 2026-02-01")
    assert "(nominated, confirmed, attended, completed, withdrawn, absent)" \
        in messages.say(status)


def test_a_number_travels_as_itself_and_a_huge_one_is_worded_by_its_digits(
        qtbot: object, french: dict[str, str]) -> None:
    from genebank.mcpd import values

    huge = 10**301
    with pytest.raises(values.InvalidValue) as error:
        values.parse_number(huge)
    assert error.value.params == {"value": huge}
    assert str(error.value) == "a number of 302 digits is too large a number"
    with pytest.raises(values.InvalidValue) as bounded:
        values.check_bounds(1e308, field="ELEVATION", minimum=-500, maximum=9000, unit="m")
    assert bounded.value.params["value"] == 1e308
    assert str(bounded.value).startswith("1e+308 is outside the possible range of ELEVATION")
    french.update({"a number of {digits} digits": "un nombre de {digits} chiffres",
                   "{value:number} is too large a number":
                       "{value:number} est un nombre trop grand"})
    assert messages.say(error.value) == "Un nombre de 302 chiffres est un nombre trop grand"
