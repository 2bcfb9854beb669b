"""Actions of the API app: tokens, webhook endpoints, deliveries sent again, and a request
made through the API."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.api import safe_http
from frontdesk.api.delivery import enqueue_delivery
from frontdesk.api.models import ApiToken, Event, WebhookDelivery, WebhookEndpoint
from frontdesk.lib.tokens import hash_token
from frontdesk.organizations.models import Membership, Organization
from frontdesk.portal.services import find_or_create_portal_user
from frontdesk.support.models import Source, Task, Topic
from frontdesk.support.services import create_request

TOKEN_PREFIX = "fd_"  # noqa: S105  (a marker to recognise our tokens, not a secret)
MAX_TOKENS_PER_MEMBER = 20
MAX_ENDPOINTS = 20


@transaction.atomic
def create_api_token(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """A new personal token of the member; returns it with the token itself, which is shown
    once and stored only as its SHA-256 (see ApiToken.token_hash)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name.")]})
    live = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True)
    if live.count() >= MAX_TOKENS_PER_MEMBER:
        raise ValidationError({"name": [_("You have %(count)d tokens already: revoke one "
                                          "first.") % {"count": MAX_TOKENS_PER_MEMBER}]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = ApiToken.objects.create(membership=membership, name=name[:100],
                                    token_hash=hash_token(raw), prefix=raw[:10])
    return token, raw


def revoke_api_token(*, token: ApiToken) -> None:
    """The token stops working at once (its next call answers 401); the row stays listed."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def _check_endpoint(organization: Organization, url: str, events: Iterable[str],
                    endpoint: WebhookEndpoint | None) -> list[str]:
    errors: dict[str, list[str]] = {}
    try:
        safe_http.check_url(url)
    except safe_http.UnsafeURL as error:
        errors["url"] = [str(error)]
    if len(url) > 500:
        errors["url"] = [_("The URL may have at most 500 characters.")]
    chosen = [event for event in Event.values if event in set(events)]
    if not chosen:
        errors["events"] = [_("Choose at least one event.")]
    if endpoint is None and WebhookEndpoint.objects.for_org(organization).count() >= \
            MAX_ENDPOINTS:
        errors["url"] = [_("An organization may have at most %(count)d endpoints.")
                         % {"count": MAX_ENDPOINTS}]
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def save_webhook_endpoint(*, organization: Organization, url: str, events: Iterable[str],
                          include_internal_posts: bool, is_active: bool = True,
                          endpoint: WebhookEndpoint | None = None) -> WebhookEndpoint:
    """Create or change an endpoint. The URL must be http(s) and, unless
    FRONTDESK_WEBHOOKS_ALLOW_PRIVATE, resolve to public addresses only (safe_http). A new
    endpoint gets its secret for the signatures."""
    url = url.strip()
    chosen = _check_endpoint(organization, url, events, endpoint)
    if endpoint is None:
        return WebhookEndpoint.objects.create(
            organization=organization, url=url, events=chosen,
            include_internal_posts=include_internal_posts, is_active=is_active,
            secret=secrets.token_hex(32))
    endpoint.url, endpoint.events = url, chosen
    endpoint.include_internal_posts, endpoint.is_active = include_internal_posts, is_active
    endpoint.save(update_fields=["url", "events", "include_internal_posts", "is_active"])
    return endpoint


def delete_webhook_endpoint(*, endpoint: WebhookEndpoint) -> None:
    """The endpoint and its deliveries' log; deliveries not sent yet are dropped with it."""
    endpoint.delete()


def send_delivery_again(*, delivery: WebhookDelivery) -> bool:
    """Send a delivery again (failed, or delivered and wanted once more): one more attempt
    now, and retries as for a new one if it fails and attempts remain. False when it is
    still on its way."""
    with transaction.atomic():
        updated = (WebhookDelivery.objects
                   .filter(pk=delivery.pk, state__in=[WebhookDelivery.State.FAILED,
                                                      WebhookDelivery.State.DELIVERED])
                   .update(state=WebhookDelivery.State.RETRYING, next_attempt_at=timezone.now()))
        if updated:
            enqueue_delivery(delivery.pk)
    return bool(updated)


@transaction.atomic
def create_request_for(*, topic: Topic, email: str, first_name: str, last_name: str,
                       title: str, description: str) -> Task:
    """A request made through the API on behalf of the person with this e-mail: their portal
    user (found, or made with a customer record as the public form does), then
    `support.services.create_request`, in one transaction, with the API as its source: the
    requester gets the same confirmation as from the portal."""
    requester = find_or_create_portal_user(organization=topic.organization, email=email,
                                           first_name=first_name, last_name=last_name)
    return create_request(topic=topic, requester=requester, title=title,
                          description=description, source=Source.API)
