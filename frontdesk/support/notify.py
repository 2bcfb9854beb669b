"""Telling staff about requests (SPEC T2, T8): in-app notifications and e-mails, each member's
own choice of which kinds come by e-mail, and marking them read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from frontdesk.accounts.models import User
from frontdesk.customers import announce as customer_announce
from frontdesk.lib.inserts import insert
from frontdesk.lib.prepared import prepared
from frontdesk.mail.services import Email, queue_emails
from frontdesk.organizations.models import Membership
from frontdesk.support import announce
from frontdesk.support.models import Assignment, Notification, Post, Task


def _staff_language(user: User, fallback: str) -> str:
    return user.language or fallback


@prepared
def _staff_to_notify(task_id: int, org_id: int) -> QuerySet[User]:
    # Assignees who are still active staff: removing a member leaves their assignments.
    assigned = Assignment.objects.filter(task_id=task_id, user_id=OuterRef("pk"))
    return User.objects.filter(Exists(assigned), is_active=True,
                               memberships__organization_id=org_id).order_by("id")


# The preference (a field of the user) that says whether a kind of notification also comes by
# e-mail (SPEC T8).
EMAIL_PREFERENCE = {
    Notification.Kind.NEW_REQUEST: "email_new_requests",
    Notification.Kind.CUSTOMER_REPLY: "email_customer_replies",
    Notification.Kind.ASSIGNED: "email_assignments",
}


def _notify_staff(*, task: Task, kind: Notification.Kind, actor_name: str, email_kind: str,
                  context: dict[str, int | str], users: Iterable[User] | None = None
                  ) -> list[Email]:
    """The task's assignees (or `users`, some of them) notified in the app; the e-mails to
    queue for those who want this kind by e-mail."""
    organization = task.organization
    users = list(_staff_to_notify(task.pk, task.organization_id) if users is None else users)
    insert([Notification(organization=organization, user=user, task=task, kind=kind,
                         actor_name=actor_name) for user in users])
    return [Email(kind=email_kind, to=user.email, organization=organization,
                  language=_staff_language(user, organization.language),
                  context={**context, "user_id": user.pk})
            for user in users if getattr(user, EMAIL_PREFERENCE[kind])]


def notify_about_new_request(task_id: int, new_customer_id: int | None = None) -> int:
    """Run by the worker after a request was created: its assignees get a notification in
    the app and an e-mail (if they want it: EMAIL_PREFERENCE), the requester a confirmation
    with a passwordless link (see portal.emails). `new_customer_id`: the requester's customer
    record made with the request, whose customer.created webhook goes first. The number of
    e-mails queued."""
    task = (Task.objects.select_related("organization", "requester")
            .filter(pk=task_id).first())
    if task is None:
        return 0  # deleted in the meantime
    requester = task.requester  # None if their portal account went in the meantime
    with transaction.atomic():
        emails = _notify_staff(task=task, kind=Notification.Kind.NEW_REQUEST,
                               actor_name=(requester.full_name or requester.email)
                               if requester else "",
                               email_kind="support.new_request", context={"task_id": task.pk})
        if requester is not None:
            emails.append(Email(kind="portal.request_confirmation", to=requester.email,
                                organization=task.organization,
                                language=requester.language or task.organization.language,
                                context={"task_id": task.pk, "portal_user_id": requester.pk}))
        queue_emails(emails)
        # Here, in the worker, not in create_request: the public form's submission pays
        # nothing for webhooks (not even the look-up of the organization's endpoints).
        if new_customer_id is not None:
            customer_announce.requester_customer_created(task.organization_id,
                                                         new_customer_id)
        announce.request_created(task)
    return len(emails)


def notify_about_customer_reply(post_id: int) -> int:
    """Run by the worker after a customer replied (a portal user, or a CC follower by
    e-mail): the request's assignees are notified in the app and, if they want it, by
    e-mail. The number of e-mails queued."""
    post = (Post.objects.select_related("task__organization", "portal_author")
            .filter(Q(portal_author__isnull=False) | ~Q(author_email=""), pk=post_id)
            .first())
    if post is None:
        return 0
    author = post.portal_author
    # A portal user by name, a CC follower's reply (SPEC X5) by its address.
    actor_name = (author.full_name or author.email) if author is not None else post.author_email
    with transaction.atomic():
        emails = _notify_staff(task=post.task, kind=Notification.Kind.CUSTOMER_REPLY,
                               actor_name=actor_name,
                               email_kind="support.customer_reply",
                               context={"post_id": post.pk})
        queue_emails(emails)
    return len(emails)


def notify_about_assignment(task_id: int, user_ids: list[int], actor_id: int) -> int:
    """Run by the worker after staff were assigned to a request: those still assigned get a
    notification in the app and, if they want it, an e-mail. The number of e-mails queued."""
    task = Task.objects.select_related("organization").filter(pk=task_id).first()
    if task is None:
        return 0  # deleted in the meantime
    actor = User.objects.filter(pk=actor_id).first()
    actor_name = (actor.full_name or actor.email) if actor else ""
    users = [user for user in _staff_to_notify(task.pk, task.organization_id)
             if user.pk in user_ids]
    with transaction.atomic():
        emails = _notify_staff(task=task, kind=Notification.Kind.ASSIGNED,
                               actor_name=actor_name, email_kind="support.assigned",
                               context={"task_id": task.pk, "actor_name": actor_name},
                               users=users)
        queue_emails(emails)
    return len(emails)


def mark_notifications_read(*, user: User, membership: Membership,
                            ids: Iterable[int] | None = None) -> int:
    notifications = Notification.objects.filter(user=user,
                                                organization_id=membership.organization_id,
                                                read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=list(ids))
    return notifications.update(read_at=timezone.now())
