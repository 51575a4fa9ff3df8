"""The numbers behind the conservation rules, as a gene bank and its curators set them.

Three layers: the FAO Genebank Standards' defaults (:class:`conservation_rules.Policy`),
the gene bank's own numbers (the :class:`CropRule` row for ``ALL_CROPS``), and a crop's
(the row for its genus). Changing a layer re-judges the active lots it governs in bulk
(their next test date and flags), a chunk of lots at a time, so a million lots take
seconds per chunk of progress rather than an ORM object each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from genebank import problems
from genebank.conservation import conservation_rules as rules
from genebank.models import Accession, CropRule, LotFlag, SeedLot, Taxon
from genebank.progress import NoProgress, Progress, check
from genebank.services.bulk import audit_row, insert_rows
from genebank.services.refusals import Refused
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "rule_genus_missing": "give the genus the rule is for",
    "unknown_rule_settings": "unknown rule setting(s): {settings}",
    "rule_setting_negative": "{label} cannot be negative",
    "rule_interval_zero": "a test interval must be at least 1 year",
    "moisture_range_upside_down": "the moisture range {low:g}–{high:g} % is upside down",
})

ALL_CROPS = "*"  # the CropRule row holding the gene bank's own defaults
NUMBERS = ("base_test_interval_years", "active_test_interval_years", "minimum_seeds",
           "moisture_min_pct", "moisture_max_pct")
STANDARDS = rules.Policy()


@dataclass(frozen=True, slots=True)
class Policies:
    """The gene bank's policy and each crop's, ready to judge lots with."""

    gene_bank: rules.Policy = STANDARDS
    by_genus: dict[str, rules.Policy] = field(default_factory=dict)

    def for_genus(self, genus: str | None) -> rules.Policy:
        return self.by_genus.get(genus or "", self.gene_bank)


@everyone
def policies(session: Session) -> Policies:
    rows = {r.genus: r for r in session.scalars(select(CropRule))}
    gene_bank = _overlay(STANDARDS, rows.pop(ALL_CROPS, None))
    return Policies(gene_bank, {genus: _overlay(gene_bank, row) for genus, row in rows.items()})


@everyone
def policy_for(session: Session, lot: SeedLot) -> rules.Policy:
    """The policy for one lot: its crop's numbers over the gene bank's."""
    genus = session.scalar(select(Taxon.genus).join(Accession, Accession.taxon_id == Taxon.id)
                           .where(Accession.id == lot.accession_id))
    found = session.scalars(select(CropRule).where(
        CropRule.genus.in_((ALL_CROPS, genus or "")))).all()
    by_genus = {r.genus: r for r in found}
    return _overlay(_overlay(STANDARDS, by_genus.get(ALL_CROPS)), by_genus.get(genus or ""))


def _overlay(policy: rules.Policy, row: CropRule | None) -> rules.Policy:
    if row is None:
        return policy
    return policy.for_crop(**{name: getattr(row, name) for name in NUMBERS})


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One row of the rules table: what is set, and what applies (set or inherited)."""

    genus: str  # ALL_CROPS for the gene bank
    set: dict[str, int | float | None]
    applies: dict[str, int | float | None]


@everyone
def rules_table(session: Session) -> list[RuleRow]:
    """The gene bank's row, then every genus of the collection or with a rule."""
    rows = {r.genus: r for r in session.scalars(select(CropRule))}
    current = policies(session)
    genera = sorted({*session.scalars(select(Taxon.genus).distinct()), *rows} - {ALL_CROPS})
    table = []
    for genus in (ALL_CROPS, *genera):
        row = rows.get(genus)
        policy = current.gene_bank if genus == ALL_CROPS else current.for_genus(genus)
        table.append(RuleRow(genus, {n: getattr(row, n) if row else None for n in NUMBERS},
                             {n: getattr(policy, n) for n in NUMBERS}))
    return table


