from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


class OutboxMessage(models.Model):
    """One e-mail, from the moment an action queues it until it is delivered (SPEC E1).

    The message body is rendered by the worker at delivery time (see mail.services), so that
    secrets such as passwordless links never rest in this table and a post made internal
    again before delivery is not sent.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+",
                                     db_index=False)  # outbox_org_id leads with it
    kind = models.CharField(max_length=100)
    to = models.EmailField(_("to"))
    language = models.CharField(max_length=8)
    context = models.JSONField(default=dict)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["OutboxMessage"].as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "-id"], name="outbox_org_id")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.state})"
