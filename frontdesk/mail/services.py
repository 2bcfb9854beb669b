"""Queueing and delivering e-mail. Every e-mail of Frontdesk goes through `queue_email`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone, translation

from frontdesk.lib.background import enqueue_when_committed
from frontdesk.lib.inserts import insert
from frontdesk.mail.builders import get_builder
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.models import Organization

logger = logging.getLogger(__name__)

# Waits before attempts 2, 3, 4 …: 30 s, 2 min, 8 min, 32 min, then every 2 hours.
_BACKOFF_BASE_SECONDS = 30
_BACKOFF_MAX_SECONDS = 2 * 60 * 60


def retry_delay(attempts: int) -> dt.timedelta:
    seconds = min(_BACKOFF_BASE_SECONDS * 4 ** max(attempts - 1, 0), _BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


@dataclass(frozen=True)
class Email:
    """One e-mail to queue: its kind (see builders.py), recipient and what it is about."""

    kind: str
    to: str
    language: str
    context: dict[str, Any]
    organization: Organization | None = None


def queue_emails(emails: Sequence[Email]) -> list[OutboxMessage]:
    """Record e-mails in the outbox and have the worker deliver them once the current
    transaction commits (so a rolled-back action sends nothing). The e-mails of one action
    are inserted together and handed to the worker as one task."""
    if not emails:
        return []
    for email in emails:
        get_builder(email.kind)  # fail now, in the action, on an unknown kind
    messages = insert([
        OutboxMessage(organization=email.organization, kind=email.kind, to=email.to,
                      language=email.language, context=email.context)
        for email in emails
    ])
    from frontdesk.mail.tasks import deliver_emails

    enqueue_when_committed(deliver_emails, [message.pk for message in messages])
    return messages


def queue_email(*, kind: str, to: str, language: str, context: dict[str, Any],
                organization: Organization | None = None) -> OutboxMessage:
    """`queue_emails` for a single e-mail."""
    return queue_emails([Email(kind=kind, to=to, language=language, context=context,
                               organization=organization)])[0]


def _enqueue_message(message_id: int, run_after: dt.datetime | None = None) -> None:
    from frontdesk.mail.tasks import deliver_email

    enqueue_when_committed(deliver_email.using(run_after=run_after) if run_after
                           else deliver_email, message_id)


def retry_now(message: OutboxMessage) -> None:
    """Send a failed message again (from the outbox page)."""
    updated = OutboxMessage.objects.filter(
        pk=message.pk, state=OutboxMessage.State.FAILED,
    ).update(state=OutboxMessage.State.RETRYING, next_attempt_at=timezone.now())
    if updated:
        _enqueue_message(message.pk)


def _thread_headers(message: OutboxMessage, task_id: int, reply_to_support: bool
                    ) -> dict[str, str]:
    """What brings a customer's reply back to its request (SPEC E2): a Message-ID kept with
    the message (the same for each retry) and the request, References that put every e-mail
    about the request in one thread of the customer's mail program, and Reply-To the
    organization's support address when it receives e-mail."""
    from frontdesk.mail.models import InboundSettings

    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "frontdesk.local"
    if not message.message_id:
        message.message_id = make_msgid(idstring=f"fd{message.pk}", domain=domain)
    message.task_id = task_id
    headers = {"Message-ID": message.message_id,
               "References": f"<request-{task_id}@{domain}>"}
    address = (None if message.organization_id is None or not reply_to_support else
               InboundSettings.objects.filter(organization_id=message.organization_id,
                                              enabled=True)
               .exclude(support_address="").values_list("support_address", flat=True).first())
    if address:
        headers["Reply-To"] = address
    return headers


def deliver(message_id: int) -> str:
    """Render and send one outbox message; on failure, schedule a retry with back-off."""
    message = OutboxMessage.objects.select_related("organization").filter(pk=message_id).first()
    if message is None or message.state not in (OutboxMessage.State.QUEUED,
                                                 OutboxMessage.State.RETRYING):
        return "skipped"
    # Claim this attempt: if another worker got there first, the row no longer has the
    # attempt count we read and nothing is updated.
    claimed = OutboxMessage.objects.filter(pk=message.pk, attempts=message.attempts).update(
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "skipped"
    message.attempts += 1

    with translation.override(message.language or settings.LANGUAGE_CODE):
        rendered = get_builder(message.kind)(message)
    if rendered is None:
        message.state = OutboxMessage.State.CANCELLED
        message.save(update_fields=["state"])
        return "cancelled"

    message.subject = rendered.subject[:300]
    from_name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # Every e-mail of ours is automatic (RFC 3834): an out-of-office reply is not sent to it,
    # and one coming back to our inbound address is set aside (mail.loops).
    headers = {"Auto-Submitted": "auto-generated", **(rendered.headers or {})}
    if rendered.task_id is not None:
        headers.update(_thread_headers(message, rendered.task_id, rendered.reply_to_support))
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=formataddr((rendered.from_name or from_name, from_address)),
        to=[message.to],
        headers=headers,
    )
    email.attach_alternative(rendered.html, "text/html")
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([email])
    except Exception as exc:  # any failure of the SMTP conversation is retried
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= settings.FRONTDESK_EMAIL_MAX_ATTEMPTS:
            message.state = OutboxMessage.State.FAILED
            message.next_attempt_at = None
            message.save(update_fields=["subject", "state", "last_error", "next_attempt_at",
                                          "message_id", "task_id"])
            logger.error("e-mail %s failed for good: %s", message.pk, message.last_error)
            return "failed"
        message.state = OutboxMessage.State.RETRYING
        message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
        message.save(update_fields=["subject", "state", "last_error", "next_attempt_at",
                                          "message_id", "task_id"])
        _enqueue_message(message.pk, run_after=message.next_attempt_at)
        return "retrying"

    message.state = OutboxMessage.State.SENT
    message.sent_at = timezone.now()
    message.next_attempt_at = None
    message.save(update_fields=["subject", "state", "sent_at", "next_attempt_at", "message_id",
                                "task_id"])
    return "sent"
