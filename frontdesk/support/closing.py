"""Telling the customer that staff closed their request (SPEC X2). The requester gets
`portal.closed_notice`, with the rating choices as links (portal.rating_links); its
followers get `support.follower_closed_notice`, as they get the other customer-facing
e-mails (SPEC X5). Both are built at delivery, and not sent if the request was reopened
meanwhile. A requester who closes their own request is told nothing: they know."""

from __future__ import annotations

from frontdesk.mail.services import Email, queue_emails
from frontdesk.support import followers
from frontdesk.support.models import Task


def queue_closed_notices(*, task: Task) -> None:
    """Inside the action in which staff closed `task`: queue its e-mails (one insert, sent
    once the action commits). Staff's own tasks (not requests) have no one to tell."""
    if not task.is_request:
        return
    emails = []
    requester = task.requester
    if requester is not None and requester.is_active:
        organization = task.organization
        emails.append(Email(kind="portal.closed_notice", to=requester.email,
                            organization=organization,
                            language=requester.language or organization.language,
                            context={"task_id": task.pk, "portal_user_id": requester.pk}))
    queue_emails([*emails, *followers.closed_notice_emails(task=task)])
