"""Fixed-window rate limits kept in the database (shared by every app server)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from frontdesk.core.models import RateCounter


def allow(key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit of `key`; False once the window already holds `limit` hits."""
    now = timezone.now()
    epoch = int(now.timestamp())
    window_start = dt.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=dt.UTC)
    key = key[:200]
    updated = RateCounter.objects.filter(key=key, window_start=window_start).update(
        count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=window_start, count=1)
        except IntegrityError:
            # Another request created this window's row first: count on it.
            RateCounter.objects.filter(key=key, window_start=window_start).update(
                count=F("count") + 1)
        else:
            RateCounter.objects.filter(key=key, window_start__lt=window_start).delete()
    count = (RateCounter.objects.filter(key=key, window_start=window_start)
             .values_list("count", flat=True).first()) or 0
    return count <= limit


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
