"""The Genebank Standards' rules for seed lots, each at its boundaries (no database)."""

from __future__ import annotations

import datetime as dt

from genebank.conservation import conservation_rules as rules

POLICY = rules.Policy()
STORED = dt.date(2020, 3, 31)


def lot(**facts: object) -> rules.LotFacts:
    return rules.LotFacts(**{"storage_type": "base", "stored_on": STORED, **facts})  # type: ignore[arg-type]


def test_first_test_is_due_twelve_months_after_storage_on_the_day() -> None:
    untested = lot()
    assert rules.next_test_due(untested, POLICY) == dt.date(2021, 3, 31)
    assert rules.due_flag(untested, POLICY, dt.date(2021, 3, 30)) is None
    flag = rules.due_flag(untested, POLICY, dt.date(2021, 3, 31))
    assert flag is not None and flag.rule == rules.TEST_DUE
    assert flag.message == ("first viability test due by 2021-03-31 (stored 2020-03-31; "
                            "within 12 months of storage)")


def test_monitoring_interval_by_collection_and_crop() -> None:
    tested = dt.date(2016, 2, 29)
    assert rules.next_test_due(lot(last_tested_on=tested), POLICY) == dt.date(2026, 2, 28)
    assert rules.next_test_due(lot(storage_type="active", last_tested_on=tested), POLICY) \
        == dt.date(2021, 2, 28)
    sorghum = POLICY.for_crop(base_test_interval_years=7, minimum_seeds=None)
    assert rules.next_test_due(lot(last_tested_on=tested), sorghum) == dt.date(2023, 2, 28)
    flag = rules.due_flag(lot(last_tested_on=tested), POLICY, dt.date(2026, 2, 28))
    assert flag is not None and "every 10 years" in flag.message
    assert rules.next_test_due(lot(storage_type="field"), POLICY) is None
    assert rules.next_test_due(lot(status="discarded"), POLICY) is None


def test_regeneration_below_85_percent_of_initial_but_not_at_it() -> None:
    at_threshold = lot(initial_viability_pct=90.0, last_viability_pct=76.5)
    assert rules.stored_flags(at_threshold, POLICY) == []
    below = lot(initial_viability_pct=90.0, last_viability_pct=76.4)
    assert rules.stored_flags(below, POLICY) == [rules.Flag(
        rules.REGENERATE_VIABILITY,
        "viability 76.4 % is below 85 % of the initial 90 % (76.5 %)")]
    assert rules.stored_flags(lot(initial_viability_pct=100.0, last_viability_pct=85.0),
                              POLICY) == []


def test_initial_viability_below_85_percent() -> None:
    assert rules.stored_flags(lot(initial_viability_pct=85.0, last_viability_pct=85.0),
                              POLICY) == []
    flags = rules.stored_flags(lot(initial_viability_pct=84.9, last_viability_pct=84.9),
                               POLICY)
    assert [f.rule for f in flags] == [rules.REGENERATE_INITIAL]
    assert flags[0].message == "initial viability 84.9 % is below 85 %"


def test_minimum_quantity_from_the_lot_or_the_crop() -> None:
    wheat = POLICY.for_crop(minimum_seeds=1500)
    assert rules.stored_flags(lot(seeds_on_hand=1500), wheat) == []
    flags = rules.stored_flags(lot(seeds_on_hand=1499), wheat)
    assert flags == [rules.Flag(rules.BELOW_MINIMUM,
                                "1,499 seeds left, below the minimum of 1,500")]
    assert rules.stored_flags(lot(seeds_on_hand=1499, minimum_seeds=1000), wheat) == []
    assert rules.stored_flags(lot(seeds_on_hand=3), POLICY) == []  # no minimum set


def test_moisture_outside_the_target_range() -> None:
    assert rules.stored_flags(lot(last_moisture_pct=7.0, last_erh_pct=25.0), POLICY) == []
    wet = rules.stored_flags(lot(last_moisture_pct=7.1), POLICY)
    assert wet == [rules.Flag(rules.MOISTURE, "moisture 7.1 % is outside the target 3–7 %")]
    humid = rules.stored_flags(lot(last_erh_pct=31.0), POLICY)
    assert humid[0].message == "equilibrium RH 31 % is outside the target 10–25 %"
    oily = POLICY.for_crop(moisture_min_pct=2.0, moisture_max_pct=5.0)
    assert rules.stored_flags(lot(last_moisture_pct=2.5), oily) == []
