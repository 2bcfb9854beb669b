"""Fixed-window rate limits kept in the database (shared by every app server)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from frontdesk.core.models import RateCounter

_SWEEP_ONE_IN = 50


def allow(key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit of `key`; False once the window already holds `limit` hits.

    One statement does the counting (an upsert that returns the new count), so concurrent
    requests on several app servers never lose a hit.
    """
    epoch = int(timezone.now().timestamp())
    window_start = dt.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=dt.UTC)
    key = key[:200]
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_column, start_column, count_column = (connection.ops.quote_name(name)
                                              for name in ("key", "window_start", "count"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {start_column}, {count_column}) "  # noqa: S608
            f"VALUES (%s, %s, 1) ON CONFLICT ({key_column}, {start_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"RETURNING {count_column}",
            [key, connection.ops.adapt_datetimefield_value(window_start)],
        )
        count = cursor.fetchone()[0]
    if count == 1 and secrets.randbelow(_SWEEP_ONE_IN) == 0:
        # Now and then, the first hit of a new window clears the windows that are over (of
        # every key; a day is longer than any window we use).
        RateCounter.objects.filter(window_start__lt=window_start - dt.timedelta(days=1)).delete()
    return bool(count <= limit)


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind FRONTDESK_TRUSTED_PROXIES proxies, the last address they
    appended to X-Forwarded-For (a client can forge the ones before it)."""
    proxies = settings.FRONTDESK_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
