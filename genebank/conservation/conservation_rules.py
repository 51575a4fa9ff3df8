"""The FAO Genebank Standards' rules for seed lots, as pure functions of a lot's facts.

Defaults come from reference section 2 (FAO 2014 standards and IBPGR practice); a curator
overrides them per crop (:class:`genebank.models.CropRule`). Each raised :class:`Flag` names
its rule and the numbers behind it, because curators must be able to see why.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

# Rule ids, as stored in lot_flag.rule and shown in the worklists.
TEST_DUE = "test_due"
REGENERATE_VIABILITY = "regenerate_viability"
REGENERATE_INITIAL = "regenerate_initial"
BELOW_MINIMUM = "below_minimum"
MOISTURE = "moisture"
STORED_RULES = (REGENERATE_VIABILITY, REGENERATE_INITIAL, BELOW_MINIMUM, MOISTURE)
SEED_STORAGE_TYPES = ("base", "active", "short_term")


@dataclass(frozen=True, slots=True)
class Policy:
    """The numbers the rules use; ``for_crop`` lays a crop's own numbers over them."""

    base_test_interval_years: int = 10  # IBPGR: base collections at least every 10 years
    active_test_interval_years: int = 5  # active collections every 5 years
    first_test_within_months: int = 12  # standard 4.3.1
    regeneration_percent_of_initial: int = 85  # standard 4.3.4/4.4
    minimum_initial_viability_pct: float = 85.0  # standard 4.3.2
    minimum_seeds: int | None = None  # per crop, e.g. seeds for three regeneration cycles
    moisture_min_pct: float | None = 3.0  # 1994 standards: 3-7 % fresh weight
    moisture_max_pct: float | None = 7.0
    erh_min_pct: float | None = 10.0  # standard 4.2.1: dried to 10-25 % RH
    erh_max_pct: float | None = 25.0

    def for_crop(self, **overrides: int | float | None) -> Policy:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True, slots=True)
class LotFacts:
    """What the rules need to know about a lot (kept on the seed_lot row)."""

    storage_type: str
    stored_on: dt.date
    status: str = "active"
    seeds_on_hand: int | None = None
    minimum_seeds: int | None = None  # the lot's own minimum, over the crop's
    initial_viability_pct: float | None = None
    last_viability_pct: float | None = None
    last_tested_on: dt.date | None = None
    last_moisture_pct: float | None = None
    last_erh_pct: float | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    rule: str
    message: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def test_interval_years(storage_type: str, policy: Policy) -> int | None:
    if storage_type == "base":
        return policy.base_test_interval_years
    if storage_type in SEED_STORAGE_TYPES:
        return policy.active_test_interval_years
    return None  # field, in vitro and cryo collections are monitored otherwise


def next_test_due(lot: LotFacts, policy: Policy) -> dt.date | None:
    """When the lot's next viability test is due; None when no seed test applies."""
    years = test_interval_years(lot.storage_type, policy)
    if lot.status != "active" or years is None:
        return None
    if lot.last_tested_on is None:
        return add_months(lot.stored_on, policy.first_test_within_months)
    return add_months(lot.last_tested_on, 12 * years)


def due_flag(lot: LotFacts, policy: Policy, today: dt.date) -> Flag | None:
    """The test-due flag on ``today`` (due on the day itself counts as due)."""
    due = next_test_due(lot, policy)
    if due is None or due > today:
        return None
    if lot.last_tested_on is None:
        return Flag(TEST_DUE, f"first viability test due by {due:%Y-%m-%d} (stored "
                              f"{lot.stored_on:%Y-%m-%d}; within "
                              f"{policy.first_test_within_months} months of storage)")
    years = test_interval_years(lot.storage_type, policy)
    return Flag(TEST_DUE, f"viability test due by {due:%Y-%m-%d} (last test "
                          f"{lot.last_tested_on:%Y-%m-%d}; {lot.storage_type} collection: "
                          f"every {years} years)")


def stored_flags(lot: LotFacts, policy: Policy) -> list[Flag]:
    """The flags that do not depend on the date: regeneration, minimum stock, moisture."""
    if lot.status != "active":
        return []
    flags = []
    initial, last = lot.initial_viability_pct, lot.last_viability_pct
    percent = policy.regeneration_percent_of_initial
    if initial is not None and initial < policy.minimum_initial_viability_pct:
        flags.append(Flag(REGENERATE_INITIAL,
                          f"initial viability {initial:g} % is below "
                          f"{policy.minimum_initial_viability_pct:g} %"))
    # last < 85 % of initial, compared in whole numbers so that 85 % exactly is not below
    if initial is not None and last is not None and last * 100 < percent * initial:
        flags.append(Flag(REGENERATE_VIABILITY,
                          f"viability {last:g} % is below {percent} % of the initial "
                          f"{initial:g} % ({percent * initial / 100:g} %)"))
    minimum = lot.minimum_seeds if lot.minimum_seeds is not None else policy.minimum_seeds
    if minimum is not None and lot.seeds_on_hand is not None and lot.seeds_on_hand < minimum:
        flags.append(Flag(BELOW_MINIMUM, f"{lot.seeds_on_hand:,} seeds left, below the "
                                         f"minimum of {minimum:,}"))
    flags += _moisture_flags(lot, policy)
    return flags


def _moisture_flags(lot: LotFacts, policy: Policy) -> list[Flag]:
    checks = (("moisture", lot.last_moisture_pct, policy.moisture_min_pct,
               policy.moisture_max_pct),
              ("equilibrium RH", lot.last_erh_pct, policy.erh_min_pct, policy.erh_max_pct))
    for label, value, low, high in checks:
        if value is None:
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low if low is not None else 0:g}–{high if high is not None else 100:g} %"
            return [Flag(MOISTURE, f"{label} {value:g} % is outside the target {span}")]
    return []
