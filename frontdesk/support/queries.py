"""Reads of the support area for staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.support.models import Notification, Task

if TYPE_CHECKING:
    from frontdesk.organizations.access import StaffRequest


# The badge shows "99+" beyond this: counting further would cost a scan per page view for
# someone with thousands of unread notifications.
UNREAD_BADGE_LIMIT = 100


def unread_notification_count(request: StaffRequest) -> int:
    return Notification.objects.filter(user=request.user, organization=request.org,
                                       read_at__isnull=True)[:UNREAD_BADGE_LIMIT].count()


def dashboard_counts(request: StaffRequest) -> dict[str, int]:
    tasks = Task.objects.for_org(request.org).open()
    return {
        "open": tasks.count(),
        "mine": tasks.filter(assignees=request.user).count(),
        "unread": unread_notification_count(request),
    }
