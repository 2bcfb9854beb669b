"""Actions on the posts of a request (SPEC T5, P12, E2, X5): staff posts, internal or shown to
the customer (and hidden again), and the customers' replies."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.lib.background import enqueue_when_committed
from frontdesk.mail.services import queue_email
from frontdesk.portal.models import PortalUser
from frontdesk.service_levels import clock
from frontdesk.support import announce, followers
from frontdesk.support.models import Post, Status, Task, TaskEvent
from frontdesk.support.services import save_files


@transaction.atomic
def add_staff_post(*, task: Task, author: User, body: str, files: Sequence[UploadedFile] = (),
                   visible_to_customer: bool = False) -> Post:
    """A staff post; internal unless `visible_to_customer` (SPEC T5)."""
    post = Post.objects.create(organization_id=task.organization_id, task=task, author=author,
                               body=body.strip(), is_visible_to_customer=False)
    save_files(task=task, post=post, files=files, user=author)
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.POSTED, actor=author, data={"post": post.pk})
    Task.objects.filter(pk=task.pk).update(updated_at=timezone.now())
    if visible_to_customer:
        make_post_visible_to_customer(post=post, by=author)
    announce.post_created(post, internal=not visible_to_customer)
    return post


def _staff_post_for_update(post: Post) -> Post:
    post = (Post.objects.select_for_update(of=("self",))
            .select_related("task__organization", "task__requester").get(pk=post.pk))
    if post.author_id is None:
        raise ValidationError(_("Only staff posts can be made visible or internal."))
    return post


@transaction.atomic
def make_post_visible_to_customer(*, post: Post, by: User) -> Post:
    """Show one staff post to the customer; the requester gets an e-mail with a fresh link."""
    post = _staff_post_for_update(post)
    if post.is_visible_to_customer:
        return post
    post.is_visible_to_customer = True
    post.save(update_fields=["is_visible_to_customer"])
    task = post.task
    clock.record_first_response(task)
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.POST_SHOWN, actor=by, data={"post": post.pk})
    announce.post_shown(post)
    requester = task.requester
    if requester is not None and requester.is_active:
        queue_email(kind="portal.reply_notice", to=requester.email,
                    organization=task.organization,
                    language=requester.language or task.organization.language,
                    context={"post_id": post.pk, "portal_user_id": requester.pk})
    followers.queue_reply_notices(post=post)  # SPEC X5
    return post


@transaction.atomic
def make_post_internal(*, post: Post, by: User) -> Post:
    """Undo `make_post_visible_to_customer`. A reply notice not yet delivered is then not
    sent (the e-mail is built at delivery time and checks visibility again)."""
    post = _staff_post_for_update(post)
    if not post.is_visible_to_customer:
        return post
    post.is_visible_to_customer = False
    post.save(update_fields=["is_visible_to_customer"])
    TaskEvent.objects.create(organization_id=post.organization_id, task_id=post.task_id,
                             kind=TaskEvent.Kind.POST_HIDDEN, actor=by, data={"post": post.pk})
    return post


@transaction.atomic
def add_customer_reply(*, task: Task, body: str, portal_user: PortalUser | None = None,
                       author_email: str = "", files: Sequence[UploadedFile] = ()) -> Post:
    """A customer's reply, visible to the customer: from the portal or by e-mail (SPEC P12,
    E2) by `portal_user`, or e-mailed by one of the request's CC followers (SPEC X5), signed
    with their `author_email` (the caller checked they follow it: mail.threads). Once it
    commits, the worker notifies the assignees (notify_about_customer_reply)."""
    if (portal_user is None) == (not author_email):
        raise ValueError("a customer reply has a portal author or an e-mail author, one")
    task = Task.objects.select_for_update(of=("self",)).select_related("organization").get(
        pk=task.pk)
    if task.status == Status.CLOSED:
        raise ValidationError(_("This request is closed and takes no more replies."))
    post = Post.objects.create(organization_id=task.organization_id, task=task,
                               portal_author=portal_user, author_email=author_email.lower(),
                               body=body.strip(), is_visible_to_customer=True)
    save_files(task=task, post=post, files=files, portal_user=portal_user)
    TaskEvent.objects.create(organization_id=task.organization_id, task=task,
                             kind=TaskEvent.Kind.POSTED, portal_actor=portal_user,
                             data={"post": post.pk, **({"email": post.author_email}
                                                       if author_email else {})})
    sla_fields: list[str] = []
    if task.status == Status.WAITING:
        task.status = Status.OPEN
        sla_fields = clock.follow_status(task)  # the clock runs again
    task.save(update_fields=["status", *sla_fields, "updated_at"])
    from frontdesk.support.tasks import notify_about_customer_reply

    enqueue_when_committed(notify_about_customer_reply, post.pk)
    announce.post_created(post, internal=False)
    return post
