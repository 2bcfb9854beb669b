"""The tasks staff share with a customer, in its portal (SPEC P16): a list, each task's page
with the posts made visible to the customer, a reply, its files and its live updates (X3).
Everything shown comes through support.visibility; a task not shared with the viewer's
customer, or a portal where the organization hides shared work, answers 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.lib.files import download_response
from frontdesk.lib.form_html import UnboundForm
from frontdesk.lib.paging import keyset_cursors, page_of
from frontdesk.portal.access import SignedInPortalRequest, portal_view
from frontdesk.portal.forms import ReplyForm
from frontdesk.portal.views.live import poll_answer
from frontdesk.support.models import Status, Task
from frontdesk.support.posts import add_customer_reply
from frontdesk.support.queries import file_lines
from frontdesk.support.visibility import (
    attachments_visible_on_page,
    posts_visible_on_page,
    shared_attachments_visible_to,
    shared_task_rows_visible_to,
    shared_task_state_visible_to,
    shared_task_visible_to,
    shared_tasks_shown,
    stage_labels,
)


def _check(request: SignedInPortalRequest) -> None:
    if not shared_tasks_shown(request.viewer, request.portal_settings):
        raise Http404


def _shared_task(request: SignedInPortalRequest, task_id: int) -> Task:
    _check(request)
    task = shared_task_visible_to(request.viewer, task_id)
    if task is None:
        raise Http404
    return task


@require_http_methods(["GET"])
@portal_view()
def shared_tasks(request: SignedInPortalRequest) -> HttpResponse:
    _check(request)
    before, after = keyset_cursors(request)
    page = page_of(shared_task_rows_visible_to(request.viewer, before, after), before, after)
    return render(request, "portal/shared_task_list.html", {
        "page": page, "status_labels": stage_labels(request.portal_settings)})


def _detail(request: SignedInPortalRequest, task: Task, form: ReplyForm | UnboundForm,
            status: int = 200) -> HttpResponse:
    files = file_lines(attachments_visible_on_page(task))
    return render(request, "portal/shared_task_detail.html", {
        "task": task, "posts": posts_visible_on_page(task, files), "form": form,
        "stage": stage_labels(request.portal_settings)[task.status],
        "is_closed": task.status == Status.CLOSED,
        "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB,
        "live_interval": settings.FRONTDESK_LIVE_POLL_SECONDS}, status=status)


@require_http_methods(["GET"])
@portal_view()
def shared_task_detail(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    return _detail(request, _shared_task(request, task_id), UnboundForm(ReplyForm))


@require_POST
@portal_view()
def shared_task_reply(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    """The customer's reply on a shared task: as on a request, staff are notified (SPEC P12)."""
    task = _shared_task(request, task_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_customer_reply(task=task, portal_user=request.viewer.portal_user,
                               body=form.cleaned_data["body"],
                               files=form.cleaned_data["attachments"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("portal:shared_task_detail", request.org.slug, task.pk)
    return _detail(request, _shared_task(request, task_id), form, status=400)


@require_http_methods(["GET"])
@portal_view()
def shared_task_download(request: SignedInPortalRequest, attachment_id: int) -> FileResponse:
    _check(request)
    attachment = get_object_or_404(shared_attachments_visible_to(request.viewer),
                                   pk=attachment_id)
    return download_response(attachment.file.open("rb"), attachment.name)


@require_http_methods(["GET"])
@portal_view()
def shared_task_new_posts(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    """The shared task page's live updates (SPEC X3; support/live.py)."""
    _check(request)
    return poll_answer(request, task_id, shared_task_state_visible_to(request.viewer, task_id),
                       "portal:shared_task_download")
