"""E-mails to staff about requests."""

from __future__ import annotations

from frontdesk.accounts.models import User
from frontdesk.lib.jinja import absolute_url
from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.models import Organization
from frontdesk.organizations.queries import active_staff_member
from frontdesk.support import follower_emails  # noqa: F401  (registers the followers' e-mails)
from frontdesk.support.models import Post, Task


def _staff(message: OutboxMessage) -> User | None:
    """The recipient, if still active staff of the message's organization."""
    return active_staff_member(message.organization_id, message.context["user_id"])


def user_org(message: OutboxMessage) -> Organization | None:
    return message.organization


def _about_task(message: OutboxMessage, template: str, **context: object
                ) -> RenderedEmail | None:
    # An e-mail to staff about the request of the message's `task_id`, while both the
    # recipient and the request are still the organization's.
    user = _staff(message)
    if user is None:
        return None
    task = (Task.objects.select_related("organization", "requester", "customer")
            .filter(pk=message.context["task_id"], organization=user_org(message))
            .first())
    if task is None:
        return None
    return render_templates(template, {
        "user": user, "task": task, "organization": task.organization, **context,
        "link": absolute_url("support:request_detail", task.organization.slug, task.pk),
    }, task_id=task.pk, reply_to_support=False)


@email_kind("support.new_request")
def new_request(message: OutboxMessage) -> RenderedEmail | None:
    return _about_task(message, "staff_new_request")


@email_kind("support.customer_reply")
def customer_reply(message: OutboxMessage) -> RenderedEmail | None:
    user = _staff(message)
    if user is None:
        return None
    post = (Post.objects.select_related("task__organization", "portal_author")
            .filter(pk=message.context["post_id"], organization=user_org(message))
            .first())
    if post is None:
        return None
    task = post.task
    return render_templates("staff_customer_reply", {
        "user": user, "task": task, "post": post, "organization": task.organization,
        "link": absolute_url("support:request_detail", task.organization.slug, task.pk),
    }, task_id=task.pk, reply_to_support=False)


@email_kind("support.assigned")
def assigned(message: OutboxMessage) -> RenderedEmail | None:
    return _about_task(message, "staff_assigned",
                       actor_name=message.context.get("actor_name", ""))
