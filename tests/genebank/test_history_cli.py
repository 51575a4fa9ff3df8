"""`genebank history` as a tester found it (QA3 findings 3, 4, 9, 10, 11, 12): the export
refuses an existing file without --replace, writes every matching change, times are local
with their offset (the --since/--until days too, the Excel cells real date-times), an unknown
--type is refused, a viewer is told participants are left out, and the values read as the
forms show them. On both databases where it is about data."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from genebank import cli, db
from genebank.demo import demo, demo_training
from genebank.history import queries, wording
from genebank.io.history_export import headings
from genebank.models.history import ChangeEntry
from genebank.training import participants
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role

ADMIN = Actor(1, "amina", frozenset({Role.ADMINISTRATOR, Role.TRAINER}))


def _run(database: db.Database, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(["--database", database.url, *args])
        except SystemExit as exit_:  # argparse's refusals
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


def _count(database: db.Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(
            ChangeEntry.__table__)).scalar_one())


@pytest.fixture
def demo_database(database: db.Database) -> db.Database:
    """The demo collection with a training programme: several hundred changes, written
    in bulk (many share one moment)."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=40, today=dt.date(2026, 11, 23))
    with database.session_factory.begin() as session:
        demo_training.load_training_demo(session, courses=2, people=6,
                                         today=dt.date(2026, 11, 23))
    return database


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A time zone whose day differs from UTC's day now: UTC-12 before noon (UTC), UTC+13
    after 11:00, so that a day read in UTC instead of local time finds the wrong changes."""
    now = dt.datetime.now(dt.UTC)
    name = "Etc/GMT+12" if now.hour < 11 else "Etc/GMT-13"
    monkeypatch.setenv("TZ", name)
    time.tzset()
    yield name
    monkeypatch.undo()
    time.tzset()


def test_the_export_refuses_an_existing_file_without_replace(
        demo_database: db.Database, tmp_path: Path) -> None:
    """Finding 3: an existing workbook is kept, and the refusal says --replace, as every
    file-writing command does; with --replace it is written."""
    target = tmp_path / "notes.xlsx"
    target.write_text("important")
    status, out, err = _run(demo_database, "history", "--export", str(target))
    assert status == 1 and out == ""
    assert "already exists" in err and "--replace" in err
    assert target.read_text() == "important"
    # Named without its suffix: the .xlsx the export would write is the one checked.
    status, _out, err = _run(demo_database, "history", "--export", str(tmp_path / "notes"))
    assert status == 1 and "--replace" in err
    assert target.read_text() == "important"
    status, out, _err = _run(demo_database, "history", "--export", str(target), "--replace")
    assert status == 0 and out.startswith("Wrote ")
    assert openpyxl.load_workbook(target).active["B1"].value == "User"  # type: ignore[index]


def test_the_export_writes_every_change_and_the_listing_says_what_it_left_out(
        demo_database: db.Database, tmp_path: Path) -> None:
    """Finding 4: without --limit the export holds every change (more than the listing's
    200), streamed; with --limit it says how many it left out; so does the listing."""
    total = _count(demo_database)
    assert total > 400
    status, out, _err = _run(demo_database, "history", "--export", str(tmp_path / "all.xlsx"))
    assert status == 0
    assert out.strip() == f"Wrote {total:,} change(s) to {tmp_path / 'all.xlsx'}"
    rows = list(openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
                .active.iter_rows(values_only=True))  # type: ignore[union-attr]
    with demo_database.session_factory() as session:
        every = queries.recent_changes(session, limit=1_000_000)
    expected_rows = sum(max(1, len(wording.shown_fields(entry))) for entry in every)
    assert len(rows) - 1 >= total and len(rows) - 1 == expected_rows
    status, out, _err = _run(demo_database, "history", "--export", str(tmp_path / "some.xlsx"),
                             "--limit", "30")
    assert out.strip().startswith(f"Wrote 30 of {total:,} changes to ")
    status, out, _err = _run(demo_database, "history", "--limit", "5")
    lines = out.splitlines()
    assert lines[-1].startswith(f"5 of {total:,} changes shown")
    status, out, _err = _run(demo_database, "history")
    assert f"200 of {total:,} changes shown" in out


def test_changes_are_streamed_in_pages_across_equal_times(demo_database: db.Database) -> None:
    """The export's pages follow one another by time then id: a bulk write's many changes
    of one moment are neither lost nor repeated between pages."""
    with demo_database.session_factory() as session:
        every = queries.readable_changes(session, limit=1_000_000)
        streamed = list(queries.each_readable_change(session, page=7))
        assert len({e.at for e in every}) < len(every)  # moments shared by several changes
        assert [e.id for e in streamed] == [e.id for e in every]
        assert [e.id for e in queries.each_readable_change(session, page=7, limit=20)] == \
            [e.id for e in every[:20]]
        assert queries.count_readable_changes(session) == len(every)


def test_times_are_local_with_their_offset(demo_database: db.Database, zone: str,
                                           tmp_path: Path) -> None:
    """Finding 9: the listing's times are local with the offset, --since/--until are local
    days, and the Excel cells are date-times in local time with the zone in the heading."""
    with demo_database.session_factory() as session:
        newest = queries.recent_changes(session, limit=1)[0]
    local = newest.at.replace(tzinfo=dt.UTC).astimezone()
    offset = "-12:00" if zone == "Etc/GMT+12" else "+13:00"
    _status, out, _err = _run(demo_database, "history", "--limit", "1")
    assert out.startswith(f"{local:%Y-%m-%d %H:%M:%S} {offset}  ")
    day = local.date()
    assert day != newest.at.date()  # the zone was chosen so
    _status, since_today, _err = _run(demo_database, "history", "--since", f"{day}")
    assert f"{local:%Y-%m-%d %H:%M:%S}" in since_today
    _status, since_tomorrow, _err = _run(demo_database, "history", "--since",
                                         f"{day + dt.timedelta(days=1)}")
    assert since_tomorrow == ""
    _status, until_yesterday, _err = _run(demo_database, "history", "--until",
                                          f"{day - dt.timedelta(days=1)}")
    assert until_yesterday == ""
    _status, until_today, _err = _run(demo_database, "history", "--until", f"{day}",
                                      "--limit", "1")
    assert until_today.startswith(f"{local:%Y-%m-%d %H:%M:%S}")
    _run(demo_database, "history", "--export", str(tmp_path / "h.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx").active
    assert sheet["A1"].value == f"When ({zone}, UTC{offset})"  # type: ignore[index]
    assert sheet["A2"].value == local.replace(tzinfo=None, microsecond=0)  # type: ignore[index]
    assert sheet["A2"].is_date  # type: ignore[index]
    assert headings()[0] == sheet["A1"].value  # type: ignore[index]


def test_an_unknown_type_is_refused_naming_the_types(sqlite_database: db.Database) -> None:
    """Finding 10: --type seedlot is a usage error (exit 2) that names the types."""
    status, out, err = _run(sqlite_database, "history", "--type", "seedlot")
    assert status == 2 and out == ""
    assert "'seedlot'" in err and "seed_lot" in err and "participant" in err
    assert _run(sqlite_database, "history", "--type", "seed_lot")[0] == 0


def test_a_viewer_is_told_participants_are_not_shown(
        sqlite_database: db.Database, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """Finding 11: a viewer's listing and export say that participants' changes are left
    out (and which roles read them); a trainer's do not."""
    database = sqlite_database
    with database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="amina", password="first pass 1",
                                            roles=ADMIN.roles)
    with database.session_factory.begin() as session:
        work_as(session, ADMIN)
        accounts.add_user(session, name="viola", roles={Role.VIEWER}, password="viewer 22")
        participants.save_participant(session, full_name="Aigerim Nurlanovna", country="KAZ")
    monkeypatch.setenv("GENEBANK_PASSWORD", "viewer 22")
    for args in (["--type", "participant"], ["--export", str(tmp_path / "v.xlsx")]):
        status, out, _err = _run(database, "--user", "viola", "history", *args)
        assert status == 0
        assert "participants' changes are not shown: they need the role administrator, " \
               "distribution officer, trainer" in out
        assert "Aigerim" not in out
    monkeypatch.setenv("GENEBANK_PASSWORD", "first pass 1")
    status, out, _err = _run(database, "--user", "amina", "history", "--type", "participant")
    assert "not shown" not in out and "Aigerim" in out


