"""Saved replies (SPEC X9): staff write a reply once and use it on any request, its
placeholders filled in for that request."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Organization
from frontdesk.support.models import SavedReply, Task

# The placeholders a saved reply may hold, and what each becomes.
PLACEHOLDERS = {
    "customer": gettext_lazy("the customer's name"),
    "requester": gettext_lazy("the requester's first name"),
    "request": gettext_lazy("the request's number"),
    "title": gettext_lazy("the request's title"),
    "agent": gettext_lazy("your name"),
    "organization": gettext_lazy("your organization's name"),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(body: str, *, task: Task, user: User, organization: Organization) -> str:
    """`body` with each known `{placeholder}` replaced for this request; anything else in
    braces stays as written (a reply is plain text, never a template that could read more
    than these values)."""
    requester = task.requester
    values = {
        "customer": task.customer.short_name if task.customer else "",
        "requester": (requester.first_name or requester.email) if requester else "",
        "request": task.reference,
        "title": task.title,
        "agent": user.full_name or user.email,
        "organization": organization.name,
    }
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), body)


def save_reply(*, organization: Organization, title: str, body: str, by: User | None,
               reply: SavedReply | None = None) -> SavedReply:
    """A new saved reply, or `reply` changed."""
    if not title.strip() or not body.strip():
        raise ValidationError(_("A saved reply needs a title and a text."))
    if reply is None:
        reply = SavedReply(organization=organization, author=by)
    elif reply.organization_id != organization.pk:
        raise ValidationError(_("Choose a saved reply of this organization."))
    reply.title, reply.body = title.strip(), body.strip()
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError:
        raise ValidationError({"title": _("There is a saved reply of that title already.")}
                              ) from None
    return reply


def delete_reply(*, reply: SavedReply) -> None:
    reply.delete()
