"""The followers of a request in the portal (SPEC X5): its requester, and the colleagues who
follow it, add a colleague of their own customer or a CC address, and remove one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontdesk.lib.form_html import UnboundForm
from frontdesk.portal.access import SignedInPortalRequest, portal_view
from frontdesk.portal.forms import ReplyForm
from frontdesk.portal.views.requests import _detail_context, _visible_request
from frontdesk.support import followers
from frontdesk.support.forms import FollowerForm
from frontdesk.support.models import Follower
from frontdesk.support.visibility import request_visible_to


@require_POST
@portal_view()
def add_follower(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    task = _visible_request(request, task_id)
    person = request.viewer.portal_user
    # Someone who sees the request but neither made nor follows it: not theirs to change.
    if not followers.may_manage_followers(task, person):
        raise Http404
    form = FollowerForm(request.POST)
    if form.add_to(task, by_portal_user=person):
        messages.success(request, _("The follower was added."))
        return redirect("portal:request_detail", request.org.slug, task.pk)
    task = _visible_request(request, task_id, with_posts=True)
    return render(request, "portal/request_detail.html",
                  _detail_context(request, task, UnboundForm(ReplyForm), follower_form=form),
                  status=400)


@require_POST
@portal_view()
def remove_follower(request: SignedInPortalRequest, task_id: int, follower_id: int
                    ) -> HttpResponse:
    task = _visible_request(request, task_id)
    follower = get_object_or_404(Follower.objects.filter(task_id=task.pk), pk=follower_id)
    follower.task = task
    try:
        followers.remove_follower(follower=follower, by_portal_user=request.viewer.portal_user)
    except ValidationError:
        raise Http404 from None  # neither its requester nor a follower: not theirs to change
    if follower.portal_user_id == request.viewer.portal_user.pk:
        messages.success(request, _("You no longer follow this request."))
    else:
        messages.success(request, _("The follower was removed."))
    # Someone who saw the request only as its follower no longer sees it.
    if request_visible_to(request.viewer, task.pk) is None:
        return redirect("portal:request_list", request.org.slug)
    return redirect("portal:request_detail", request.org.slug, task.pk)