def test_values_read_as_people_read_them(database: db.Database, tmp_path: Path) -> None:
    """Finding 12: demo training is "bulk"; 96.0 reads 96; an erased value "(erased)";
    records before sign-in "(before sign-in)"; the import number is a whole-number cell."""
    with database.session_factory.begin() as session:
        demo_training.load_training_demo(session, courses=1, people=3,
                                         today=dt.date(2026, 11, 23))
    sheet = tmp_path / "elevation.csv"
    sheet.write_text("INSTCODE,ACCENUMB,GENUS,ELEVATION\nKAZ001,KZ-1,Triticum,96\n")
    _status, _out, err = _run(database, "import-mcpd", str(sheet))
    assert _status == 0, err
    sheet.write_text("INSTCODE,ACCENUMB,GENUS,ELEVATION\nKAZ001,KZ-1,Triticum,528.5\n")
    assert _run(database, "import-mcpd", "--update", str(sheet))[0] == 0
    with database.session_factory.begin() as session:
        person = participants.save_participant(
            session, full_name="Dana Serikova", phone="+7 701 555 0101", country="KAZ")
    with database.session_factory.begin() as session:
        participants.erase(session, person)
    with database.session_factory() as session:
        training_ops = {e.operation for e in queries.recent_changes(session)
                        if e.subject_type in ("course", "participant", "programme")
                        and e.at and e.subject_id != person}
    assert training_ops == {"bulk"}
    _status, out, err = _run(database, "history", "--limit", "1000")
    assert _status == 0, err
    assert "bulk (demo training programme)" in out
    assert "    ELEVATION: 96 -> 528.5" in out
    assert "96.0" not in out
    assert "    phone: (erased)" in out and "(empty) -> (empty)" not in out
    assert "tester (before sign-in)" in out
    _run(database, "history", "--export", str(tmp_path / "h.xlsx"))
    rows = list(openpyxl.load_workbook(tmp_path / "h.xlsx").active  # type: ignore[union-attr]
                .iter_rows())
    names = [cell.value for cell in rows[0]]
    imported = [row[names.index("Import")] for row in rows[1:]
                if row[names.index("Import")].value]
    assert imported and all(cell.number_format == "0" and cell.value in (1, 2)
                            for cell in imported)
    values = {(row[names.index("Field")].value, row[names.index("Old value")].value,
               row[names.index("New value")].value) for row in rows[1:]}
    assert ("ELEVATION", 96, 528.5) in values
    assert ("phone", "(erased)", "(erased)") in values


