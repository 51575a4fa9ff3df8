"""Withdrawing an accession takes it out of the collection's counts, worklists, main table
and exports (its lots kept), and reinstating brings back exactly what was there, on SQLite
and PostgreSQL; each refusal is coded and writes nothing; each step is in the history."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from genebank import cli, db
from genebank.conservation import regenerations, worklists
from genebank.conservation.worklists import WorkQuery
from genebank.demo import demo
from genebank.models import Accession, LotFlag, SeedLot
from genebank.passport import accession_query, accessions, mcpd_export, withdrawals
from genebank.passport.accession_query import AccessionFilter
from genebank.reporting import stats
from genebank.services.errors import HasDependents
from genebank.services.refusals import Refused
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role

TODAY = dt.date(2026, 11, 23)


def _export(session: Session, path: Path, where: AccessionFilter) -> list[dict[str, str]]:
    ids = accession_query.matching_ids(session, where)
    mcpd_export.export_passports(session, path, ids)
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _everything(session: Session, folder: Path, name: str) -> dict[str, Any]:
    """What a person sees of the collection: counts, worklists (every item), the main
    table's rows and count, its first page, the overview's totals, the MCPD export."""
    return {
        "stats": stats.collection_stats(session),
        "overview": worklists.overview(session, today=TODAY),
        "totals": worklists.collection_totals(session),
        "lists": {w.id: list(worklists.all_items(session, WorkQuery(w.id, TODAY)))
                  for w in worklists.WORKLISTS},
        "ids": list(accession_query.matching_ids(session, AccessionFilter())),
        "count": accession_query.count_matching(session, AccessionFilter()),
        "first": accession_query.first_page(session, AccessionFilter(), limit=20),
        "wheat": list(accession_query.matching_ids(session, AccessionFilter(genus="Triticum"))),
        "export": _export(session, folder / f"{name}.csv", AccessionFilter()),
    }


def _chosen(session: Session) -> dict[str, int]:
    """Accessions that are on the lists: one whose lot is flagged, one with a safety
    duplicate, one without a base lot, and the one a duplicate is withdrawn in favour of."""
    flagged = session.scalar(select(SeedLot.accession_id).join(LotFlag).order_by(
        SeedLot.accession_id))
    with_duplicate = regenerations.duplicated_accessions().subquery()  # as stats count
    duplicated = session.scalar(select(with_duplicate.c.accession_id).where(
        with_duplicate.c.accession_id != flagged).order_by(with_duplicate.c.accession_id))
    no_base = next(item.accession_id for item in worklists.all_items(
        session, WorkQuery(worklists.WITHOUT_BASE_LOT, TODAY))
        if item.accession_id not in (flagged, duplicated))
    kept = session.scalar(select(Accession.id).where(
        Accession.id.not_in([flagged, duplicated, no_base])).order_by(Accession.id))
    return {"flagged": flagged, "duplicated": duplicated, "no_base": no_base, "kept": kept}


def test_withdrawing_takes_accessions_out_and_reinstating_restores_exactly(
        database: db.Database, tmp_path: Path) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=120, today=TODAY)
    with database.session_factory() as session:
        before = _everything(session, tmp_path, "before")
        chosen = _chosen(session)
        duplicated = set(session.scalars(regenerations.duplicated_accessions()))
        lots_before = session.execute(select(SeedLot.id, SeedLot.seeds_on_hand, SeedLot.status)
                                      .order_by(SeedLot.id)).all()
    assert before["stats"].accessions == 120 and before["stats"].withdrawn == 0
    out = [chosen["flagged"], chosen["duplicated"], chosen["no_base"]]
    with database.session_factory.begin() as session:
        withdrawals.withdraw_accession(session, out[0], on=TODAY, reason="dead")
        # on the day its lot was last used (the demo's today): not before (QA finding 6)
        withdrawals.withdraw_accession(session, out[1], on=TODAY,
                                       reason="duplicate", other=chosen["kept"],
                                       note="same seed as the kept one")
        withdrawals.withdraw_accession(session, out[2], on=TODAY, reason="transferred",
                                       note="to NOR051")
    with database.session_factory() as session:
        after = _everything(session, tmp_path, "after")
        numbers = {a.id: a.accenumb for a in session.scalars(select(Accession))}
        # the lots are kept as they were; only the lists leave them out
        assert session.execute(select(SeedLot.id, SeedLot.seeds_on_hand, SeedLot.status)
                               .order_by(SeedLot.id)).all() == lots_before
        everyone_ = _export(session, tmp_path / "all.csv", AccessionFilter(
            include_withdrawn=True))
        shown = accession_query.matching_ids(session, AccessionFilter(include_withdrawn=True))
        rows = accession_query.table_rows(session, out)
    gone = set(out)
    assert after["count"] == 117 and after["ids"] == [i for i in before["ids"] if i not in gone]
    assert after["first"].ids == [i for i in before["ids"] if i not in gone][:20]
    assert after["wheat"] == [i for i in before["wheat"] if i not in gone]
    for list_id, items in before["lists"].items():
        expected = [item for item in items if item.accession_id not in gone]
        assert after["lists"][list_id] == expected, list_id
        assert after["overview"][list_id] == len(expected), list_id
    assert any(len(after["lists"][w]) < len(before["lists"][w]) for w in after["lists"]
               if worklists.BY_ID[w].per_lot)  # a flagged lot left a list of lots
    stats_after, stats_before = after["stats"], before["stats"]
    assert stats_after.accessions == 117 == sum(stats_after.by_sampstat.values())
    assert stats_after.withdrawn == 3
    assert stats_after.withdrawn_by_reason == {"dead": 1, "duplicate": 1, "transferred": 1}
    assert chosen["duplicated"] in duplicated
    assert stats_after.with_safety_duplicate == (stats_before.with_safety_duplicate
                                                 - len(gone & duplicated))
    assert after["totals"]["accessions"] == 117
    assert [r["ACCENUMB"] for r in after["export"]] == [
        r["ACCENUMB"] for r in before["export"] if r["ACCENUMB"] not in
        {numbers[i] for i in gone}]
    # asked for, they are there: the main table's "Show withdrawn", --include-withdrawn
    assert everyone_ == before["export"] and list(shown) == before["ids"]
    assert [(r.withdrawal_reason, r.withdrawn_on) for r in rows] == [
        ("dead", TODAY), ("duplicate", TODAY), ("transferred", TODAY)]
    with database.session_factory() as session:
        with_them = stats.collection_stats(session, include_withdrawn=True)
    assert (with_them.accessions, with_them.by_storage, with_them.by_sampstat) == (
        stats_before.accessions, stats_before.by_storage, stats_before.by_sampstat)

    with database.session_factory.begin() as session:
        for accession_id in out:
            withdrawals.reinstate_accession(session, accession_id, reason="recorded in error")
    with database.session_factory() as session:
        again = _everything(session, tmp_path, "again")
    assert again == before


def test_each_withdrawal_and_reinstatement_is_in_the_history(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=5, lots=False, today=TODAY)
    with database.session_factory.begin() as session:
        withdrawals.withdraw_accession(session, "KAZ001:demo-0000002", on=TODAY,
                                       reason="merged", other="KAZ001:DEMO-0000001",
                                       note="one sample")
    with database.session_factory.begin() as session:
        withdrawals.reinstate_accession(session, "KAZ001:DEMO-0000002", reason="not merged")
    with database.engine.connect() as connection:
        entries = connection.execute(text(
            "SELECT s.operation, s.reason, s.reference, e.subject_key, e.action, e.fields "
            "FROM change_entry e JOIN change_set s ON s.id = e.change_set_id "
            "WHERE s.operation IN ('withdrawal', 'reinstatement') ORDER BY e.id")).all()
    assert [(e.operation, e.reason, e.reference, e.subject_key, e.action) for e in entries] == [
        ("withdrawal", "merged: one sample", "KAZ001:DEMO-0000001", "KAZ001:DEMO-0000002",
         "changed"),
        ("reinstatement", "not merged", "", "KAZ001:DEMO-0000002", "changed")]
    fields = [json.loads(e.fields) for e in entries]
    assert fields[0] == {"WITHDRAWN": [None, "2026-11-23"], "WITHDRAWAL_REASON": [None, "merged"],
                         "WITHDRAWN_FOR": [None, "KAZ001:DEMO-0000001"],
                         "WITHDRAWAL_NOTE": [None, "one sample"]}
    assert fields[1] == {key: [new, old] for key, (old, new) in fields[0].items()}


def _version(session: Session, accession_id: int) -> int:
    return session.scalar(select(Accession.version).where(Accession.id == accession_id))


def test_refusals_are_coded_and_write_nothing(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=4, lots=False, today=TODAY)
        withdrawals.withdraw_accession(session, 4, on=TODAY, reason="lost")
    cases = [
        (dict(key=1, on=TODAY, reason="stolen"), "withdrawal_reason_unknown"),
        (dict(key=4, on=TODAY, reason="dead"), "already_withdrawn"),
        (dict(key=1, on=TODAY + dt.timedelta(days=1), reason="dead"), "withdrawal_in_future"),
        (dict(key=1, on=TODAY, reason="duplicate"), "withdrawal_needs_other"),
        (dict(key=1, on=TODAY, reason="merged"), "withdrawal_needs_other"),
        (dict(key=1, on=TODAY, reason="duplicate", other=1), "withdrawal_other_itself"),
        (dict(key=1, on=TODAY, reason="duplicate", other="KAZ001:DEMO-0000001"),
         "withdrawal_other_itself"),
        (dict(key=1, on=TODAY, reason="lost", other=2), "withdrawal_other_not_for_reason"),
        (dict(key=1, on=TODAY, reason="duplicate", other=4), "withdrawal_other_withdrawn"),
        (dict(key="KAZ001:NOPE", on=TODAY, reason="dead"), "accession_key_unknown"),
        (dict(key="no colon", on=TODAY, reason="dead"), "accession_key_unknown"),
    ]
    for arguments, code in cases:
        with database.session_factory() as session:
            versions = [_version(session, i) for i in (1, 2, 4)]
            with pytest.raises(Exception) as refused:
                withdrawals.withdraw_accession(session, arguments.pop("key"), today=TODAY,
                                               **arguments)
            assert getattr(refused.value, "code", None) == code, arguments
            session.rollback()
            assert [_version(session, i) for i in (1, 2, 4)] == versions
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        withdrawals.reinstate_accession(session, 1)
    assert refused.value.code == "not_withdrawn"
    assert str(refused.value) == ("KAZ001:DEMO-0000001 is in the collection: only a withdrawn "
                                  "accession can be reinstated")


def test_a_viewer_may_not_withdraw_and_an_accession_kept_for_others_is_not_deleted(
        database: db.Database) -> None:
    """Withdrawing needs the passport right; deleting is the administrator's, refused while
    a withdrawn duplicate names the accession (what depends is said); deleting an accession
    made by mistake keeps its values in the history."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=3, lots=False, today=TODAY)
    viewer = Actor(None, "Пётр", frozenset({Role.VIEWER}))
    admin = Actor(None, "Hélène", frozenset({Role.ADMINISTRATOR}))
    curator = Actor(None, "Айгерим", frozenset({Role.CURATOR}))
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        withdrawals.withdraw_accession(work_as(session, viewer), 2, on=TODAY, reason="dead")
    assert refused.value.code == "not_allowed"
    with database.session_factory.begin() as session:
        withdrawals.withdraw_accession(work_as(session, curator), 2, on=TODAY,
                                       reason="duplicate", other=1)
    with database.session_factory() as session:
        with pytest.raises(Refused):
            accessions.delete_accession(work_as(session, curator), 3, expected_version=1)
        with pytest.raises(HasDependents) as depends:
            accessions.delete_accession(work_as(session, admin), 1, expected_version=1)
    assert depends.value.params["dependents"] == {"accession": 1}
    assert "accession: 1" in str(depends.value)
    with database.session_factory.begin() as session:
        accessions.delete_accession(work_as(session, admin), 3, expected_version=1)
    with database.engine.connect() as connection:
        fields = json.loads(connection.execute(text(
            "SELECT fields FROM change_entry WHERE subject_id = 3 AND action = 'deleted' "
            "AND subject_type = 'accession'")).scalar_one())
        assert connection.execute(select(func.count()).select_from(Accession)).scalar() == 2
    assert fields["ACCENUMB"] == ["DEMO-0000003", None] and fields["GENUS"][1] is None


