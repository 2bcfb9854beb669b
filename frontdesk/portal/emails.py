"""E-mails to customers. Built at delivery time: each carries a freshly minted passwordless
link, and a reply notice is only sent if the post is still visible to its reader."""

from __future__ import annotations

from django.conf import settings

from frontdesk.lib.jinja import absolute_url
from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage
from frontdesk.portal import reminders  # noqa: F401  (registers the support reminder)
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.auth import viewer_outside_a_page
from frontdesk.portal.models import PortalSettings, PortalUser
from frontdesk.portal.rating_links import rating_urls
from frontdesk.support.models import Post, Status, Task
from frontdesk.support.visibility import portal_user_may_read_post


def _portal_user(message: OutboxMessage) -> PortalUser | None:
    return (PortalUser.objects.select_related("organization")
            .filter(pk=message.context["portal_user_id"], is_active=True).first())


def customer_context(portal_user: PortalUser, customer_id: int | None = None
                     ) -> dict[str, object]:
    """What every e-mail to a customer says of its sender, and its link into the portal, for
    the customer the e-mail is about (`customer_id`: one the person acts for, SPEC X7; None:
    their own): none where the portal is not open to that customer (SPEC P10), or the person
    no longer acts for it."""
    organization = portal_user.organization
    portal_settings = PortalSettings.objects.filter(organization=organization).first()
    link = ""
    if viewer_outside_a_page(portal_user, portal_settings=portal_settings,
                             customer_id=customer_id) is not None:
        link = absolute_url("portal:link", organization.slug,
                            mint_access_link(portal_user, customer_id=customer_id))
    return {
        "portal_user": portal_user,
        "organization": organization,
        "org_name": portal_settings.shown_name() if portal_settings else organization.name,
        "link": link,
    }


@email_kind("portal.request_confirmation")
def request_confirmation(message: OutboxMessage) -> RenderedEmail | None:
    portal_user = _portal_user(message)
    if portal_user is None:
        return None
    task = Task.objects.filter(pk=message.context["task_id"], requester=portal_user).first()
    if task is None:
        return None
    context = customer_context(portal_user, task.customer_id) | {"task": task}
    return render_templates("request_confirmation", context, from_name=str(context["org_name"]),
                            task_id=task.pk)


@email_kind("portal.invitation")
def invitation(message: OutboxMessage) -> RenderedEmail | None:
    """An invitation to the customer's portal account (SPEC P8): its link opens the portal
    and asks for a password (a session opened by a link sees only its person's requests until
    then)."""
    portal_user = _portal_user(message)
    if portal_user is None:
        return None
    context = customer_context(portal_user, message.context.get("customer_id"))
    if not context["link"]:
        return None  # the invitation is a way into a portal not open to them (SPEC P10)
    context["link"] = f"{context['link']}?next=password"
    context["inviter"] = message.context.get("inviter", "")
    context["link_days"] = settings.FRONTDESK_LINK_DAYS
    return render_templates("invitation", context, from_name=str(context["org_name"]))


@email_kind("portal.welcome")
def welcome(message: OutboxMessage) -> RenderedEmail | None:
    """After signing up (SPEC P5): the link proves the address and asks for a password."""
    portal_user = _portal_user(message)
    if portal_user is None or portal_user.has_password:
        return None
    context = customer_context(portal_user)
    if not context["link"]:
        return None
    context["link"] = f"{context['link']}?next=password"
    context["link_days"] = settings.FRONTDESK_LINK_DAYS
    return render_templates("welcome", context, from_name=str(context["org_name"]))


@email_kind("portal.reply_notice")
def reply_notice(message: OutboxMessage) -> RenderedEmail | None:
    portal_user = _portal_user(message)
    if portal_user is None:
        return None
    post = (Post.objects.select_related("task", "author")
            .filter(pk=message.context["post_id"]).first())
    # Made internal again before delivery, or no longer this person's to read: not sent.
    if post is None or not portal_user_may_read_post(portal_user, post):
        return None
    context = (customer_context(portal_user, post.task.customer_id)
               | {"task": post.task, "post": post})
    return render_templates("reply_notice", context, from_name=str(context["org_name"]),
                            task_id=post.task_id)


@email_kind("portal.access_link")
def access_link(message: OutboxMessage) -> RenderedEmail | None:
    portal_user = _portal_user(message)
    if portal_user is None:
        return None
    context = customer_context(portal_user)
    if not context["link"]:
        return None
    return render_templates("access_link", context, from_name=str(context["org_name"]))


@email_kind("portal.solution_notice")
def solution_notice(message: OutboxMessage) -> RenderedEmail | None:
    """The solution staff wrote on the requester's request (SPEC T6), as it is at delivery:
    not sent when it was taken away in the meantime."""
    portal_user = _portal_user(message)
    if portal_user is None:
        return None
    task = (Task.objects.filter(pk=message.context["task_id"], requester=portal_user)
            .exclude(solution="").first())
    # Still the request of a customer they act for: staff may have tagged it with another
    # (SPEC C13); `customer_context` finds no link then either.
    if task is None or task.customer_id is None or viewer_outside_a_page(
            portal_user, in_portal=False, customer_id=task.customer_id) is None:
        return None
    context = customer_context(portal_user, task.customer_id) | {"task": task}
    return render_templates("solution_notice", context, from_name=str(context["org_name"]),
                            task_id=task.pk)


@email_kind("portal.closed_notice")
def closed_notice(message: OutboxMessage) -> RenderedEmail | None:
    """Staff closed the requester's request (SPEC X2): it says so, and, where the portal is
    open to them, carries the rating choices as links (portal.rating_links). Not sent when
    the request was reopened in the meantime, or is no longer theirs."""
    portal_user = _portal_user(message)
    if portal_user is None:
        return None
    task = (Task.objects.select_related("organization")
            .filter(pk=message.context["task_id"], requester=portal_user,
                    status=Status.CLOSED).first())
    if task is None or task.customer_id is None or viewer_outside_a_page(
            portal_user, in_portal=False, customer_id=task.customer_id) is None:
        return None
    context = customer_context(portal_user, task.customer_id) | {"task": task}
    # The rating page is the portal's: none where the portal is not open to them either.
    context["ratings"] = rating_urls(portal_user, task) if context["link"] else []
    return render_templates("closed_notice", context, from_name=str(context["org_name"]),
                            task_id=task.pk)