def test_roles_read_as_people_read_them(sqlite_database: db.Database, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 12: a role given reads "role Distribution officer added", not the row's
    internals (``user_account_role 6 / user_id -> '6'``), on the command line and in Excel;
    the people's own changes name them, not "(before sign-in)"."""
    database = sqlite_database
    with database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="amina", password="first pass 1",
                                            roles=ADMIN.roles)
    with database.session_factory.begin() as session:
        work_as(session, ADMIN)
        accounts.add_user(session, name="dana", roles={Role.DISTRIBUTION_OFFICER},
                          password="officer 22")
    monkeypatch.setenv("GENEBANK_PASSWORD", "first pass 1")
    status, out, err = _run(database, "--user", "amina", "history")
    assert status == 0, err
    assert "  form  user_account dana: role Distribution officer added" in out
    assert "user_id" not in out and "user_account_role" not in out
    assert "amina [" in out or "  amina on " in out
    _run(database, "--user", "amina", "history", "--export", str(tmp_path / "h.xlsx"))
    rows = list(openpyxl.load_workbook(tmp_path / "h.xlsx").active  # type: ignore[union-attr]
                .iter_rows(values_only=True))
    assert ("role", None, "Distribution officer") in {row[13:16] for row in rows}
    assert "user_id" not in {row[13] for row in rows}


def test_an_accessions_story_is_printed_oldest_first_and_a_listing_newest_first(
        sqlite_database: db.Database) -> None:
    """The order the README states (QA session 6, smaller note): `history KAZ001:X` is a
    story, read top down, its newest change last, just above the prompt; `history --user`
    and the other listings show the newest first, as --limit keeps the newest."""
    from genebank.passport import accessions, withdrawals
    from tests.conftest import passport_values

    with sqlite_database.session_factory.begin() as session:
        accession_id = accessions.create_accession(
            session, values=passport_values(ACCENUMB="KZ-1")).id
    with sqlite_database.session_factory.begin() as session:
        withdrawals.withdraw_accession(session, accession_id, on=dt.date(2026, 11, 23),
                                       reason="lost", today=dt.date(2026, 11, 23))
    _status, story, _err = _run(sqlite_database, "history", "KAZ001:KZ-1")
    _status, listing, _err = _run(sqlite_database, "history", "--type", "accession")
    lines = [line for line in story.splitlines() if not line.startswith("    ")]
    assert len(lines) == 2 and "created" in lines[0] and "withdrawal" in lines[1]
    lines = [line for line in listing.splitlines() if not line.startswith("    ")]
    assert len(lines) == 2 and "withdrawal" in lines[0] and "created" in lines[1]
