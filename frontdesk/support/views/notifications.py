from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.lib.choices import choice_labels
from frontdesk.lib.paging import keyset_cursors, keyset_query, page_of
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.models import Notification
from frontdesk.support.notify import mark_notifications_read

# What a row shows, as plain rows: no model instances, and of the request only its title.
ROW = ("pk", "kind", "actor_name", "created_at", "read_at", "task_id", "task__title")


@prepared
def _notification_rows(org_id: int, user_id: int, before: int | None, after: int | None
                       ) -> QuerySet[Notification, Any]:
    # The member's notifications here, newest first, read in the order of their index
    # (notification_list): a page costs the same with 30 notifications or 300,000.
    rows = (Notification.objects.for_org(org_id).filter(user_id=user_id)
            .values_list(*ROW, named=True))
    return keyset_query(rows, before, after)


@require_http_methods(["GET"])
@staff_view()
def notifications(request: StaffRequest) -> HttpResponse:
    before, after = keyset_cursors(request)
    rows = _notification_rows(request.org.pk, request.user.pk, before, after)
    return render(request, "support/notifications.html", {
        "page": page_of(rows, before, after),
        "kind_labels": choice_labels(Notification.Kind),
    })


@require_POST
@staff_view()
def open_notification(request: StaffRequest, notification_id: int) -> HttpResponse:
    notification = get_for_org(Notification.objects.filter(user=request.user), request.org,
                               pk=notification_id)
    mark_notifications_read(user=request.user, membership=request.membership,
                            ids=[notification.pk])
    return redirect("support:request_detail", request.org.slug, notification.task_id)


@require_POST
@staff_view()
def mark_all_read(request: StaffRequest) -> HttpResponse:
    mark_notifications_read(user=request.user, membership=request.membership)
    return redirect("support:notifications", request.org.slug)
