"""Sending one webhook delivery (the worker's), with retries and back-off."""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import time

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from frontdesk.api import safe_http
from frontdesk.api.models import WebhookDelivery
from frontdesk.api.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from frontdesk.lib.background import enqueue_when_committed

logger = logging.getLogger(__name__)

_BACKOFF_BASE_SECONDS = 30
_BACKOFF_MAX_SECONDS = 6 * 60 * 60


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s, 2 min, 8 min, 32 min, about 2 h, then every 6 h."""
    seconds = min(_BACKOFF_BASE_SECONDS * 4 ** max(attempts - 1, 0), _BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


def enqueue_delivery(delivery_id: int, run_after: dt.datetime | None = None) -> None:
    from frontdesk.api.tasks import deliver_webhook

    enqueue_when_committed(deliver_webhook.using(run_after=run_after) if run_after
                           else deliver_webhook, delivery_id)


def deliver(delivery_id: int) -> str:
    """POST one delivery, signed; on a network error or an answer other than 2xx, schedule
    a retry with back-off, until FRONTDESK_WEBHOOK_MAX_ATTEMPTS. What happened is recorded
    on the row (shown on the endpoint's page)."""
    delivery = (WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id)
                .first())
    if delivery is None or delivery.state not in (WebhookDelivery.State.PENDING,
                                                  WebhookDelivery.State.RETRYING):
        return "skipped"
    # Claim this attempt: if another worker got there first, the attempt count has moved.
    if not WebhookDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
            attempts=F("attempts") + 1):
        return "skipped"
    delivery.attempts += 1
    endpoint = delivery.endpoint
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Frontdesk-Webhooks/1",
        "X-Frontdesk-Event": delivery.event,
        "X-Frontdesk-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(endpoint.secret, timestamp, body),
    }
    code: int | None = None
    if not endpoint.is_active:
        error = "The endpoint is switched off."
    else:
        try:
            code = safe_http.post(endpoint.url, body, headers,
                                  timeout=settings.FRONTDESK_WEBHOOK_TIMEOUT)
        except safe_http.UnsafeURL as exc:
            error = str(exc)
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            error = "" if 200 <= code < 300 else f"HTTP {code}"
    delivery.response_code = code
    delivery.last_error = error[:2000]
    fields = ["state", "response_code", "last_error", "next_attempt_at", "delivered_at"]
    if not error:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.save(update_fields=fields)
        return "delivered"
    if delivery.attempts >= settings.FRONTDESK_WEBHOOK_MAX_ATTEMPTS or not endpoint.is_active:
        delivery.state = WebhookDelivery.State.FAILED
        delivery.next_attempt_at = None
        delivery.save(update_fields=fields)
        logger.warning("webhook delivery %s failed for good: %s", delivery.pk, error)
        return "failed"
    delivery.state = WebhookDelivery.State.RETRYING
    delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    delivery.save(update_fields=fields)
    enqueue_delivery(delivery.pk, run_after=delivery.next_attempt_at)
    return "retrying"
