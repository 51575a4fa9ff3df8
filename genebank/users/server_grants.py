"""What each right lets a person write on a server, table by table: the one map the
PostgreSQL grants are made from (:mod:`genebank.server_roles`), beside
:data:`genebank.users.roles.RIGHTS`, so a role's group on the server holds exactly what
the services let that role do.

Every role reads every table except personal data: the participants' identifying columns
and the name on a certificate are readable only by the roles holding
``read_personal_data`` (column grants: the others still count participants by gender,
country and institution, which is all ``genebank.training.training_reports`` reads for
them). The change history (its entries and their change sets) is appended to by everyone
(INSERT: even a viewer's own password change is an entry), never changed or removed by
anyone (no UPDATE, DELETE or TRUNCATE): an erasure's blanking goes through
the owner's ``genebank_erase_history`` function.

A new table must be placed here (in a right's writes, or in :data:`NOBODY_WRITES`), or
``tests/genebank/test_server_grants.py`` fails; the grants are made again from this map
after every upgrade, so placing it is all a new table needs.
"""

from __future__ import annotations

from genebank.users.roles import RIGHTS, Right, Role

ALL = ("INSERT", "UPDATE", "DELETE")
ADD_CHANGE = ("INSERT", "UPDATE")

HISTORY_TABLE = "change_entry"
# Who, when and why of the entries (one row per transaction and operation).
HISTORY_SET_TABLE = "change_set"
HISTORY_TABLES = frozenset({HISTORY_TABLE, HISTORY_SET_TABLE})

# For each right, the tables it writes and how.
WRITES: dict[Right, dict[str, tuple[str, ...]]] = {
    Right.MANAGE_USERS: {"user_account": ADD_CHANGE, "user_account_role": ALL},
    Right.MANAGE_SETTINGS: {
        "collection_setting": ALL, "crop_rule": ALL, "institute": ALL,
        # a changed rule moves the lots' next test dates (derived values)
        "seed_lot": ("UPDATE",)},
    Right.CHANGE_PASSPORT: {
        # DELETE: undoing an import removes the accessions it created (import_undo)
        # with their lists (already ALL: an update replaces them)
        "accession": ALL, "accession_name": ALL, "accession_other_number": ALL,
        "accession_storage": ALL, "accession_institute": ALL, "accession_remark": ALL,
        # DELETE on taxon and institute: the undo also removes the names it created
        # that nothing else uses
        "taxon": ALL, "institute": ALL, "import_log": ADD_CHANGE},
    Right.CHANGE_CONSERVATION: {
        "seed_lot": ADD_CHANGE, "lot_transaction": ADD_CHANGE, "lot_flag": ALL,
        "germination_test": ADD_CHANGE, "germination_replicate": ALL,
        "moisture_test": ADD_CHANGE, "regeneration": ADD_CHANGE,
        "safety_duplicate": ADD_CHANGE,
        # an empty place is removed by whoever keeps the places (remove_location)
        "storage_location": ALL,
        "institute": ("INSERT",), "import_log": ADD_CHANGE},
    Right.MANAGE_DISTRIBUTION: {},  # orders and agreements: issue [6 of 7]
    Right.CHANGE_TRAINING: {
        "programme": ADD_CHANGE, "course": ADD_CHANGE, "participant": ALL,
        "enrolment": ALL, "attendance": ALL, "certificate": ADD_CHANGE,
        "import_log": ADD_CHANGE},
    Right.READ_PERSONAL_DATA: {},  # reads only: see PERSONAL_COLUMNS
    Right.DELETE_RECORDS: {
        table: ("DELETE",) for table in (
            "accession", "accession_name", "accession_other_number", "accession_storage",
            "accession_institute", "accession_remark", "taxon", "institute", "seed_lot",
            "lot_transaction", "lot_flag", "germination_test", "germination_replicate",
            "moisture_test", "regeneration", "safety_duplicate", "storage_location",
            "crop_rule", "programme", "course", "enrolment", "attendance", "certificate",
            "import_log")},
    Right.SAVE_IMPORT_MAPPINGS: {"import_mapping": ALL},
}

# Tables only the owner writes: the schema's revision (upgrades); the history (entries and
# sets) is appended by everyone, outside this map, and changed by nobody.
NOBODY_WRITES = frozenset({"alembic_version"}) | HISTORY_TABLES

# Columns only the roles holding READ_PERSONAL_DATA may read.
PERSONAL_COLUMNS: dict[str, frozenset[str]] = {
    "participant": frozenset({"full_name", "original_name", "position", "email", "phone",
                              "languages", "notes", "search_name", "email_key"}),
    # a void certificate's reason may name the person ("wrong person: ...")
    "certificate": frozenset({"participant_name", "void_reason"}),
}
# History entries about a participant (their certificates' too) hold the same data, and
# the change sets of such entries (change_set.personal) the reasons given for them.
PERSONAL_HISTORY_SUBJECT = "participant"


def table_privileges(role: Role) -> dict[str, set[str]]:
    """Every table ``role`` writes, with the privileges (its rights' writes together)."""
    held: dict[str, set[str]] = {}
    for right in RIGHTS[role]:
        for table, privileges in WRITES[right].items():
            held.setdefault(table, set()).update(privileges)
    return held


def reads_personal_data(role: Role) -> bool:
    return Right.READ_PERSONAL_DATA in RIGHTS[role]


def writes_anything(role: Role) -> bool:
    """Whether the role's people change anything (and so append to the history)."""
    return bool(table_privileges(role))


def mapped_tables() -> frozenset[str]:
    """Every table the map places."""
    placed = set(NOBODY_WRITES)
    for writes in WRITES.values():
        placed |= writes.keys()
    return frozenset(placed)
