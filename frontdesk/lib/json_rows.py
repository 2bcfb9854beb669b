"""A list read with the row it belongs to: a subquery's rows as one JSON array of arrays.

A request page showed its posts and its activity with a query each, after the request's own.
Each query costs its statement's round of Python (cursor, execution, conversion of every value)
and, on PostgreSQL, a round trip to the server. `JSONRows` reads such a list as a column of the
request's row instead, built by the database (`json_group_array` on SQLite, `json_agg` on
PostgreSQL); `rows_of` turns it back into a list of lists with one `json.loads`, and
`parsed_rows` into what a page shows of them, kept while the text is the same.

JSON has no dates: a date comes as its text (`datetime_of` reads it) and a boolean as 0/1 on
SQLite. The rows keep the subquery's order on both databases (an aggregate takes its rows in
the order its ordered subquery gives them, as `JoinedNames` relies on too); callers that need an
order sort again anyway, by a column they read for it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db.models import F, QuerySet, Subquery, TextField

from frontdesk.lib.kept import Kept


class JSONRows(Subquery):
    """`queryset`'s rows, each as an array of the values of `fields` (names, as `values_list`
    takes them), in one JSON array: "[]" or NULL when there are none."""

    template = "(SELECT json_group_array(json_array(%(columns)s)) FROM (%(subquery)s) json_rows)"
    output_field = TextField()

    def __init__(self, queryset: QuerySet[Any, Any], fields: tuple[str, ...]) -> None:
        # Every column under a name of ours: two related fields may share a column name.
        names = [f"c{position}" for position in range(len(fields))]
        super().__init__(queryset.values(**{name: F(field) for name, field in zip(
            names, fields, strict=True)}))
        self.extra["columns"] = ", ".join(f"json_rows.{name}" for name in names)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any
                      ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection,
                           template="(SELECT json_agg(json_build_array(%(columns)s))::text "
                                    "FROM (%(subquery)s) json_rows)", **extra_context)


def rows_of(value: str | None) -> list[list[Any]]:
    """The rows of a `JSONRows` column."""
    return json.loads(value) if value else []


T = TypeVar("T")

# Kept per process, up to PARSED_CHARS_KEPT characters of text; then everything is dropped.
PARSED_CHARS_KEPT = 2_000_000
_PARSED = Kept()
_ABSENT = object()


def parsed_rows(value: str | None, parse: Callable[..., T], *args: Hashable) -> T:
    """`parse(rows_of(value), *args)`, kept while the column's text and `args` are the same: a
    request page reads the same posts on every visit, and turning them into what it shows
    (dates, names) cost more than reading them. `parse` must give a value nobody changes (a
    tuple of tuples) that follows from the rows and `args` only: `args` name all else it
    depends on (the language its words are in …)."""
    if not value:
        return parse(rows_of(value), *args)
    key = (parse, value, *args)
    found = _PARSED.get(key, _ABSENT)
    if found is _ABSENT:
        found = parse(rows_of(value), *args)
        _PARSED.keep(key, found, PARSED_CHARS_KEPT, len(value))
    return found


def forget_parsed() -> None:
    """Drop every parse kept (tests)."""
    _PARSED.clear()


def datetime_of(text: str) -> dt.datetime:
    """A date and time of a `JSONRows` row: SQLite's stored text (UTC, without an offset) or
    PostgreSQL's ISO text (with its offset)."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
