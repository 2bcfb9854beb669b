"""API tokens and webhooks (SPEC X1)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.querysets import OrgQuerySet


class ApiToken(models.Model):
    """A staff member's personal API token: it acts as that member, in that member's
    organization, with the member's levels. Bound to the membership, so removing the member
    deletes their tokens (CASCADE) and a deactivated user's token is refused at once
    (`api.auth`)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                   related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # SHA-256 of the token, never the token: it is shown once and a stolen copy of the
    # database gives no working token. A fast hash is enough (no salt, no key stretching):
    # the token has 256 random bits, so it cannot be guessed from its hash the way a
    # password can, and the hash lets one indexed lookup find the token.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, to tell one's tokens apart on the page.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Event(models.TextChoices):
    REQUEST_CREATED = "request.created", _("A request was created")
    REQUEST_UPDATED = "request.updated", _("A request's status, priority, assignees, due date, "
                                           "customer, topic, severity, category, solution or "
                                           "service-level due moments changed")
    POST_CREATED = "post.created", _("A reply or note was posted on a request")
    POST_SHOWN = "post.shown", _("An internal note was shown to the customer")
    CUSTOMER_CREATED = "customer.created", _("A customer was created")
    CUSTOMER_UPDATED = "customer.updated", _("A customer's details changed")
    FOLLOWER_ADDED = "follower.added", _("A follower was added to a request")
    FOLLOWER_REMOVED = "follower.removed", _("A follower was removed from a request")


class WebhookEndpoint(models.Model):
    """Where an organization wants its events POSTed, and which ones."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # webhook_endpoint_org leads with it
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Internal notes are staff-only: sent only to endpoints that ask for them (off by default).
    include_internal_posts = models.BooleanField(_("include internal notes"), default=False)
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["WebhookEndpoint"].as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        indexes = [models.Index(fields=["organization", "is_active"],
                                name="webhook_endpoint_org")]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: its body (signed and sent as is, every attempt) and how
    sending it went."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Waiting to retry")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # read through the endpoint
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries", db_index=False)
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    body = models.TextField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True,
                                                     blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    objects = OrgQuerySet["WebhookDelivery"].as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        # The endpoint's page lists its deliveries newest first (and deleting it reads them).
        indexes = [models.Index(fields=["endpoint", "-id"], name="webhook_delivery_endpoint")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