def test_the_command_line_withdraws_reinstates_and_exports_on_request(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(tmp_path / "c.sqlite")
    assert cli.main(["--database", url, "demo", "--accessions", "6"]) == 0
    capsys.readouterr()
    assert cli.main(["--database", url, "withdraw", "KAZ001:DEMO-0000002", "--reason",
                     "duplicate", "--other", "KAZ001:DEMO-0000001", "--on", "2026-01-05",
                     "--note", "same seed"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Withdrew KAZ001:DEMO-0000002 on 2026-01-05: duplicate (KAZ001:DEMO-0000001)")
    assert cli.main(["--database", url, "withdraw", "KAZ001:DEMO-0000002", "--reason",
                     "dead"]) == 1
    assert "was withdrawn already on 2026-01-05 (duplicate)" in capsys.readouterr().err
    assert cli.main(["--database", url, "stats"]) == 0
    printed = capsys.readouterr().out
    assert "Accessions: 5\n" in printed and "Withdrawn: 1 (duplicate 1)" in printed
    assert cli.main(["--database", url, "export-mcpd", str(tmp_path / "out.csv")]) == 0
    assert cli.main(["--database", url, "export-mcpd", str(tmp_path / "all.csv"),
                     "--include-withdrawn"]) == 0
    capsys.readouterr()
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as out, \
            (tmp_path / "all.csv").open(encoding="utf-8-sig") as every:
        exported = [row["ACCENUMB"] for row in csv.DictReader(out)]
        everything = [row["ACCENUMB"] for row in csv.DictReader(every)]
    assert "DEMO-0000002" not in exported and len(exported) == 5
    assert "DEMO-0000002" in everything and len(everything) == 6
    assert cli.main(["--database", url, "reinstate", "KAZ001:DEMO-0000002"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Reinstated KAZ001:DEMO-0000002: back in the collection")
    assert cli.main(["--database", url, "stats"]) == 0
    assert "Accessions: 6\n" in capsys.readouterr().out
