"""Staff share one of their tasks with its customer, or stop (SPEC P16; support/sharing.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.models import Task
from frontdesk.support.sharing import share_task_with_customer


@require_POST
@staff_view(Area.TASKS, Level.CONTRIBUTE)
def share_task(request: StaffRequest, task_id: int) -> HttpResponse:
    task = get_for_org(Task.objects.all(), request.org, pk=task_id)
    shared = request.POST.get("shared") == "1"
    try:
        share_task_with_customer(task=task, shared=shared, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The customer now sees this task in the portal.") if shared
                         else _("The task is no longer shared with the customer."))
    return redirect("support:request_detail", request.org.slug, task.pk)
