"""Read queries built and compiled once per process, then run with new values.

Building a query with the ORM and compiling it to SQL costs far more than running it: for a
page of 25 requests, 0.6 ms of Python against 0.1 ms in the database. The hot pages ask the same
few questions on every request with different values (this organization, this member, this
cursor), so those questions are written once as a function that builds the QuerySet, and
`prepared` compiles it the first time it is called with a given shape of arguments. Later calls
put their values into the compiled statement's parameters and run it directly; the rows come
back exactly as the QuerySet would give them (model instances with their `select_related`
objects and annotations, or named tuples for `values()`/`values_list()`), through Django's own
converters.

How values find their place: the builder is first called with stand-in values (sentinels) that
cannot occur otherwise; where a sentinel shows up among the compiled parameters, the real value
goes on every call. A string that a lookup escapes for LIKE (`icontains` makes `%…%` of it) is
found escaped inside its pattern, and each call escapes its value the same way. A value the ORM
changes otherwise cannot be found, and compiling refuses it: such queries stay plain ORM.

What counts as the shape of the arguments, each shape compiled on its own: which arguments are
None, the value of booleans, and the length of lists (an `IN` list has one placeholder per
item). Ints, strings, datetimes and dates are values. Anything else is refused.

So a builder may branch on None, booleans and lengths of lists, and never on a value: it is
called with stand-ins, and a branch taken for the stand-in would be taken for every value (a
search that splits its words cannot be prepared; it stays ORM).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec

from django.conf import settings
from django.db import connections, models
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.utils import create_namedtuple_class
from django.utils.dateparse import parse_datetime

from frontdesk.lib.inserts import column_of

P = ParamSpec("P")

# Sentinels: ints far above any id, strings no one types, a datetime in 1901, a date in 1902.
_INT_BASE = 7_340_000_000_000_000
# (The underscores are LIKE wildcards: a lookup that escapes its value for LIKE shows it.)
_STR_PREFIX = "\x1fprepared_sentinel_"
_DATETIME_BASE = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_DATE_BASE = dt.date(1902, 3, 4)


def _sentinel(kind: str, number: int) -> Any:
    if kind == "int":
        return _INT_BASE + number
    if kind == "str":
        return f"{_STR_PREFIX}{number}\x1f"
    if kind == "date":
        return _DATE_BASE + dt.timedelta(days=number + 1)
    return _DATETIME_BASE + dt.timedelta(microseconds=number + 1)


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "shape"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    raise TypeError(f"prepared queries take ints, strings, datetimes, dates, bools and None, "
                    f"and lists of ints: not {type(value).__name__}")


def _adapt(connection: Any, kind: str, value: Any) -> Any:
    """A value as the ORM passes it to the database driver."""
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    if kind == "date":
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Slot:
    """Where an argument goes: its place among the parameters, which argument, and how: as
    it is, or ("like") escaped into the pattern `template` in place of `marker`."""

    position: int
    number: int
    kind: str
    template: str = ""
    marker: str = ""


@dataclass
class _Compiled:
    sql: str
    params: list[Any]
    slots: list[_Slot]
    compiler: SQLCompiler
    model_rows: bool
    row_class: Any  # the named tuple of a values() query
    using: str
    reader: _Reader | None = None


def _flatten(args: Sequence[Any]) -> tuple[list[tuple[str, Any]], tuple[Any, ...]]:
    """The arguments as (kind, value) pairs, lists spread out; and the shape of the call."""
    flat: list[tuple[str, Any]] = []
    shape: list[Any] = []
    for value in args:
        if isinstance(value, list | tuple):
            kinds = {_kind(item) for item in value}
            if kinds - {"int"}:
                raise TypeError("prepared queries take lists of ints only")
            flat.extend(("int", item) for item in value)
            shape.append(("list", len(value)))
            continue
        kind = _kind(value)
        if kind == "shape":
            shape.append(value)
        else:
            flat.append((kind, value))
            shape.append(kind)
    return flat, tuple(shape)


def _stand_ins(args: Sequence[Any]) -> list[Any]:
    """The arguments with each value replaced by a sentinel (bools and None kept)."""
    number = 0
    result: list[Any] = []
    for value in args:
        if isinstance(value, list | tuple):
            result.append([_sentinel("int", number + i) for i in range(len(value))])
            number += len(value)
        elif _kind(value) == "shape":
            result.append(value)
        else:
            result.append(_sentinel(_kind(value), number))
            number += 1
    return result


def _compile(queryset: models.QuerySet[Any], flat: list[tuple[str, Any]],
             using: str) -> _Compiled:
    if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        raise ValueError("prepared queries cannot prefetch_related; run a second one")
    if queryset._known_related_objects:  # type: ignore[attr-defined]
        raise ValueError("prepared queries cannot be built on a related manager")
    connection = connections[using]
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    params = list(params)
    where = {_adapt(connection, kind, _sentinel(kind, number)): (number, kind)
             for number, (kind, _) in enumerate(flat)}
    # A string escaped for LIKE (contains, startswith, iexact on SQLite …): the parameter is
    # the pattern around the escaped sentinel; each call puts the escaped value in its place.
    escaped = {connection.ops.prep_for_like_query(_sentinel("str", number)): number
               for number, (kind, _) in enumerate(flat) if kind == "str"}
    slots: list[_Slot] = []
    for position, param in enumerate(params):
        try:
            found = where.get(param)
        except TypeError:  # an unhashable parameter (a JSON value …): not one of ours
            continue
        if found is not None:
            slots.append(_Slot(position, found[0], found[1]))
        elif isinstance(param, str) and _STR_PREFIX[:9] in param:
            for marker, number in escaped.items():
                if marker in param:
                    slots.append(_Slot(position, number, "like", param, marker))
                    break
    missing = set(range(len(flat))) - {slot.number for slot in slots}
    if missing:
        raise ValueError(f"prepared query: argument(s) {sorted(missing)} did not reach the SQL "
                         "as parameters (unused, or changed by the lookup)")
    if _STR_PREFIX[:9] in sql or str(_INT_BASE)[:8] in sql:
        raise ValueError("prepared query: a value was written into the SQL text")
    iterable = queryset._iterable_class
    model_rows = issubclass(iterable, ModelIterable)
    query = queryset.query
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    return _Compiled(sql, params, slots, compiler, model_rows,
                     None if model_rows else create_namedtuple_class(*names), using)


def prepared(build: Callable[P, models.QuerySet[Any]]) -> Callable[P, list[Any]]:
    """Decorate a function that builds a QuerySet from its (positional) arguments; calling
    the decorated function runs that query and returns its rows as a list: model instances,
    or named tuples for `values()` and `values_list()` (named by the values' names)."""
    cache: dict[tuple[str, tuple[Any, ...]], _Compiled] = {}

    @functools.wraps(build)
    def run(*args: Any) -> list[Any]:
        compiled, params = _bound(cache, build, args)
        with connections[compiled.using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        return _rows(compiled, fetched)

    return run  # type: ignore[return-value]


def prepared_together(first: Callable[..., models.QuerySet[Any]],
                      second: Callable[..., models.QuerySet[Any]]
                      ) -> Callable[[Sequence[Any], Sequence[Any]], tuple[list[Any], list[Any]]]:
    """Two builders of queries of at most one row each (sliced `[:1]`), run as one statement:
    the function returned takes each builder's arguments and returns each query's rows, as
    `prepared` would. The second query's row comes only alongside the first's (`LEFT JOIN …
    ON TRUE`): when the first finds nothing, neither does the second.

    On PostgreSQL every statement is a round trip to the server, which costs more than a
    one-row query's own work: a page that needs two such rows reads them at once."""
    first_cache: dict[tuple[str, tuple[Any, ...]], _Compiled] = {}
    second_cache: dict[tuple[str, tuple[Any, ...]], _Compiled] = {}
    statements: dict[tuple[str, str], str] = {}

    def run(first_args: Sequence[Any], second_args: Sequence[Any]
            ) -> tuple[list[Any], list[Any]]:
        one, one_params = _bound(first_cache, first, first_args)
        other, other_params = _bound(second_cache, second, second_args)
        if one.using != other.using:
            raise ValueError("prepared_together: the queries read different databases")
        sql = statements.get((one.sql, other.sql))
        if sql is None:
            # Two compiled statements, whose values are parameters.
            sql = statements[one.sql, other.sql] = (
                f"SELECT * FROM ({one.sql}) AS first_row "  # noqa: S608
                f"LEFT JOIN ({other.sql}) AS second_row ON TRUE")
        with connections[one.using].cursor() as cursor:
            cursor.execute(sql, [*one_params, *other_params])
            fetched = cursor.fetchall()
        if not fetched:
            return [], []
        [row] = fetched
        width = one.compiler.col_count
        alongside = row[width:]
        if len(alongside) != other.compiler.col_count:
            raise ValueError("prepared_together: the row is not the two queries' columns")
        found = _rows(one, [row[:width]])
        # The LEFT JOIN's NULLs when the second query found nothing (its rows have a key).
        if all(value is None for value in alongside):
            return found, []
        return found, _rows(other, [alongside])

    return run


def _bound(cache: dict[tuple[str, tuple[Any, ...]], _Compiled],
           build: Callable[..., models.QuerySet[Any]], args: Sequence[Any],
           finish: Callable[[_Compiled], None] | None = None) -> tuple[_Compiled, list[Any]]:
    """The statement for this shape of `args` (compiled on first use, then `finish`ed), and
    its parameters with the values of `args` in their places."""
    flat, shape = _flatten(args)
    key = (connections["default"].vendor, shape)
    compiled = cache.get(key)
    if compiled is None:
        queryset = build(*_stand_ins(args))
        compiled = _compile(queryset, flat, queryset.db)
        if finish is not None:
            finish(compiled)
        cache[key] = compiled
    connection = connections[compiled.using]
    params = list(compiled.params)
    for slot in compiled.slots:
        value = flat[slot.number][1]
        if slot.kind == "like":
            params[slot.position] = slot.template.replace(
                slot.marker, connection.ops.prep_for_like_query(value))
        else:
            params[slot.position] = _adapt(connection, slot.kind, value)
    return compiled, params


def prepared_insert(model: type[models.Model]
                    ) -> Callable[[Callable[P, models.QuerySet[Any]]], Callable[P, int]]:
    """Like `prepared`, for a builder of a `values_list()` QuerySet whose names are fields of
    `model`: calling the decorated function inserts the query's rows into `model`'s table in
    one statement (INSERT … SELECT), and returns how many. The database makes the rows, so
    none is read back or built in Python. Nothing of `save()` runs (no signals, no defaults
    filled in Python): the fields not named need a default in the database or may be NULL."""

    def decorator(build: Callable[P, models.QuerySet[Any]]) -> Callable[P, int]:
        cache: dict[tuple[str, tuple[Any, ...]], _Compiled] = {}

        def finish(compiled: _Compiled) -> None:
            if compiled.model_rows or compiled.row_class is None:
                raise ValueError("prepared_insert needs a values_list() query")
            connection = connections[compiled.using]
            # The names in the order the SELECT writes them.
            names = [alias for _, _, alias in compiled.compiler.select]
            columns = ", ".join(connection.ops.quote_name(column_of(model, name or ""))
                                for name in names)
            table = connection.ops.quote_name(model._meta.db_table)
            compiled.sql = f"INSERT INTO {table} ({columns}) {compiled.sql}"

        @functools.wraps(build)
        def run(*args: Any) -> int:
            compiled, params = _bound(cache, build, args, finish)
            with connections[compiled.using].cursor() as cursor:
                cursor.execute(compiled.sql, params)
                return int(cursor.rowcount)

        return run  # type: ignore[return-value]

    return decorator


@dataclass
class _Reader:
    """What turns fetched rows into the QuerySet's results, worked out once per query."""

    converters: Any
    start: int = 0
    end: int = 0
    init_list: list[str] | None = None
    populators: list[Any] | None = None


def _sqlite_datetime(timezone: dt.tzinfo) -> Callable[[Any, Any, Any], Any]:
    """Django's SQLite converter of a stored datetime (`convert_datetimefield_value`, with
    USE_TZ on) without looking the setting and the connection's time zone up for every value:
    a request page has sixty dates."""
    def convert(value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = parse_datetime(value)
        if value.utcoffset() is None:
            value = value.replace(tzinfo=timezone)
        return value

    return convert


def _faster(converters: dict[int, tuple[list[Any], Any]], using: str
            ) -> dict[int, tuple[list[Any], Any]]:
    connection = connections[using]
    timezone = connection.timezone
    if connection.vendor != "sqlite" or not settings.USE_TZ or timezone is None:
        return converters
    ours = _sqlite_datetime(timezone)
    django_s = getattr(type(connection.ops), "convert_datetimefield_value", None)
    return {position: ([ours if getattr(converter, "__func__", None) is django_s else converter
                        for converter in chain], expression)
            for position, (chain, expression) in converters.items()}


def _reader(compiled: _Compiled) -> _Reader:
    compiler = compiled.compiler
    select = compiler.select
    reader = _Reader(_faster(
        compiler.get_converters([column[0] for column in select[:compiler.col_count]]),
        compiled.using))
    if compiled.model_rows:
        klass_info = compiler.klass_info
        assert klass_info is not None
        select_fields = klass_info["select_fields"]
        reader.start, reader.end = select_fields[0], select_fields[-1] + 1
        reader.init_list = [column[0].target.attname
                            for column in select[reader.start:reader.end]]
        # Django 5.2's signature (the stubs describe 6.0's).
        reader.populators = get_related_populators(  # type: ignore[call-arg]
            klass_info, select, compiled.using)
    return reader


def _rows(compiled: _Compiled, fetched: list[Any]) -> list[Any]:
    """What the QuerySet's iterable makes of the fetched rows (ModelIterable's steps)."""
    reader = compiled.reader
    if reader is None:
        reader = compiled.reader = _reader(compiled)
    rows: Any = fetched
    if reader.converters:
        rows = compiled.compiler.apply_converters(fetched, reader.converters)
    if not compiled.model_rows:
        make = compiled.row_class._make
        return [make(row) for row in rows]
    using, start, end = compiled.using, reader.start, reader.end
    model_cls = compiled.compiler.klass_info["model"]
    annotation_col_map = compiled.compiler.annotation_col_map
    objects = []
    for row in rows:
        obj = model_cls.from_db(using, reader.init_list, row[start:end])
        for populator in reader.populators or ():
            populator.populate(row, obj)
        if annotation_col_map:
            for attr_name, position in annotation_col_map.items():
                setattr(obj, attr_name, row[position])
        objects.append(obj)
    return objects
