"""Which request an incoming e-mail answers, if any (SPEC E2).

A reply names the e-mails it answers in In-Reply-To and References: the Message-ID of an
e-mail we sent about a request (kept in the outbox) or of one we received for it. Failing
that, its subject may carry the request's reference, "[#123]", as our subjects do. Headers
and subjects are the sender's to write, so neither is trusted alone: the request must be one
of this organization's, and the sender must be someone allowed to reply to it in the portal:
its requester, or a portal user of its customer. Anything else is a new request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from frontdesk.mail.models import InboundMessage, OutboxMessage
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalMembership, PortalUser
from frontdesk.support.models import Status, Task

REFERENCE = re.compile(r"\[#(\d{1,18})\]")
# How many message ids of a References header are looked at: the newest ones.
_MAX_IDS = 50


def subject_references(subject: str) -> list[int]:
    return [int(number) for number in REFERENCE.findall(subject)]


def request_title(subject: str) -> str:
    """A subject as a request's title: without reply and forward prefixes (as the five
    languages' mail programs write them) and without our references."""
    title = REFERENCE.sub("", subject)
    prefix = re.compile(r"^\s*(?:re|fw|fwd|aw|wg|antw|doorst|odp|pd|ynt|ilt|İlt|پاسخ|هدایت)"
                        r"\s*(?:\[\d+\])?\s*:\s*", re.IGNORECASE)
    while True:
        shorter = prefix.sub("", title, count=1)
        if shorter == title:
            break
        title = shorter
    return " ".join(title.split())[:200]


@dataclass(frozen=True)
class Thread:
    """The request an e-mail answers and who answers it; `closed`: it answers a request
    that is closed (which takes no more replies: a new request is made instead)."""

    task: Task | None
    portal_user: PortalUser | None
    closed: Task | None = None


def find_thread(*, organization: Organization, sender: str, references: list[str],
                subject: str) -> Thread:
    portal_user = (PortalUser.objects.for_org(organization)
                   .filter(email=sender, is_active=True).first())
    if portal_user is None:
        return Thread(task=None, portal_user=None)  # nobody who may reply to anything here
    ids = references[:_MAX_IDS]
    candidates: list[int | None] = []
    if ids:
        candidates += (OutboxMessage.objects.for_org(organization)
                       .filter(message_id__in=ids, task_id__isnull=False)
                       .order_by("-id").values_list("task_id", flat=True))
        candidates += (InboundMessage.objects.for_org(organization)
                       .filter(message_id__in=ids, task__isnull=False)
                       .order_by("-id").values_list("task_id", flat=True))
    candidates += subject_references(subject)
    wanted = [task_id for task_id in dict.fromkeys(candidates) if task_id is not None]
    if not wanted:
        return Thread(task=None, portal_user=portal_user)
    # Theirs, their customer's, or those of a customer they act for too (SPEC X7).
    allowed = (Q(requester=portal_user) | Q(customer_id=portal_user.customer_id)
               | Q(customer_id__in=PortalMembership.objects.filter(portal_user=portal_user)
                   .values("customer_id")))
    found = {task.pk: task for task in
             Task.objects.for_org(organization).requests().filter(allowed, pk__in=wanted)}
    for task_id in wanted:
        task = found.get(task_id)
        if task is None:
            continue
        if task.status == Status.CLOSED:
            return Thread(task=None, portal_user=portal_user, closed=task)
        return Thread(task=task, portal_user=portal_user)
    return Thread(task=None, portal_user=portal_user)
