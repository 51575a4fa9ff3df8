"""The database refuses to change or remove a history entry or change set (migration 0014
creates the entries' triggers, 0016 the sets').

Both databases get triggers on both tables, so that neither a bug nor a SQL client can
rewrite the story; on PostgreSQL the login roles' grants (no UPDATE, DELETE or TRUNCATE on
``change_entry`` and ``change_set``) come on top. The schema owner and a database superuser
can still drop a trigger: the history is proof against mistakes and against users, not
against the database's owner.

The one exception is the erasure of a participant on request (GDPR-style): an UPDATE of
an entry whose subject is that participant is let through when it changes only
``fields`` and ``subject_key`` and when the same participant already has an
``erased`` entry written after it (:mod:`genebank.history.erasure` writes that entry first,
then blanks the older ones). Nothing is ever deleted.
"""

from __future__ import annotations

MESSAGE = "the change history is append-only"

# Every column an erasure must leave as it is: of the entries with their change sets
# (0016; who, when and why are the set's, which nothing may change) and before (0014).
KEPT = ("id", "change_set_id", "subject_type", "subject_id", "table_name", "row_id", "action")
KEPT_0014 = ("id", "at", "user_id", "user_name", "os_user", "workstation", "operation",
             "import_log_id", "reference", "subject_type", "subject_id", "table_name",
             "row_id", "action")

_ERASED_LATER = ("EXISTS (SELECT 1 FROM change_entry e WHERE e.subject_type = 'participant' "
                 "AND e.subject_id = OLD.subject_id AND e.action = 'erased' "
                 "AND e.id > OLD.id)")


def sqlite_statements(kept: tuple[str, ...] = KEPT) -> list[str]:
    """The entries' triggers (``kept``: the columns an erasure leaves, as the schema has
    them)."""
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in kept)
    return [
        f"CREATE TRIGGER change_entry_no_update BEFORE UPDATE ON change_entry "
        f"WHEN NOT (OLD.subject_type = 'participant' AND {same} AND {_ERASED_LATER}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER change_entry_no_delete BEFORE DELETE ON change_entry "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ]


def postgresql_statements(kept: tuple[str, ...] = KEPT) -> list[str]:
    same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in kept)
    return [
        f"""CREATE FUNCTION change_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.subject_type = 'participant' AND {same}
            AND {_ERASED_LATER} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$""",
        "CREATE TRIGGER change_entry_append_only BEFORE UPDATE OR DELETE ON change_entry "
        "FOR EACH ROW EXECUTE FUNCTION change_entry_append_only()",
    ]


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS change_entry_append_only ON change_entry",
                "DROP FUNCTION IF EXISTS change_entry_append_only()"]
    return ["DROP TRIGGER IF EXISTS change_entry_no_update",
            "DROP TRIGGER IF EXISTS change_entry_no_delete"]


def set_statements(dialect: str) -> list[str]:
    """The change sets' triggers: no exception (an erasure blanks entries, never a set)."""
    if dialect == "postgresql":
        return [
            f"""CREATE FUNCTION change_set_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$""",
            "CREATE TRIGGER change_set_append_only BEFORE UPDATE OR DELETE ON change_set "
            "FOR EACH ROW EXECUTE FUNCTION change_set_append_only()",
        ]
    return [f"CREATE TRIGGER change_set_no_{what} BEFORE {what.upper()} ON change_set "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END" for what in ("update", "delete")]


def drop_set_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS change_set_append_only ON change_set",
                "DROP FUNCTION IF EXISTS change_set_append_only()"]
    return ["DROP TRIGGER IF EXISTS change_set_no_update",
            "DROP TRIGGER IF EXISTS change_set_no_delete"]
