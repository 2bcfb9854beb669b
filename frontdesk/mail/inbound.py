"""Incoming e-mail (SPEC E2): the actions. An e-mail is received (stored whole, once) by the
pipe command or the webhook, then processed by the worker: a new request, a reply to one, or
set aside with the reason. Both go through the support and portal actions that the public
form and the portal use, so an e-mail request is matched, notified and confirmed as theirs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontdesk.core.ratelimit import allow
from frontdesk.lib.background import enqueue_when_committed
from frontdesk.mail.loops import our_own_address, reason_to_ignore
from frontdesk.mail.models import InboundMessage, InboundSettings
from frontdesk.mail.parsing import IncomingFile, ParsedMessage, parse_message, read_envelope
from frontdesk.mail.quotes import trim_quoted
from frontdesk.mail.threads import Thread, find_thread, request_title
from frontdesk.organizations.models import Organization
from frontdesk.support.models import Source, Topic

logger = logging.getLogger(__name__)

Status = InboundMessage.Status
MAX_TEXT = 50_000  # as the portal's forms


class Received(NamedTuple):
    message: InboundMessage
    duplicate: bool  # received before: nothing was done this time


def _dedupe_key(message_id: str, raw: bytes) -> str:
    if message_id and len(message_id) <= 255:
        return message_id
    source = message_id.encode() if message_id else raw
    return "sha256:" + hashlib.sha256(source).hexdigest()


def receive_message(*, organization: Organization, raw: bytes) -> Received:
    """Store an e-mail received for `organization` and have the worker process it. Stored
    first: whatever happens afterwards, the message is in the log, and a failure can be
    retried. The same message received again (same Message-ID in this organization, or the
    same bytes when it has none) is not stored or processed twice. ValidationError for an
    empty or too large message."""
    if not raw.strip():
        raise ValidationError(_("The message is empty."))
    if len(raw) > settings.FRONTDESK_INBOUND_MAX_MB * 1024 * 1024:
        raise ValidationError(_("The message is larger than %(mb)s MB.")
                              % {"mb": settings.FRONTDESK_INBOUND_MAX_MB})
    envelope = read_envelope(raw)
    key = _dedupe_key(envelope.message_id, raw)
    known = InboundMessage.objects.for_org(organization).filter(dedupe_key=key).first()
    if known is not None:
        return Received(known, duplicate=True)
    message = InboundMessage(organization=organization, token=secrets.token_hex(16),
                             size=len(raw), dedupe_key=key, message_id=envelope.message_id,
                             from_address=envelope.from_address, subject=envelope.subject)
    # The file is written before the row: a row always has its message.
    message.raw.save(message.token, ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            message.save()
            from frontdesk.mail.tasks import process_inbound_email

            enqueue_when_committed(process_inbound_email, message.pk)
            _schedule_forgetting(message)
    except IntegrityError:
        # The same message, received at the same moment by another process.
        message.raw.delete(save=False)
        known = InboundMessage.objects.for_org(organization).filter(dedupe_key=key).first()
        if known is None:
            raise
        return Received(known, duplicate=True)
    return Received(message, duplicate=False)


RETRYABLE = (Status.RECEIVED, Status.FAILED, Status.IGNORED)


def _schedule_forgetting(message: InboundMessage) -> None:
    """Have the worker delete the e-mail's own bytes FRONTDESK_INBOUND_KEEP_DAYS after it
    arrived (a task due then: no cron). They hold what the sender wrote, attachments and
    all, which the request keeps as it needs it."""
    days = settings.FRONTDESK_INBOUND_KEEP_DAYS
    if days > 0:
        from frontdesk.mail.tasks import forget_inbound_email

        enqueue_when_committed(
            forget_inbound_email.using(run_after=timezone.now() + dt.timedelta(days=days)),
            message.pk)


def forget_raw(*, message_id: int) -> bool:
    """Delete a received e-mail's bytes: its row stays in the log, without them (it can no
    longer be processed again); the stored file goes once that is committed. False when they
    were gone already."""
    with transaction.atomic():
        message = (InboundMessage.objects.select_for_update().filter(pk=message_id)
                   .exclude(raw="").first())
        if message is None:
            return False
        storage, stored = message.raw.storage, message.raw.name
        InboundMessage.objects.filter(pk=message_id).update(raw="")
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
    return True


def retry_message(*, message: InboundMessage) -> bool:
    """Process a failed or set-aside e-mail again (from the log page); one still waiting is
    handed to the worker again (its worker may have died: processing claims the message, so
    it is never processed twice). False if it was processed already, or its bytes are gone
    (FRONTDESK_INBOUND_KEEP_DAYS)."""
    with transaction.atomic():
        updated = (InboundMessage.objects.filter(pk=message.pk, status__in=RETRYABLE)
                   .exclude(raw="").update(status=Status.RECEIVED, reason="", error=""))
        if updated:
            from frontdesk.mail.tasks import process_inbound_email

            enqueue_when_committed(process_inbound_email, message.pk)
    return bool(updated)


@dataclass
class _Outcome:
    status: str
    reason: str = ""
    notes: list[dict[str, Any]] = field(default_factory=list)
    task_id: int | None = None


def _files(incoming: list[IncomingFile], notes: list[dict[str, Any]]
           ) -> list[SimpleUploadedFile]:
    """The e-mail's files within the portal's limits (SPEC P12: number and size per post);
    each one left out is noted for the log."""
    max_bytes = settings.FRONTDESK_MAX_UPLOAD_MB * 1024 * 1024
    kept: list[SimpleUploadedFile] = []
    for item in incoming:
        if not item.content:
            notes.append({"kind": "empty_file", "name": item.name})
        elif len(item.content) > max_bytes:
            notes.append({"kind": "file_too_large", "name": item.name,
                          "size": len(item.content)})
        elif len(kept) >= settings.FRONTDESK_MAX_FILES_PER_POST:
            notes.append({"kind": "too_many_files", "name": item.name})
        else:
            kept.append(SimpleUploadedFile(item.name, item.content))
    return kept


# A personal link of one of our e-mails, quoted back in a reply: never kept (whoever reads
# the post could open the portal as its owner). Recognised by its path, on any host.
_ACCESS_LINK = re.compile(r"\S*/p/[a-z0-9-]+/link/[A-Za-z0-9_-]{20,}/?\S*")


def _without_access_links(text: str) -> str:
    return _ACCESS_LINK.sub("[…]", text)


def _names(from_name: str, address: str) -> tuple[str, str]:
    name = from_name if "@" not in from_name else ""
    first, _sep, last = name.strip().partition(" ")
    return (first or address.split("@", 1)[0])[:100], last.strip()[:100]


def _topic(inbound: InboundSettings | None, organization: Organization) -> Topic:
    topic = inbound.topic if inbound is not None else None
    if topic is None or topic.organization_id != organization.pk:
        topic = Topic.objects.for_org(organization).order_by("position", "id").first()
    if topic is None:
        raise ValueError("the organization has no topic")
    topic.organization = organization
    return topic


def _act(message: InboundMessage, parsed: ParsedMessage, inbound: InboundSettings | None,
         thread: Thread) -> _Outcome:
    """Inside the write transaction: the flood limit, then the request or the reply."""
    from frontdesk.portal.services import submit_public_request
    from frontdesk.support.posts import add_customer_reply

    organization = message.organization
    sender = parsed.envelope.from_address
    if not allow(f"mail-from:{organization.pk}:{sender}",
                 limit=settings.FRONTDESK_INBOUND_LIMIT_PER_SENDER):
        return _Outcome(Status.IGNORED, InboundMessage.Reason.FLOOD)
    notes: list[dict[str, Any]] = []
    files = _files(parsed.files, notes)
    text = _without_access_links(trim_quoted(parsed.text))[:MAX_TEXT]
    if thread.task is not None:
        body = text
        if not body:
            with translation.override(organization.language):
                body = _("(The e-mail had no text.)")
        # As the portal user, or signed with the CC follower's address (SPEC X5).
        add_customer_reply(task=thread.task, portal_user=thread.portal_user,
                           author_email=thread.follower_email, body=body, files=files)
        return _Outcome(Status.REPLY, notes=notes, task_id=thread.task.pk)
    if thread.closed is not None:
        notes.append({"kind": "closed_request", "task": thread.closed.pk})
    title = request_title(parsed.envelope.subject)
    if not title:
        with translation.override(organization.language):
            title = _("(no subject)")
    first_name, last_name = _names(parsed.envelope.from_name, sender)
    task = submit_public_request(organization=organization, topic=_topic(inbound, organization),
                                 first_name=first_name, last_name=last_name, email=sender,
                                 title=title, description=text, files=files,
                                 source=Source.EMAIL)
    assert task is not None  # no `admit`: always made
    return _Outcome(Status.NEW_REQUEST, notes=notes, task_id=task.pk)


def process_message(*, message_id: int) -> str:
    """Run by the worker: what a received e-mail becomes. Read and understood first, then
    written in one transaction that claims the message (two workers cannot both process it).
    An error leaves it failed, with the error, for staff to retry."""
    message = (InboundMessage.objects.select_related("organization")
               .filter(pk=message_id, status=Status.RECEIVED).first())
    if message is None:
        return "skipped"
    organization = message.organization
    try:
        inbound = (InboundSettings.objects.select_related("topic")
                   .filter(organization=organization).first())
        with message.raw.open("rb") as handle:
            parsed = parse_message(handle.read())
        own = [our_own_address(), inbound.support_address if inbound else ""]
        reason = reason_to_ignore(parsed, own_addresses=own)
        if inbound is None or not inbound.enabled:
            reason = reason or InboundMessage.Reason.OFF
        thread = (find_thread(organization=organization, sender=parsed.envelope.from_address,
                              references=parsed.references, subject=parsed.envelope.subject)
                  if reason is None else Thread(task=None, portal_user=None))
        with transaction.atomic():
            claimed = (InboundMessage.objects.select_for_update()
                       .filter(pk=message.pk, status=Status.RECEIVED).exists())
            if not claimed:
                return "skipped"
            outcome = (_Outcome(Status.IGNORED, reason) if reason is not None
                       else _act(message, parsed, inbound, thread))
            InboundMessage.objects.filter(pk=message.pk).update(
                status=outcome.status, reason=outcome.reason, notes=outcome.notes,
                task_id=outcome.task_id, error="", attempts=F("attempts") + 1,
                processed_at=timezone.now())
    except Exception as exc:  # whatever it was, the message stays, failed, to be retried
        logger.exception("incoming e-mail %s failed", message.pk)
        InboundMessage.objects.filter(pk=message.pk, status=Status.RECEIVED).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            attempts=F("attempts") + 1, processed_at=timezone.now())
        return "failed"
    return str(outcome.status)


def inbound_settings_of(organization: Organization) -> InboundSettings:
    settings_row, _created = InboundSettings.objects.get_or_create(organization=organization)
    return settings_row


def update_inbound_settings(*, organization: Organization, enabled: bool,
                            support_address: str, topic: Topic | None) -> InboundSettings:
    """Switch receiving on or off, and set the support address and the topic new requests
    by e-mail go to (SPEC E2)."""
    if topic is not None and topic.organization_id != organization.pk:
        raise ValidationError(_("Choose a topic of this organization."))
    inbound = inbound_settings_of(organization)
    inbound.enabled, inbound.topic = enabled, topic
    inbound.support_address = support_address.strip().lower()
    inbound.full_clean(exclude=["organization", "token_hash"])
    inbound.save(update_fields=["enabled", "support_address", "topic"])
    return inbound


def regenerate_inbound_token(*, organization: Organization) -> str:
    """A new secret for the webhook (the old one stops working at once); returned to be
    shown once: only its SHA-256 is kept."""
    from frontdesk.lib.tokens import new_token

    raw, hashed = new_token()
    inbound = inbound_settings_of(organization)
    inbound.token_hash, inbound.token_created_at = hashed, timezone.now()
    inbound.save(update_fields=["token_hash", "token_created_at"])
    return raw
