"""Fixed-window rate limits kept in the database (shared by every app server)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from frontdesk.core.models import RateCounter


def allow(key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit of `key`; False once the window already holds `limit` hits.

    One statement does the counting (an upsert that returns the new count), so concurrent
    requests on several app servers never lose a hit.
    """
    return allow_all([(key, limit)], window_seconds=window_seconds)


def allow_all(limits: Sequence[tuple[str, int]], *, window_seconds: int = 3600) -> bool:
    """Count one hit of each (key, limit); False if any window already held its limit.

    Every key is counted, in one statement, whatever the answer: an address that keeps
    trying while over one limit keeps counting against the others.
    """
    epoch = int(timezone.now().timestamp())
    window_start = dt.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=dt.UTC)
    limit_of: dict[str, int] = {}
    for key, limit in limits:
        key = key[:200]
        limit_of[key] = min(limit, limit_of.get(key, limit))
    start = connection.ops.adapt_datetimefield_value(window_start)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_column, start_column, count_column = (connection.ops.quote_name(name)
                                              for name in ("key", "window_start", "count"))
    rows = ", ".join(["(%s, %s, 1)"] * len(limit_of))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {start_column}, {count_column}) "  # noqa: S608
            f"VALUES {rows} ON CONFLICT ({key_column}, {start_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"RETURNING {key_column}, {count_column}",
            [value for key in limit_of for value in (key, start)],
        )
        counts = dict(cursor.fetchall())
    sweep_one_in = settings.FRONTDESK_RATE_SWEEP_ONE_IN
    if 1 in counts.values() and sweep_one_in and secrets.randbelow(sweep_one_in) == 0:
        # Now and then, the first hit of a new window clears the windows that are over (of
        # every key; a day is longer than any window we use).
        RateCounter.objects.filter(window_start__lt=window_start - dt.timedelta(days=1)).delete()
    return all(counts[key] <= limit for key, limit in limit_of.items())


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
