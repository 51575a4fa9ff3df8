"""Which tables have a change history, whose story each row belongs to, and which of their
columns are derived (kept by the services from other rows) and so are not history.

One explicit list, tested against the models (tests/genebank/test_history_tracked.py): a new
table or column must be placed here, in the story or among the derived values, or the test
fails. An accession's own rows (names, numbers, storage types, institutes, remarks) are
not tracked one by one: the accession's entry lists them as MCPD fields (ACCENAME, ...),
with the taxon's names, exactly as an import reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Audit columns and the optimistic-locking version: the entry itself says who and when.
AUDIT = frozenset({"created_at", "created_by", "updated_at", "updated_by", "version"})


@dataclass(frozen=True, slots=True)
class Tracked:
    """``subject``: the type of record whose story a row of this table belongs to.
    ``subject_column``: the row's column that holds that record's id. ``via``: when the
    column points at a parent row instead, the parent table and its column holding the
    subject's id. ``derived``: columns that are not history."""

    subject: str
    subject_column: str = "id"
    via: tuple[str, str] | None = None
    derived: frozenset[str] = frozenset()


TRACKED: dict[str, Tracked] = {
    # Passport: the accession's entry is built from its MCPD record (see accession_records).
    "accession": Tracked("accession",
                         derived=frozenset({"identity_key", "first_name", "storage_summary"})),
    "institute": Tracked("institute"),
    "taxon": Tracked("taxon", derived=frozenset({"sort_name"})),
    "collection_setting": Tracked("collection_setting", subject_column=""),
    "import_mapping": Tracked("import_mapping"),
    # Conservation: a lot's story holds its ledger lines and tests.
    "seed_lot": Tracked("seed_lot", derived=frozenset({
        "seeds_on_hand", "grams_on_hand", "initial_viability_pct", "last_viability_pct",
        "last_tested_on", "last_moisture_pct", "last_erh_pct", "next_test_due"})),
    "lot_transaction": Tracked("seed_lot", "lot_id"),
    "germination_test": Tracked("seed_lot", "lot_id", derived=frozenset({"germination_pct"})),
    "germination_replicate": Tracked("seed_lot", "test_id", via=("germination_test", "lot_id")),
    "moisture_test": Tracked("seed_lot", "lot_id"),
    "regeneration": Tracked("accession", "accession_id"),
    "safety_duplicate": Tracked("accession", "accession_id"),
    "storage_location": Tracked("storage_location"),
    "crop_rule": Tracked("crop_rule"),
    # Training: a participant's story holds their enrolments, attendance and certificates.
    "programme": Tracked("programme"),
    "course": Tracked("course"),
    "participant": Tracked("participant", derived=frozenset({"search_name", "email_key"})),
    "enrolment": Tracked("participant", "participant_id"),
    "attendance": Tracked("participant", "enrolment_id", via=("enrolment", "participant_id")),
    "certificate": Tracked("participant", "enrolment_id", via=("enrolment", "participant_id")),
    # People: who was added, disabled, given or refused a role. A password hash is never
    # copied into history (the name key is the name's folded form).
    "user_account": Tracked("user_account", derived=frozenset({"name_key", "password_hash"})),
    "user_account_role": Tracked("user_account", "user_id"),
}

# Covered by the owning accession's entry (its MCPD fields), never an entry of their own.
ACCESSION_OWNED = frozenset({"accession_name", "accession_other_number", "accession_storage",
                             "accession_institute", "accession_remark"})

# Not history at all: derived rows (a lot's flags say which rules it breaks now), the import
# log (the entries of an import point at it), and the history itself.
NOT_HISTORY = frozenset({"lot_flag", "import_log", "change_entry", "change_set",
                         "alembic_version"})

# The readable key of each subject, as "table.column" (or two joined by ":").
SUBJECT_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "accession": ("accession", ("instcode", "accenumb")),
    "institute": ("institute", ("code",)),
    "taxon": ("taxon", ("sort_name",)),
    "import_mapping": ("import_mapping", ("kind", "name")),
    "seed_lot": ("seed_lot", ("lot_number",)),
    "storage_location": ("storage_location", ("name",)),
    "crop_rule": ("crop_rule", ("genus",)),
    "programme": ("programme", ("name",)),
    "course": ("course", ("title",)),
    "participant": ("participant", ("id",)),
    "user_account": ("user_account", ("name",)),
}


def history_columns(table: str, columns: list[str]) -> list[str]:
    """The columns of ``table`` whose changes are history (the id is the entry's row_id)."""
    tracked = TRACKED[table]
    return [c for c in columns if c not in AUDIT and c != "id" and c not in tracked.derived]
