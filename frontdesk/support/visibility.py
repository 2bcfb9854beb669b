"""What a customer may see of a request: this module, and nothing else, decides it.

Portal pages, e-mails to customers, file downloads (and later exports, search and the API)
all ask these functions. The rules (SPEC P7, P11, T5):
- a portal user signed in with a password sees the requests of their customer; one signed in
  through a passwordless link sees only the requests they made themselves;
- of a request, they see the title, the stage, the requester's own description and files,
  the posts of the customer's people, and the staff posts made visible to the customer;
- nothing else: no internal post, group, assignee, due date or other dates.
"""

from __future__ import annotations

from frontdesk.portal.auth import PortalViewer
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import (
    Attachment,
    AttachmentQuerySet,
    Post,
    PostQuerySet,
    Task,
    TaskQuerySet,
)


def requests_visible_to(viewer: PortalViewer) -> TaskQuerySet:
    portal_user = viewer.portal_user
    tasks = Task.objects.filter(organization_id=portal_user.organization_id).requests()
    if viewer.own_requests_only:
        return tasks.filter(requester=portal_user)
    return tasks.filter(customer_id=portal_user.customer_id)


def posts_visible_on(task: Task) -> PostQuerySet:
    """The posts of a request (already known to be visible) that its customer may read."""
    return Post.objects.filter(task=task).visible_to_customer()


def attachments_visible_on(task: Task) -> AttachmentQuerySet:
    """The files of a request (already known to be visible) that its customer may open."""
    return Attachment.objects.filter(task=task).visible_to_customer()


def attachments_visible_to(viewer: PortalViewer) -> AttachmentQuerySet:
    tasks = requests_visible_to(viewer)
    return Attachment.objects.filter(task__in=tasks.values("pk")).visible_to_customer()


def portal_user_may_read_post(portal_user: PortalUser, post: Post) -> bool:
    """For e-mails to customers: is this post something this person may read?"""
    viewer = PortalViewer(portal_user=portal_user)
    return (post.is_visible_to_customer and portal_user.is_active
            and requests_visible_to(viewer).filter(pk=post.task_id).exists())
