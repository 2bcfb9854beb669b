"""Which incoming e-mails are never answered (SPEC E2): automatic replies, bounces, lists and
our own mail coming back. Answering them (a confirmation to an out-of-office reply, which
answers the confirmation…) is how mail loops start."""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings

from frontdesk.mail.models import InboundMessage
from frontdesk.mail.parsing import ParsedMessage

Reason = InboundMessage.Reason

# Mailboxes of mail systems and of senders that want no answer.
_SYSTEM_MAILBOXES = {"mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply",
                     "donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces"}


def our_own_address() -> str:
    """The address Frontdesk sends from (DEFAULT_FROM_EMAIL)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].strip().lower()


def reason_to_ignore(message: ParsedMessage, *, own_addresses: Iterable[str]) -> Reason | None:
    """Why this e-mail must not become a request or a reply, or None if nothing says so.
    RFC 3834 (Auto-Submitted), the older Precedence and X-Autoreply conventions, list
    headers, delivery reports, system mailboxes and our own addresses."""
    headers = message.headers
    sender = message.envelope.from_address
    if not sender:
        return Reason.NO_SENDER
    if sender in {address.lower() for address in own_addresses if address}:
        return Reason.LOOP
    local_part = sender.split("@", 1)[0]
    if local_part in _SYSTEM_MAILBOXES or local_part.startswith(("noreply", "no-reply")):
        return Reason.LOOP
    if headers.get("return-path", "").strip() == "<>":
        return Reason.LOOP  # a bounce: sent with the null sender
    if "report-type=delivery-status" in headers.get("content-type", "").lower().replace(
            " ", "").replace('"', ""):
        return Reason.LOOP
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return Reason.AUTO_REPLY
    if any(name in headers for name in ("x-autoreply", "x-autorespond", "x-autoresponder")):
        return Reason.AUTO_REPLY
    precedence = headers.get("precedence", "").strip().lower()
    if precedence == "auto_reply":
        return Reason.AUTO_REPLY
    if precedence in ("bulk", "junk", "list"):
        return Reason.BULK
    if "list-id" in headers:
        return Reason.BULK
    return None
