"""E-mails to the followers of a request (SPEC X5): the customer-facing e-mails its requester
gets (a staff reply shown to the customer, the solution, its closing by staff: SPEC X2,
without the rating links, which are the requester's), built at delivery time like
theirs (portal.emails). Never an internal note: a post must still be visible to the customer
when the e-mail is built. A colleague gets their own passwordless link where the portal is
open to their customer (SPEC P10); a CC address, no portal user, never gets a link (it would
sign them in as someone else)."""

from __future__ import annotations

from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage
from frontdesk.portal.emails import customer_context
from frontdesk.portal.models import PortalSettings
from frontdesk.support.models import Follower, Post, Status, Task
from frontdesk.support.visibility import portal_user_may_read_post, portal_user_may_read_request


def _follower(message: OutboxMessage) -> Follower | None:
    """The message's follower, while they still follow a request of its organization."""
    if message.organization_id is None:
        return None
    return (Follower.objects.select_related("task__organization", "task__requester",
                                            "portal_user")
            .filter(pk=message.context["follower_id"],
                    organization_id=message.organization_id).first())


def _context(follower: Follower) -> dict[str, object]:
    person = follower.portal_user
    if person is not None:
        return (customer_context(person, follower.task.customer_id)
                | {"name": person.first_name or person.email})
    organization = follower.task.organization
    portal_settings = PortalSettings.objects.filter(organization=organization).first()
    return {"organization": organization, "link": "", "name": follower.email,
            "org_name": portal_settings.shown_name() if portal_settings else organization.name}


def _render(name: str, follower: Follower, task: Task, **extra: object) -> RenderedEmail:
    context = _context(follower) | {"task": task, **extra}
    return render_templates(name, context, from_name=str(context["org_name"]),
                            task_id=task.pk)


@email_kind("support.follower_reply_notice")
def follower_reply_notice(message: OutboxMessage) -> RenderedEmail | None:
    follower = _follower(message)
    if follower is None:
        return None  # no longer following
    post = (Post.objects.select_related("author")
            .filter(pk=message.context["post_id"], task_id=follower.task_id,
                    author__isnull=False, is_visible_to_customer=True).first())
    if post is None:
        return None  # made internal again before delivery
    person = follower.portal_user
    if person is not None and not (person.is_active
                                   and portal_user_may_read_post(person, post)):
        return None
    return _render("follower_reply_notice", follower, follower.task, post=post)


@email_kind("support.follower_solution_notice")
def follower_solution_notice(message: OutboxMessage) -> RenderedEmail | None:
    follower = _follower(message)
    if follower is None:
        return None
    task = follower.task
    if not task.solution:
        return None  # taken away in the meantime
    person = follower.portal_user
    if person is not None and not portal_user_may_read_request(person, task.pk):
        return None
    return _render("follower_solution_notice", follower, task)


@email_kind("support.follower_closed_notice")
def follower_closed_notice(message: OutboxMessage) -> RenderedEmail | None:
    """Staff closed a request the follower follows (SPEC X2): not sent when it was reopened
    in the meantime."""
    follower = _follower(message)
    if follower is None:
        return None
    task = follower.task
    if task.status != Status.CLOSED:
        return None
    person = follower.portal_user
    if person is not None and not portal_user_may_read_request(person, task.pk):
        return None
    return _render("follower_closed_notice", follower, task)
