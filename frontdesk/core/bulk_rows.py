"""Bulk loading of generated rows (the bench's data): ids handed out ahead, dates stored as
given, and rows written with executemany (SQLite) or COPY (PostgreSQL) instead of model
instances. Used by `manage.py seed_bench`; not for user data (no validation beyond the model's
columns and defaults)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models

M = TypeVar("M", bound=models.Model)
BATCH = 1_000  # rows per INSERT (SQLite lowers it to fit its 999 parameters)


class IdRange:
    """Hands out ids past the largest one in use (bulk inserts name their own ids)."""

    def __init__(self, model: type[models.Model]) -> None:
        largest = model._default_manager.aggregate(m=models.Max("pk"))["m"]
        self.next_id = (largest or 0) + 1

    def take(self, count: int) -> range:
        ids = range(self.next_id, self.next_id + count)
        self.next_id += count
        return ids


@contextmanager
def stored_dates_kept(model: type[models.Model]) -> Iterator[None]:
    """Let `bulk_create` store the dates given instead of now(): auto_now(_add) fields would
    overwrite them in `pre_save`."""
    changed: list[tuple[models.DateTimeField[Any, Any], bool, bool]] = []
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, models.DateTimeField) and (
                model_field.auto_now or model_field.auto_now_add):
            changed.append((model_field, model_field.auto_now, model_field.auto_now_add))
            model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in changed:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


class Rows:
    """Rows for one model's table, written with executemany (SQLite) or COPY (PostgreSQL).

    `bulk_create` costs about 75 µs a row here (model instances, per-field preparation), which
    puts 1M requests (about 11M rows) far past ten minutes. The columns still come from the
    model: a field name that does not exist fails at once, and every field not given must have
    a default, which is stored as the model would store it.
    """

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        # Generated columns (Task.is_open) are the database's to fill.
        fields = {model_field.attname: model_field
                  for model_field in model._meta.concrete_fields
                  if not getattr(model_field, "generated", False)}
        unknown = set(names) - set(fields)
        if unknown:
            raise CommandError(f"{model.__name__} has no field(s) {sorted(unknown)}")
        rest = [model_field for name, model_field in fields.items() if name not in names]
        for model_field in rest:
            if not model_field.has_default() and not model_field.null:
                raise CommandError(f"{model.__name__}.{model_field.attname} needs a value")
        ordered = [fields[name] for name in names] + rest
        self.defaults = tuple(
            json.dumps(model_field.get_default()) if isinstance(model_field, models.JSONField)
            else model_field.get_default() for model_field in rest)
        self.table = model._meta.db_table
        self.columns = [str(model_field.column) for model_field in ordered]
        # Dates are given as naive UTC datetimes: on SQLite, Django stores their str()
        # ("YYYY-MM-DD HH:MM:SS[.ffffff]"); PostgreSQL reads them in the connection's time
        # zone, which Django sets to UTC. JSON fields are given as JSON text.
        self.dates = ([index for index, model_field in enumerate(ordered)
                       if isinstance(model_field, models.DateTimeField)]
                      if connection.vendor == "sqlite" else [])
        self.pending: list[Any] = []

    def add(self, *values: Any) -> None:
        self.pending.append(values + self.defaults)

    def write(self) -> None:
        rows = self.pending
        if self.dates:
            rows = [list(row) for row in rows]
            for row in rows:
                for index in self.dates:
                    if row[index] is not None:
                        row[index] = str(row[index])
        self.pending = []
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN"
                                        ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {quote(self.table)} ({columns}) "  # noqa: S608
                                   f"VALUES ({placeholders})", rows)


def insert(model: type[M], rows: Sequence[M]) -> None:
    with stored_dates_kept(model):
        model._default_manager.bulk_create(rows, batch_size=BATCH)


_SUPERUSER: dict[str, bool] = {}


def _is_superuser(cursor: Any) -> bool:
    if connection.alias not in _SUPERUSER:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        _SUPERUSER[connection.alias] = bool(row and row[0])
    return _SUPERUSER[connection.alias]


def skip_foreign_key_checks() -> None:
    """PostgreSQL checks each row's foreign keys at commit, one query per key and row:
    two thirds of the load time. The rows are consistent by construction, so a superuser
    (the bench's throwaway cluster) loads them without those checks, in this transaction
    only. Anyone else gets the checks. Other row triggers are skipped too: a table whose
    trigger fills a column (Assignment.is_open) is given the column's value."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if _is_superuser(cursor):
            cursor.execute("SET LOCAL session_replication_role = replica")


def reset_sequences(models_loaded: list[type[models.Model]]) -> None:
    """Rows were inserted with their ids: move the id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_loaded)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze() -> None:
    """Statistics for the planner, and on SQLite the search indexes merged (see
    customers.search_index.optimize) and the WAL folded back into the database."""
    from frontdesk.customers import search_index as customers_search
    from frontdesk.support import search_index as requests_search

    customers_search.optimize(connection)
    requests_search.optimize(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def load_fast() -> None:
    """On SQLite, for a throwaway bench database: no fsync while loading, a big page cache."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
