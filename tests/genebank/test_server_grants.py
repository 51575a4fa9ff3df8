"""The server's grants come from one map (genebank.users.server_grants): every table is
placed in it, and what it grants follows the roles' rights, so a new table without a
place fails here instead of being refused to everyone (or open to everyone) on a server."""

from __future__ import annotations

from genebank import server_roles
from genebank.models import Base
from genebank.users import server_grants
from genebank.users.roles import RIGHTS, Right, Role


def test_every_table_is_placed_in_the_map() -> None:
    assert server_roles.mapped_tables_missing() == set()
    known = {table.name for table in Base.metadata.sorted_tables} | {"alembic_version"}
    assert server_grants.mapped_tables() - known == set()  # no table named wrongly
    for table, columns in server_grants.PERSONAL_COLUMNS.items():
        assert columns <= set(Base.metadata.tables[table].columns.keys()), table


def test_the_grants_follow_the_rights() -> None:
    assert set(server_grants.WRITES) == set(Right)
    assert server_grants.table_privileges(Role.VIEWER) == {}
    assert not server_grants.writes_anything(Role.VIEWER)
    curator = server_grants.table_privileges(Role.CURATOR)
    assert "accession" in curator and "seed_lot" not in curator
    seed_lab = server_grants.table_privileges(Role.SEED_LABORATORY)
    assert "seed_lot" in seed_lab and "accession" not in seed_lab
    for role in Role:  # nobody writes the history but by appending to it
        assert server_grants.HISTORY_TABLE not in server_grants.table_privileges(role)
        assert server_grants.reads_personal_data(role) == \
            (Right.READ_PERSONAL_DATA in RIGHTS[role])
    assert {r for r in Role if server_grants.reads_personal_data(r)} == {
        Role.ADMINISTRATOR, Role.TRAINER, Role.DISTRIBUTION_OFFICER}
