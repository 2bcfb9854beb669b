"""How many of an organization's customers share each duplicate key (`DuplicateCount`, SPEC
C11), kept by database triggers on the customers' table.

The list of probable duplicates shows the keys shared by two records or more. Grouping the
customers' keys to find them read every key of the organization (0.65 ms at 2,000 customers
on PostgreSQL, thirty times that at 60,000) to find perhaps none. With a count per key, kept as
records are written, the list reads a page of the keys counted twice or more from an index.

Triggers, on SQLite and PostgreSQL alike, count every way a record is written: a save, a bulk
insert (imports, the bench's seed), a merge's deletion, an organization's cascade, plain SQL.
A count that falls to zero is deleted. `ensure` creates the triggers that are missing and then
counts every key again; it runs in the migration that adds the counts and after every
`migrate` (CustomersConfig.ready): SQLite drops a table's triggers when a migration rebuilds
the table.
"""

# The SQL here is put together from the key column names (DUPLICATE_KEYS), never from input.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

from frontdesk.customers.models import DUPLICATE_KEYS

COUNTS = "customers_duplicatecount"
CUSTOMERS = "customers_customer"
TRIGGERS = ("customers_duplicate_count_insert", "customers_duplicate_count_update",
            "customers_duplicate_count_delete")


def _sqlite_add(key: str, side: str, guard: str = "") -> str:
    """Count the record's `key` once more (`side` NEW) once less (`side` OLD), in SQLite's
    trigger body; `guard` limits it to when the key changed."""
    if side == "NEW":
        return f"""
            INSERT INTO {COUNTS} (organization_id, kind, shared_key, size)
            SELECT NEW.organization_id, '{key}', NEW.{key}, 1
            WHERE NEW.{key} IS NOT NULL {guard}
            ON CONFLICT (organization_id, kind, shared_key) DO UPDATE SET size = size + 1;"""
    match = (f"organization_id = OLD.organization_id AND kind = '{key}' "
             f"AND shared_key = OLD.{key} {guard}")
    return f"""
            UPDATE {COUNTS} SET size = size - 1 WHERE {match};
            DELETE FROM {COUNTS} WHERE {match} AND size <= 0;"""


def _changed(key: str) -> str:
    return f"AND (OLD.organization_id IS NOT NEW.organization_id OR OLD.{key} IS NOT NEW.{key})"


def _sqlite() -> dict[str, str]:
    columns = ", ".join(("organization_id", *DUPLICATE_KEYS))
    return {
        TRIGGERS[0]: f"""
            CREATE TRIGGER IF NOT EXISTS {TRIGGERS[0]} AFTER INSERT ON {CUSTOMERS}
            BEGIN {"".join(_sqlite_add(key, "NEW") for key in DUPLICATE_KEYS)}
            END""",
        TRIGGERS[1]: f"""
            CREATE TRIGGER IF NOT EXISTS {TRIGGERS[1]} AFTER UPDATE OF {columns} ON {CUSTOMERS}
            BEGIN {"".join(_sqlite_add(key, "OLD", _changed(key))
                           + _sqlite_add(key, "NEW", _changed(key))
                           for key in DUPLICATE_KEYS)}
            END""",
        TRIGGERS[2]: f"""
            CREATE TRIGGER IF NOT EXISTS {TRIGGERS[2]} AFTER DELETE ON {CUSTOMERS}
            BEGIN {"".join(_sqlite_add(key, "OLD") for key in DUPLICATE_KEYS)}
            END""",
    }


