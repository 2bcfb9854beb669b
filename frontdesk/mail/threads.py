"""Which request an incoming e-mail answers, if any (SPEC E2).

A reply names the e-mails it answers in In-Reply-To and References: the Message-ID of an
e-mail we sent about a request (kept in the outbox) or of one we received for it. Failing
that, its subject may carry the request's reference, "[#123]", as our subjects do. Headers
and subjects are the sender's to write, so neither is trusted alone: the request must be one
of this organization's, and the sender must be someone allowed to reply to it in the portal
(its requester, or a portal user of its customer), or an address that follows that very
request as a CC follower now (SPEC X5). Anything else is a new request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q

from frontdesk.mail.models import InboundMessage, OutboxMessage
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalMembership, PortalUser
from frontdesk.support.models import Follower, Status, Task

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
    """The request an e-mail answers and who answers it: a portal user, or (`follower_email`)
    one of the request's CC followers; `closed`: it answers a request that is closed (which
    takes no more replies: a new request is made instead)."""

    task: Task | None
    portal_user: PortalUser | None
    closed: Task | None = None
    follower_email: str = ""


def _referenced(organization: Organization, references: list[str], subject: str) -> list[int]:
    """The requests the e-mail names, in the order it names them: by the e-mails it answers
    (the newest first), then by its subject."""
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
    return [task_id for task_id in dict.fromkeys(candidates) if task_id is not None]


def _allowed_to(portal_user: PortalUser) -> Q:
    # Theirs, their customer's, or those of a customer they act for too (SPEC X7).
    return (Q(requester=portal_user) | Q(customer_id=portal_user.customer_id)
            | Q(customer_id__in=PortalMembership.objects.filter(portal_user=portal_user)
                .values("customer_id")))


def _followed_by_address(organization: Organization, sender: str, wanted: list[int]) -> Q:
    # A request the sender follows now as a CC address (SPEC X5): of this organization, not
    # as a colleague (a portal user answers as themselves), not a follower removed since.
    # Among the requests named only: read from the index of (task, e-mail).
    return Q(pk__in=Follower.objects.for_org(organization)
             .filter(task_id__in=wanted, portal_user__isnull=True, email__iexact=sender)
             .values("task_id"))


def find_thread(*, organization: Organization, sender: str, references: list[str],
                subject: str) -> Thread:
    """The request of this organization that the e-mail from `sender` (an address as
    parsing.py gives it: lower-cased) answers, among those it names, and whether it answers
    as a portal user allowed to reply to it or as one of its CC followers."""
    portal_user = (PortalUser.objects.for_org(organization)
                   .filter(email=sender, is_active=True).first())
    wanted = _referenced(organization, references, subject) if sender else []
    if not wanted:
        return Thread(task=None, portal_user=portal_user)
    allowed = _followed_by_address(organization, sender, wanted)
    tasks = Task.objects.for_org(organization).requests()
    if portal_user is not None:
        allowed |= _allowed_to(portal_user)
        # A request they may reply to in the portal is answered as that portal user.
        tasks = tasks.annotate(as_person=ExpressionWrapper(_allowed_to(portal_user),
                                                           output_field=BooleanField()))
    found = {task.pk: task for task in tasks.filter(allowed, pk__in=wanted)}
    for task_id in wanted:
        task = found.get(task_id)
        if task is None:
            continue
        if task.status == Status.CLOSED:
            return Thread(task=None, portal_user=portal_user, closed=task)
        if getattr(task, "as_person", False):
            return Thread(task=task, portal_user=portal_user)
        return Thread(task=task, portal_user=None, follower_email=sender)
    return Thread(task=None, portal_user=portal_user)
