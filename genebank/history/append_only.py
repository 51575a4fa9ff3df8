"""The database refuses to change or remove a history entry (migration 0013 creates this).

Both databases get a trigger, so that neither a bug nor a SQL client can rewrite the story;
on PostgreSQL the login roles' grants (no UPDATE, DELETE or TRUNCATE on ``change_entry``)
come on top. The schema owner and a database superuser can still drop a trigger: the
history is proof against mistakes and against users, not against the database's owner.

The one exception is the erasure of a participant on request (GDPR-style): an UPDATE of
an entry whose subject is that participant is let through when it changes only
``fields``, ``subject_key`` and ``reason`` and when the same participant already has an
``erased`` entry written after it (:mod:`genebank.history.erasure` writes that entry first,
then blanks the older ones). Nothing is ever deleted.

Frozen: migrations 0014 and 0015 run these statements, so they must say what the table was
at those revisions. A later revision that changes the history's tables writes its own
triggers in its own migration (architecture rule 7: a migration never imports code that
may change later).
"""

from __future__ import annotations

MESSAGE = "the change history is append-only"

# Every column an erasure must leave as it is.
_KEPT = ("id", "at", "user_id", "user_name", "os_user", "workstation", "operation",
         "import_log_id", "reference", "subject_type", "subject_id", "table_name", "row_id",
         "action")

_ERASED_LATER = ("EXISTS (SELECT 1 FROM change_entry e WHERE e.subject_type = 'participant' "
                 "AND e.subject_id = OLD.subject_id AND e.action = 'erased' "
                 "AND e.id > OLD.id)")


def sqlite_statements() -> list[str]:
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
    return [
        f"CREATE TRIGGER change_entry_no_update BEFORE UPDATE ON change_entry "
        f"WHEN NOT (OLD.subject_type = 'participant' AND {same} AND {_ERASED_LATER}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER change_entry_no_delete BEFORE DELETE ON change_entry "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ]


def postgresql_statements() -> list[str]:
    same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT)
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
