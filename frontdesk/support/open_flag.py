"""The open flag of the assignments (`Assignment.is_open`), kept by database triggers.

Two triggers, on SQLite and PostgreSQL alike:
- a new assignment row takes its task's `is_open`, however it is inserted (the ORM, bulk
  inserts, `lib/inserts`, the bench's COPY);
- a task whose status opens or closes it passes its new `is_open` to its assignment rows,
  however it is updated (a save, `QuerySet.update`, SQL).

`ensure` creates whichever is missing and then brings every flag in line. It runs in the
migration that adds the flag and after every `migrate` (SupportConfig.ready): when SQLite
rebuilds a table to alter it, which a later migration of the tasks may do, the table's triggers
go with it, and this puts them back before anything reads a flag.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

ON_INSERT = "support_assignment_takes_task_open"
ON_STATUS = "support_task_open_to_assignments"
ASSIGNMENTS = "support_task_assignees"

_SQLITE = {
    ON_INSERT: """
        CREATE TRIGGER IF NOT EXISTS support_assignment_takes_task_open
        AFTER INSERT ON support_task_assignees
        BEGIN
            UPDATE support_task_assignees
            SET is_open = (SELECT is_open FROM support_task WHERE id = NEW.task_id)
            WHERE id = NEW.id;
        END""",
    ON_STATUS: """
        CREATE TRIGGER IF NOT EXISTS support_task_open_to_assignments
        AFTER UPDATE OF status ON support_task
        WHEN OLD.is_open IS NOT NEW.is_open
        BEGIN
            UPDATE support_task_assignees SET is_open = NEW.is_open WHERE task_id = NEW.id;
        END""",
}

_POSTGRESQL = {
    ON_INSERT: """
        CREATE OR REPLACE FUNCTION support_assignment_takes_task_open() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.is_open := (SELECT is_open FROM support_task WHERE id = NEW.task_id);
            RETURN NEW;
        END $$;
        CREATE TRIGGER support_assignment_takes_task_open
        BEFORE INSERT ON support_task_assignees
        FOR EACH ROW EXECUTE FUNCTION support_assignment_takes_task_open();""",
    ON_STATUS: """
        CREATE OR REPLACE FUNCTION support_task_open_to_assignments() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE support_task_assignees SET is_open = NEW.is_open WHERE task_id = NEW.id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER support_task_open_to_assignments
        AFTER UPDATE OF status ON support_task
        FOR EACH ROW WHEN (OLD.is_open IS DISTINCT FROM NEW.is_open)
        EXECUTE FUNCTION support_task_open_to_assignments();""",
}

_RESYNC = """
    UPDATE support_task_assignees
    SET is_open = (SELECT is_open FROM support_task WHERE id = task_id)
    WHERE is_open <> (SELECT is_open FROM support_task WHERE id = task_id)"""

_DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS support_assignment_takes_task_open",
               "DROP TRIGGER IF EXISTS support_task_open_to_assignments"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS support_assignment_takes_task_open ON support_task_assignees",
        "DROP TRIGGER IF EXISTS support_task_open_to_assignments ON support_task",
        "DROP FUNCTION IF EXISTS support_assignment_takes_task_open()",
        "DROP FUNCTION IF EXISTS support_task_open_to_assignments()",
    ],
}


def _existing(connection: BaseDatabaseWrapper, cursor: Any) -> set[str]:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN "
                       "(%s, %s)", [ON_INSERT, ON_STATUS])
    else:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname IN "
                       "(%s, %s)", [ON_INSERT, ON_STATUS])
    return {row[0] for row in cursor.fetchall()}


def ensure(connection: BaseDatabaseWrapper) -> list[str]:
    """Create the triggers that are missing, then correct every flag; the names created."""
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(connection.vendor)
    if statements is None:
        raise ImproperlyConfigured(
            f"Frontdesk runs on SQLite or PostgreSQL, not {connection.vendor}: the open flag "
            "of assignments is kept by triggers written for those two.")
    with connection.cursor() as cursor:
        if ASSIGNMENTS not in connection.introspection.table_names(cursor) or "is_open" not in {
                column.name for column in
                connection.introspection.get_table_description(cursor, ASSIGNMENTS)}:
            return []  # migrated back past the flag
        missing = [name for name in statements if name not in _existing(connection, cursor)]
        for name in missing:
            cursor.execute(statements[name])
        if missing:
            cursor.execute(_RESYNC)
    return missing


def drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _DROP[connection.vendor]:
            cursor.execute(statement)
