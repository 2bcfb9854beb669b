"""Django's PostgreSQL backend, with its connection health check taken at most once a second.

With persistent connections and health checks on (settings: CONN_MAX_AGE, conn_health_checks),
Django sends `SELECT 1` before the first query of every request: one round trip more on a page
of four to seven, a tenth of what a list page costs PostgreSQL and psycopg. Here a connection
that passed its check in the last second is taken as healthy; one idle for longer is checked
as before. A connection that breaks in between fails that request's query, and Django closes
it at the end of the request (its `errors_occurred` check), as it would without health checks.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

CHECK_AT_MOST_EVERY = 1.0  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    _checked_at = -CHECK_AT_MOST_EVERY  # monotonic time of the connection's last check

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
