"""Staff add and remove the followers of a request (SPEC X5): a colleague of the request's
customer, or an e-mail address."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontdesk.lib.form_html import UnboundForm
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support import followers
from frontdesk.support.forms import FollowerForm, StaffPostForm
from frontdesk.support.models import Follower
from frontdesk.support.views.requests import _detail_context, _task_for_staff


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def add_follower(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    form = FollowerForm(request.POST)
    if form.add_to(task, by=request.user):
        messages.success(request, _("The follower was added."))
        return redirect("support:request_detail", request.org.slug, task.pk)
    task = _task_for_staff(request, task_id, page=True)
    return render(request, "support/request_detail.html",
                  _detail_context(request, task, UnboundForm(StaffPostForm),
                                  follower_form=form), status=400)


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def remove_follower(request: StaffRequest, task_id: int, follower_id: int) -> HttpResponse:
    follower = get_for_org(Follower.objects.filter(task_id=task_id), request.org,
                           pk=follower_id)
    followers.remove_follower(follower=follower, by=request.user)
    messages.success(request, _("The follower was removed."))
    return redirect("support:request_detail", request.org.slug, task_id)
