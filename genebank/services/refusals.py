"""Refusals of the rules the FAO Genebank Standards imply, as codes with parameters.

Every refusal a rule service raises is a :class:`Refused` with a code from :data:`MESSAGES`
and the values that made it; ``str(error)`` is the English message. Keeping the texts here,
with their values as named parameters, lets the translations (a later issue) word each code
in French, Russian or Arabic without parsing English sentences.
"""

from __future__ import annotations

import datetime as dt

from genebank import problems
from genebank.services.errors import ServiceError

MESSAGES: dict[str, str] = {
    "future_date": "the {what:word} date {day} is after today ({today}): only what has "
                   "happened can be recorded",
    "not_before": "the {what:word} date {day} is before the {earlier:word} date {since}",
    "harvest_same_day": "the harvest date {day} is the sowing date: a harvest comes after "
                        "the sowing, on a later day",
    "harvest_not_sown": "record the sowing of this regeneration before its harvest",
    "certificate_before_end": "'{course}' ends on {end}: its certificates can be issued from "
                              "{first} (the day after its last day) on, not on {day}",
    "certificate_prefix_invalid": "the certificate prefix '{prefix}' cannot be used: give 1 to "
                                  "{limit} letters or digits, with single dashes between "
                                  "them, e.g. IOFS (it starts every certificate's number and "
                                  "the name of its PDF file)",
    "no_replicates": "a germination test needs at least one replicate",
    "sown_not_positive": "replicate {replicate}: the number of seeds sown must be more than 0",
    "count_negative": "replicate {replicate}: counts cannot be negative",
    "count_missing": "replicate {replicate}: give every count (normal, abnormal, dead, fresh "
                     "ungerminated, hard), 0 where there were none",
    "counts_do_not_add_up": "replicate {replicate}: normal {normal} + abnormal {abnormal} + "
                            "dead {dead} + fresh ungerminated {ungerminated} + hard {hard} = "
                            "{counted}, but {sown} seeds were sown; every seed sown is counted "
                            "in one category",
    "replicates_differ": "this test was sown as {expected} replicates of {sown_list} seeds; "
                         "the counts given are for {given} replicates of {given_list}",
    "test_not_countable": "the germination test of {day} is complete already: its counts add "
                          "up to the seeds sown",
    "test_not_found": "germination test {test_id} no longer exists",
    "tsw_worked_out": "1000-seed weight worked out as {weight} g from {seeds} seeds and "
                      "{grams} g",
    "tsw_not_workable": "{seeds:,} seeds weighing {grams:g} g give a 1000-seed weight of "
                        "{weight:g} g, outside 0.01 to {maximum:,.0f} g: check the seeds and the "
                        "weight, or give the 1000-seed weight",
    "tsw_missing": "give the 1000-seed weight in grams",
    "tsw_out_of_range": "the 1000-seed weight {weight:g} g is outside 0.01 to "
                        "{maximum:,.0f} g",
    "tsw_decimals": "the 1000-seed weight {weight:g} g has more than {decimals} decimals; it "
                    "is kept to {decimals}",
    "tsw_lot_not_active": "lot {lot} is {status}: only an active lot's 1000-seed weight can "
                          "be set",
}
problems.register(MESSAGES)  # one meaning per code, across the core


class Refused(ServiceError):
    """A refusal with a ``code`` registered in :data:`genebank.problems.TEMPLATES` (here in
    :data:`MESSAGES`, or by the service that raises it) and its ``params``."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        words = problems.template(code)  # registered wherever it is, imported if need be
        if words is None:
            raise KeyError(f"no English template is registered for the problem code {code!r}")
        super().__init__(problems.fill(words, params))


# The events whose dates the rules check (``what`` and ``earlier`` of future_date and
# not_before): keys, worded by the template (``{what:word}``) and by the GUI's table.
EVENTS = ("attendance", "certificate_issue", "confirmation", "count", "failure", "harvest",
          "sending", "sowing")


def check_past(day: dt.date, *, what: str, today: dt.date | None = None) -> None:
    """Refuse a date after today for an event that has happened (the service's own check,
    not only the date widget's: the CLI, imports and scripts come through here too);
    ``what`` is one of :data:`EVENTS`."""
    assert what in EVENTS, what
    today = today or dt.date.today()
    if day > today:
        raise Refused("future_date", what=what, day=day, today=today)
