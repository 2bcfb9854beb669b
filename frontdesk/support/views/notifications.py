from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.lib.paging import keyset_page
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.models import Notification
from frontdesk.support.services import mark_notifications_read


@require_http_methods(["GET"])
@staff_view()
def notifications(request: StaffRequest) -> HttpResponse:
    items = (Notification.objects.for_org(request.org).filter(user=request.user)
             .select_related("task"))
    return render(request, "support/notifications.html", {"page": keyset_page(items, request)})


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
