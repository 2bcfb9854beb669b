"""Reads of the support area for staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from frontdesk.lib.prepared import prepared
from frontdesk.support.models import Notification, Post, Task

if TYPE_CHECKING:
    from frontdesk.organizations.access import StaffRequest


# What a request page shows of a post and its author: the author rows are wide (a user has a
# password hash, flags, dates) and a page has dozens of posts.
POST_PAGE_FIELDS = ("id", "task_id", "body", "is_visible_to_customer", "created_at",
                    "author_id", "portal_author_id", "author__full_name", "author__email",
                    "portal_author__first_name", "portal_author__last_name",
                    "portal_author__email")


def posts_for_page_query(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author", "portal_author").only(*POST_PAGE_FIELDS).order_by("id")


def posts_for_page(posts: QuerySet[Post]) -> list[Post]:
    return list(posts_for_page_query(posts))


@prepared
def _posts_on_page(task_id: int) -> QuerySet[Post]:
    return posts_for_page_query(Post.objects.filter(task_id=task_id))


def posts_on_page(task: Task) -> list[Post]:
    """Every post of a request, as the staff request page shows them."""
    return _posts_on_page(task.pk)


def unread_notifications_of_member() -> Coalesce:
    """For `Membership` rows: the member's unread notifications in that organization (an
    index-only count on notification_inbox). Shown as "99+" from 100 on."""
    unread = (Notification.objects
              .filter(user=OuterRef("user"), organization=OuterRef("organization"),
                      read_at__isnull=True)
              .order_by().values("user").annotate(count=Count("pk")).values("count"))
    return Coalesce(Subquery(unread), 0)


def unread_notification_count(request: StaffRequest) -> int:
    figure = getattr(request.membership, "unread_notifications", None)
    if figure is not None:
        return int(figure)
    return Notification.objects.filter(user=request.user, organization=request.org,
                                       read_at__isnull=True).count()


def dashboard_counts(request: StaffRequest) -> dict[str, int]:
    tasks = Task.objects.for_org(request.org).open()
    return {
        "open": tasks.count(),
        "mine": tasks.filter(assignees=request.user).count(),
        "unread": unread_notification_count(request),
    }