def _postgresql_body() -> str:
    """One function for the three triggers: each key counted out of the old record and into
    the new one where it changed (every key on an insert or a deletion)."""
    lines = []
    for key in DUPLICATE_KEYS:
        changed = (f"OLD.organization_id IS DISTINCT FROM NEW.organization_id "
                   f"OR OLD.{key} IS DISTINCT FROM NEW.{key}")
        lines.append(f"""
            IF TG_OP = 'DELETE' THEN
                PERFORM customers_duplicate_add(OLD.organization_id, '{key}', OLD.{key}, -1);
            ELSIF TG_OP = 'INSERT' THEN
                PERFORM customers_duplicate_add(NEW.organization_id, '{key}', NEW.{key}, 1);
            ELSIF {changed} THEN
                PERFORM customers_duplicate_add(OLD.organization_id, '{key}', OLD.{key}, -1);
                PERFORM customers_duplicate_add(NEW.organization_id, '{key}', NEW.{key}, 1);
            END IF;""")
    return "".join(lines)


def _postgresql() -> dict[str, str]:
    columns = ", ".join(("organization_id", *DUPLICATE_KEYS))
    function = f"""
        CREATE OR REPLACE FUNCTION customers_duplicate_add(org bigint, k text, v text, d integer)
        RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF v IS NULL THEN
                RETURN;
            END IF;
            IF d > 0 THEN
                INSERT INTO {COUNTS} (organization_id, kind, shared_key, size)
                VALUES (org, k, v, d)
                ON CONFLICT (organization_id, kind, shared_key)
                DO UPDATE SET size = {COUNTS}.size + d;
            ELSE
                UPDATE {COUNTS} SET size = size + d
                WHERE organization_id = org AND kind = k AND shared_key = v;
                DELETE FROM {COUNTS}
                WHERE organization_id = org AND kind = k AND shared_key = v AND size <= 0;
            END IF;
        END $$;
        CREATE OR REPLACE FUNCTION customers_duplicate_count() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN {_postgresql_body()}
            RETURN NULL;
        END $$;"""
    events = {TRIGGERS[0]: "INSERT", TRIGGERS[1]: f"UPDATE OF {columns}",
              TRIGGERS[2]: "DELETE"}
    return {name: f"""{function}
        CREATE TRIGGER {name} AFTER {event} ON {CUSTOMERS}
        FOR EACH ROW EXECUTE FUNCTION customers_duplicate_count();"""
            for name, event in events.items()}


def _recount() -> list[str]:
    return [f"DELETE FROM {COUNTS}", *[
        f"""INSERT INTO {COUNTS} (organization_id, kind, shared_key, size)
            SELECT organization_id, '{key}', {key}, COUNT(*) FROM {CUSTOMERS}
            WHERE {key} IS NOT NULL GROUP BY organization_id, {key}"""
        for key in DUPLICATE_KEYS]]


def _existing(connection: BaseDatabaseWrapper, cursor: Any) -> set[str]:
    marks = ", ".join(["%s"] * len(TRIGGERS))
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       f"AND name IN ({marks})", list(TRIGGERS))
    else:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                       f"AND tgname IN ({marks})", list(TRIGGERS))
    return {row[0] for row in cursor.fetchall()}


def ensure(connection: BaseDatabaseWrapper) -> list[str]:
    """Create the triggers that are missing, then count every key again; the names created."""
    statements = {"sqlite": _sqlite, "postgresql": _postgresql}.get(connection.vendor)
    if statements is None:
        raise ImproperlyConfigured(
            f"Frontdesk runs on SQLite or PostgreSQL, not {connection.vendor}: the counts of "
            "duplicate keys are kept by triggers written for those two.")
    with connection.cursor() as cursor:
        if COUNTS not in connection.introspection.table_names(cursor):
            return []  # migrated back past the counts
        wanted = statements()
        missing = [name for name in TRIGGERS if name not in _existing(connection, cursor)]
        for name in missing:
            cursor.execute(wanted[name])
        if missing:
            for statement in _recount():
                cursor.execute(statement)
    return missing


def drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" if connection.vendor == "sqlite"
                           else f"DROP TRIGGER IF EXISTS {name} ON {CUSTOMERS}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS customers_duplicate_count()")
            cursor.execute("DROP FUNCTION IF EXISTS "
                           "customers_duplicate_add(bigint, text, text, integer)")
