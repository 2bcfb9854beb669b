"""What the SQLite FTS5 indexes of the searches share (customers/search_index.py,
support/search_index.py): finding what of them exists, and merging them."""

# The SQL here names FTS5 tables given by those modules, never input.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def schema_names(cursor: Any) -> set[str]:
    """The names of the database's tables and triggers: what an `ensure` finds missing."""
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    return {row[0] for row in cursor.fetchall()}


def optimize(connection: BaseDatabaseWrapper, indexes: Iterable[str]) -> None:
    """Merge each FTS5 index of `indexes` that exists into one segment. Kept in step row by
    row (by triggers), an FTS5 index grows in segments that every search reads one by one
    (see customers.search_index.optimize). Nothing but on SQLite."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        existing = schema_names(cursor)
        for index in indexes:
            if index in existing:
                cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")