@requires(Right.MANAGE_SETTINGS)
def set_rule(session: Session, genus: str, *, progress: Progress | None = None,
             **numbers: int | float | None) -> int:
    """Set a crop's numbers (or the gene bank's, genus ``ALL_CROPS``); None inherits.

    Returns how many active lots were re-judged.
    """
    genus = genus.strip()
    if not genus:
        raise Refused("rule_genus_missing")
    unknown = set(numbers) - set(NUMBERS)
    if unknown:
        raise Refused("unknown_rule_settings", settings=", ".join(sorted(unknown)))
    for name, value in numbers.items():
        if value is not None and value < 0:
            raise Refused("rule_setting_negative", setting=name, label=name.replace("_", " "),
                          value=value)
        if name.endswith("interval_years") and value == 0:
            raise Refused("rule_interval_zero")
    low = numbers.get("moisture_min_pct")
    high = numbers.get("moisture_max_pct")
    if low is not None and high is not None and low > high:
        raise Refused("moisture_range_upside_down", low=low, high=high)
    rule = session.scalar(select(CropRule).where(CropRule.genus == genus))
    if rule is None:
        rule = CropRule(genus=genus)
        session.add(rule)
    for name, value in numbers.items():
        setattr(rule, name, value)
    session.flush()
    return rejudge(session, genus=None if genus == ALL_CROPS else genus, progress=progress)


@internal
def rejudge(session: Session, *, genus: str | None = None, chunk: int = 5000,
            progress: Progress | None = None) -> int:
    """Recompute next test dates and flags of active lots (of one genus, or all); returns
    how many lots were judged.

    Only what changes is written: a lot whose next test date stays keeps its row (its
    "last changed" and version), a lot whose flags stay keeps its flag rows, so a rule that
    does not concern a lot leaves no trace on it."""
    progress = progress or NoProgress()
    current = policies(session)
    columns = (SeedLot.id, Taxon.genus, SeedLot.next_test_due, SeedLot.storage_type,
               SeedLot.stored_on, SeedLot.seeds_on_hand, SeedLot.minimum_seeds,
               SeedLot.initial_viability_pct, SeedLot.last_viability_pct,
               SeedLot.last_tested_on, SeedLot.last_moisture_pct, SeedLot.last_erh_pct)
    chosen = (select(SeedLot.id).join(Accession, Accession.id == SeedLot.accession_id)
              .join(Taxon, Taxon.id == Accession.taxon_id).where(Taxon.genus == genus)
              if genus is not None else select(SeedLot.id))
    lot_ids = session.scalars(chosen.where(SeedLot.status == "active")
                              .order_by(SeedLot.id)).all()
    query = (select(*columns).join(Accession, Accession.id == SeedLot.accession_id)
             .outerjoin(Taxon, Taxon.id == Accession.taxon_id))
    set_due = (update(SeedLot.__table__).where(SeedLot.__table__.c.id == bindparam("lot"))
               .values(next_test_due=bindparam("due")))
    audit = audit_row(session)
    for start in range(0, len(lot_ids), chunk):
        check(progress)
        ids = lot_ids[start:start + chunk]
        stored: dict[int, list[tuple[str, str]]] = {}
        for lot_id, rule, message in session.execute(
                select(LotFlag.lot_id, LotFlag.rule, LotFlag.message)
                .where(LotFlag.lot_id.in_(ids))):
            stored.setdefault(lot_id, []).append((rule, message))
        dues, flags, reflagged = [], [], []
        for lot_id, lot_genus, old_due, *facts in session.execute(
                query.where(SeedLot.id.in_(ids))):
            lot_facts = rules.LotFacts(*facts[:2], "active", *facts[2:])
            policy = current.for_genus(lot_genus)
            due = rules.next_test_due(lot_facts, policy)
            if due != old_due:
                dues.append({"lot": lot_id, "due": due})
            judged = [(f.rule, f.message) for f in rules.stored_flags(lot_facts, policy)]
            if sorted(judged) != sorted(stored.get(lot_id, [])):
                reflagged.append(lot_id)
                flags += [(lot_id, rule, message) for rule, message in judged]
        if dues:
            session.connection().execute(set_due, dues)
        if reflagged:
            session.execute(delete(LotFlag).where(LotFlag.lot_id.in_(reflagged)))
            insert_rows(session, LotFlag.__table__, ("lot_id", "rule", "message"), flags,
                        audit)
        done = start + len(ids)
        progress.report(done, len(lot_ids), f"Re-judged {done:,} of {len(lot_ids):,} lots")
    session.expire_all()  # lots loaded before now hold the old dates
    return len(lot_ids)
