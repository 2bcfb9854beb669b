"""Webhooks: events of the actions, sent to the organization's endpoints by the worker.

Actions call `emit(...)` inside their transaction (never from a signal handler): the delivery
rows and the worker's task row are written with the change, so they exist exactly when it
commits. The payload is made then, as the change left things, and sent as is on every
attempt. An internal note is sent only to the endpoints that asked for internal notes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from frontdesk.api.models import Event, WebhookDelivery, WebhookEndpoint
from frontdesk.lib.background import enqueue_each_when_committed

SIGNATURE_HEADER = "X-Frontdesk-Signature"
TIMESTAMP_HEADER = "X-Frontdesk-Timestamp"
# Rows written a statement (deliveries; the worker's jobs of them).
BATCH = 200
# A worker job sends this many deliveries one after the other (a bulk action's many events:
# several jobs, which several workers share).
DELIVERIES_PER_JOB = 50


def emit(*, organization_id: int, event: Event, data: Callable[[], dict[str, Any]],
         internal: bool = False) -> int:
    """Queue `event` for the organization's active endpoints that subscribed to it (and, for
    an `internal` post, asked for internal notes). `data` makes the payload's `data`: called
    only when some endpoint wants the event. Call it inside the action's transaction; the
    number of deliveries queued."""
    return emit_each(organization_id=organization_id, event=event,
                     data=lambda: [data()], internal=internal)


def emit_each(*, organization_id: int, event: Event,
              data: Callable[[], Sequence[dict[str, Any]]], internal: bool = False) -> int:
    """`emit` of one event for each of the `data` (a bulk action's: an import's customers,
    the followers a move removed), with one read of the endpoints for all of them and the
    deliveries and worker jobs written a few hundred a statement, not one by one."""
    endpoints = [endpoint for endpoint in _active_endpoints(organization_id)
                 if event in endpoint.events
                 and (not internal or endpoint.include_internal_posts)]
    if not endpoints:
        return 0
    deliveries = []
    for item in data():
        body = json.dumps({
            "id": str(uuid.uuid4()), "event": str(event), "created_at": timezone.now(),
            "organization_id": organization_id, "internal": internal, "data": item,
        }, cls=DjangoJSONEncoder, ensure_ascii=False)
        deliveries += [WebhookDelivery(organization_id=organization_id, endpoint=endpoint,
                                       event=event, body=body) for endpoint in endpoints]
    if not deliveries:
        return 0
    made = WebhookDelivery.objects.bulk_create(deliveries, batch_size=BATCH)
    from frontdesk.api.tasks import deliver_webhooks

    ids = [delivery.pk for delivery in made]
    jobs = [(ids[start:start + DELIVERIES_PER_JOB],)
            for start in range(0, len(ids), DELIVERIES_PER_JOB)]
    for start in range(0, len(jobs), BATCH):
        enqueue_each_when_committed(deliver_webhooks, jobs[start:start + BATCH])
    return len(made)


def _active_endpoints(organization_id: int) -> list[WebhookEndpoint]:
    # The one read an action pays when its organization has no webhook (index
    # webhook_endpoint_org); only the columns needed to choose.
    return list(WebhookEndpoint.objects.for_org(organization_id).filter(is_active=True)
                .only("id", "events", "include_internal_posts"))


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of the signature header: HMAC-SHA256, keyed with the endpoint's secret, of
    the timestamp, a dot and the body. The timestamp is signed too, so a receiver that
    refuses old timestamps cannot be sent a captured delivery again later."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()
