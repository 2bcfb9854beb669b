"""Django's PostgreSQL backend, with its connection health check taken at most once a second,
and timestamps read by psycopg's compiled loader.

With persistent connections and health checks on (settings: CONN_MAX_AGE, conn_health_checks),
Django sends `SELECT 1` before the first query of every request: one round trip more on a page
of four to seven, a tenth of what a list page costs PostgreSQL and psycopg. Here a connection
that passed its check in the last second is taken as healthy; one idle for longer is checked
as before. A connection that breaks in between fails that request's query, and Django closes
it at the end of the request (its `errors_occurred` check), as it would without health checks.

psycopg turns a statement's `%s` into `$1 …` once per statement text, and keeps the result only
for statements of up to 4 KB (it takes longer ones for ORM inserts of many rows, each different).
A request page's one statement is 5–10 KB and the same on every visit (lib/prepared.py): it was
split with a regular expression on every request, 20 µs of the staff request page. Here psycopg
keeps statements of up to KEPT_STATEMENT_CHARS (its cache holds 128, the least used dropped).
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from typing import Any

import psycopg
import psycopg._queries
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format

CHECK_AT_MOST_EVERY = 1.0  # seconds

# The loader psycopg reads `timestamptz` with: its compiled one when psycopg's C part is
# installed (psycopg[binary]), else its Python one.
_PSYCOPG_TZ_LOADER: Any = psycopg.adapters.get_loader(
    psycopg.adapters.types["timestamptz"].oid, Format.TEXT)


class UtcTimestamptzLoader(Loader):
    """psycopg's own `timestamptz` loader, for connections in UTC. Django registers a loader of
    its own, to give values its connection's time zone: a subclass of psycopg's Python loader,
    which parses every timestamp in Python (a tenth of a list page's time on PostgreSQL). On a
    connection whose time zone is UTC (Django's, with USE_TZ and no database TIME_ZONE),
    psycopg's loader (compiled, and not a class one can derive from) gives the same instants in
    UTC; this one hands each value to it. `timezone` is what Django checks before putting its
    own loader back on a cursor."""

    timezone = dt.UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._psycopg_s = _PSYCOPG_TZ_LOADER(oid, context)
        # Its bound method itself, called by psycopg for each value without a frame of ours.
        self.load = self._psycopg_s.load  # type: ignore[method-assign]

    def load(self, data: Any) -> Any:
        return self._psycopg_s.load(data)


KEPT_STATEMENT_CHARS = 32_768
if getattr(psycopg._queries, "MAX_CACHED_STATEMENT_LENGTH", KEPT_STATEMENT_CHARS) < (
        KEPT_STATEMENT_CHARS):
    psycopg._queries.MAX_CACHED_STATEMENT_LENGTH = KEPT_STATEMENT_CHARS


@functools.lru_cache
def _adapters(template: AdaptersMap) -> AdaptersMap:
    adapters = AdaptersMap(template)
    adapters.register_loader("timestamptz", UtcTimestamptzLoader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    _checked_at = -CHECK_AT_MOST_EVERY  # monotonic time of the connection's last check

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if (settings.USE_TZ and self.timezone_name == "UTC"
                and self.timezone == UtcTimestamptzLoader.timezone and "context" in params):
            params["context"] = _adapters(params["context"])
        return params

    def close_if_health_check_failed(self) -> None:
        # Django checks once per request, at the first use of the connection (later calls in
        # the request, even inside a transaction, find `health_check_done`); so does this.
        if self.connection is None or self.health_check_done:  # type: ignore[has-type]
            return
        now = time.monotonic()
        if not self.errors_occurred and now - self._checked_at < CHECK_AT_MOST_EVERY:
            self.health_check_done = True  # answered within the second: taken as checked
            return
        super().close_if_health_check_failed()
        self._checked_at = now

    def connect(self) -> None:
        super().connect()
        # A new connection has just answered.
        self._checked_at = time.monotonic()
