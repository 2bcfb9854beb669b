"""On SQLite, a trigram index of the customers' and contacts' searched text (FTS5).

PostgreSQL answers `search_text LIKE '%term%'` from a trigram index (migration 0004). SQLite has
none for LIKE: it read every customer and every contact of the organization, a few milliseconds
at 2,000 customers, and proportionally more with more. Here each table has an FTS5 table with the
trigram tokenizer over its `search_text` (external content: the text is not stored twice), and
`LIKE '%term%'` on it is answered from the index, exactly (FTS5 checks each candidate).

It is used for terms of three characters or more without LIKE's wildcards (`covers`): FTS5 uses
its index only for a LIKE without an ESCAPE clause, and a trigram needs three characters.

Triggers keep each index in step with its table, however rows are written (ORM, bulk inserts,
SQL). `ensure` creates what is missing and rebuilds the index when a trigger was missing. It runs
in the migration that adds the index and after every `migrate` (CustomersConfig.ready): SQLite
drops a table's triggers when a migration rebuilds the table. `optimize` merges each index into
one segment, after `migrate` and after bulk loads.
"""

# The SQL here is put together from the table and index names in INDEXES, never from input.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from frontdesk.lib import fts

# table -> its index
INDEXES = {"customers_customer": "customers_customer_fts",
           "customers_contact": "customers_contact_fts"}

_LIKE_WILDCARDS = frozenset("%_\\")


def covers(term: str, digits: str | None) -> bool:
    """Whether a search for `term` (and `digits`) is answered from the index."""
    return (connections["default"].vendor == "sqlite" and len(term) >= 3
            and not _LIKE_WILDCARDS.intersection(term)
            and (digits is None or len(digits) >= 3))


def ids_sql(table: str, patterns: int) -> str:
    """The ids of `table`'s rows whose searched text is LIKE one of `patterns` parameters."""
    index = INDEXES[table]
    return " UNION ".join([f"SELECT rowid FROM {index} WHERE search_text LIKE %s"] * patterns)


def _statements(table: str, index: str) -> dict[str, str]:
    return {
        f"{index}_insert": f"""
            CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} BEGIN
                INSERT INTO {index} (rowid, search_text) VALUES (NEW.id, NEW.search_text);
            END""",
        f"{index}_delete": f"""
            CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} BEGIN
                INSERT INTO {index} ({index}, rowid, search_text)
                VALUES ('delete', OLD.id, OLD.search_text);
            END""",
        f"{index}_update": f"""
            CREATE TRIGGER IF NOT EXISTS {index}_update AFTER UPDATE ON {table}
            WHEN OLD.search_text IS NOT NEW.search_text OR OLD.id IS NOT NEW.id BEGIN
                INSERT INTO {index} ({index}, rowid, search_text)
                VALUES ('delete', OLD.id, OLD.search_text);
                INSERT INTO {index} (rowid, search_text) VALUES (NEW.id, NEW.search_text);
            END""",
    }


def ensure(connection: BaseDatabaseWrapper) -> list[str]:
    """Create the indexes and triggers that are missing, and rebuild an index that may have
    missed rows; the names created. Nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        return []
    created: list[str] = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        existing = fts.schema_names(cursor)
        for table, index in INDEXES.items():
            if table not in tables or "search_text" not in {
                    column.name for column in
                    connection.introspection.get_table_description(cursor, table)}:
                continue  # migrated back past the searched text
            missing = []
            if index not in existing:
                cursor.execute(f"CREATE VIRTUAL TABLE {index} USING fts5(search_text, "
                               f"content='{table}', content_rowid='id', tokenize='trigram')")
                missing.append(index)
            for name, statement in _statements(table, index).items():
                if name not in existing:
                    cursor.execute(statement)
                    missing.append(name)
            if missing:
                cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
            created += missing
    optimize(connection)
    return created


def optimize(connection: BaseDatabaseWrapper) -> None:
    """Merge each index into one segment. Kept in step row by row (the triggers), an FTS5
    index grows in segments that every search reads one by one: measured at 100,000 requests
    and 4,000 contacts, an e-mail search took 0.9 ms on the index the seeding built and
    0.15 ms once merged (which took 18 ms). Run after every `migrate` (`ensure`) and after bulk
    loads (core.bulk_rows.analyze). Nothing on PostgreSQL."""
    fts.optimize(connection, INDEXES.values())


def drop(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table, index in INDEXES.items():
            for name in _statements(table, index):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {index}")
