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
    # Set at the first attempt and kept for the retries (SPEC E2): a customer's reply names it
    # in In-Reply-To/References, and `task_id` says which request it was about (a plain
    # number: a request deleted since simply matches nothing).
    message_id = models.CharField(max_length=255, blank=True, default="")
    task_id = models.PositiveBigIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["OutboxMessage"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "-id"], name="outbox_org_id"),
            # Threading incoming replies. Partial: only e-mails about a request carry one, and
            # it is set at delivery, so a queued message costs this index nothing.
            models.Index(fields=["organization", "message_id"], name="outbox_org_message_id",
                         condition=models.Q(task_id__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.state})"


class InboundSettings(models.Model):
    """How an organization receives e-mail (SPEC E2): its support address, the secret of the
    inbound webhook (its SHA-256 alone is kept) and the topic the new requests go to."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        related_name="+")
    enabled = models.BooleanField(_("receive e-mail"), default=False)
    support_address = models.EmailField(
        _("support address"), blank=True,
        help_text=_("The address customers write to. Replies to our e-mails go there too."))
    topic = models.ForeignKey("support.Topic", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("topic"),
                              help_text=_("Empty: the first topic."))
    token_hash = models.CharField(max_length=64, blank=True)
    token_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"inbound e-mail of {self.organization_id}"


def inbound_path(instance: InboundMessage, filename: str) -> str:
    # As attachments: the stored name carries nothing the sender wrote.
    return f"inbound/{instance.organization_id}/{instance.token}.eml"


class InboundMessage(models.Model):
    """One e-mail received for an organization, stored whole before anything is done with it
    (SPEC E2): what it became is recorded here, a failure can be retried, and the same
    message received twice (its Message-ID, else its bytes) is one row."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Waiting")
        NEW_REQUEST = "request", _("New request")
        REPLY = "reply", _("Reply to a request")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        AUTO_REPLY = "auto_reply", _("Automatic reply")
        BULK = "bulk", _("Mailing list or bulk e-mail")
        LOOP = "loop", _("Sent by a mail system or by ourselves")
        NO_SENDER = "no_sender", _("No sender address")
        FLOOD = "flood", _("Too many e-mails from this sender")
        OFF = "off", _("Receiving e-mail is switched off")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # both indexes lead with it
    token = models.CharField(max_length=32, unique=True)
    raw = models.FileField(upload_to=inbound_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    # The Message-ID, or "sha256:<hex>" of the bytes when the message has none.
    dedupe_key = models.CharField(max_length=255)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.RECEIVED)
    reason = models.CharField(max_length=12, choices=Reason.choices, blank=True)
    # What staff should know: attachments left out, a closed request answered anew
    # ({"kind": ..., and its values}), written in the reader's language by the page.
    notes = models.JSONField(default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task = models.ForeignKey("support.Task", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", db_index=False)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["InboundMessage"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "-id"], name="inbound_org_id"),
            # Threading: a reply naming a message we received. Partial: only those that
            # reached a request.
            models.Index(fields=["organization", "message_id"], name="inbound_org_message_id",
                         condition=models.Q(task__isnull=False)),
            # For the request's deletion (SET_NULL).
            models.Index(fields=["task"], name="inbound_task",
                         condition=models.Q(task__isnull=False)),
            # The daily sweep of old bytes (inbound_sweep): only messages that still have
            # theirs, the keep period's and whatever the sweep has yet to forget.
            models.Index(fields=["received_at"], name="inbound_stored_received",
                         condition=~models.Q(raw="")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "dedupe_key"],
                                    name="inbound_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.pk} ({self.status})"
