"""A customer's requests in the portal (SPEC P11, P12). Everything shown here comes through
support.visibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from frontdesk.portal import services
from frontdesk.portal.access import SignedInPortalRequest, portal_view
from frontdesk.portal.forms import PortalRequestForm, RatingForm, ReplyForm
from frontdesk.support.followers import colleague_choices, follower_lines, may_manage_followers
from frontdesk.support.forms import FollowerForm
from frontdesk.support.models import Rating, Status, Task
from frontdesk.support.posts import add_customer_reply
from frontdesk.support.queries import file_lines
from frontdesk.support.services import change_status
from frontdesk.support.services import rate as rate_request
from frontdesk.support.topic_fields import answer_lines
from frontdesk.support.visibility import (
    attachments_visible_on_page,
    attachments_visible_to,
    posts_visible_on_page,
    request_rows_visible_to,
    request_visible_to,
    stage_labels,
)


def _visible_request(request: SignedInPortalRequest, task_id: int, *,
                     with_posts: bool = False) -> Task:
    task = request_visible_to(request.viewer, task_id, with_posts=with_posts)
    if task is None:
        raise Http404
    return task


@require_http_methods(["GET"])
@portal_view()
def request_list(request: SignedInPortalRequest) -> HttpResponse:
    before, after = keyset_cursors(request)
    page = page_of(request_rows_visible_to(request.viewer, before, after), before, after)
    return render(request, "portal/request_list.html", {
        "page": page, "status_labels": stage_labels(request.portal_settings)})


def _detail_context(request: SignedInPortalRequest, task: Task, form: ReplyForm | UnboundForm,
                    rating_form: RatingForm | None = None,
                    follower_form: FollowerForm | None = None) -> dict[str, object]:
    """What the request page shows of `task` (read `with_posts`): its posts and files, its
    followers (read along) and, for those who may change them, the form to add one."""
    files = file_lines(attachments_visible_on_page(task))
    posts = posts_visible_on_page(task, files)
    shown_rating: RatingForm | UnboundForm | None = rating_form
    if rating_form is None and task.status == Status.CLOSED:
        # As first shown: written once per rating and comment, then kept (lib/form_html).
        shown_rating = UnboundForm(RatingForm, {"rating": task.rating,
                                                "comment": task.rating_comment})
    followers = follower_lines(task)
    manages = may_manage_followers(task, request.viewer.portal_user, followers)
    shown_form: FollowerForm | UnboundForm | None = None
    if manages:
        colleagues = colleague_choices(task, followers)
        if follower_form is None:
            # As first shown: written once per set of colleagues, then kept (lib/form_html).
            shown_form = UnboundForm(FollowerForm, init={"colleagues": tuple(colleagues)})
        else:
            follower_form.offer(colleagues)
            shown_form = follower_form
    return {"task": task, "posts": posts, "task_files": files.get(None, ()), "form": form,
            "answers": answer_lines(task.answers),
            "stage": stage_labels(request.portal_settings)[task.status],
            "rating_form": shown_rating,
            "is_closed": task.status == Status.CLOSED,
            "followers": followers, "manages_followers": manages,
            "follower_form": shown_form,
            "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB,
            "live_interval": settings.FRONTDESK_LIVE_POLL_SECONDS}


@require_http_methods(["GET"])
@portal_view()
def request_detail(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    task = _visible_request(request, task_id, with_posts=True)
    return render(request, "portal/request_detail.html",
                  _detail_context(request, task, UnboundForm(ReplyForm)))


@require_POST
@portal_view()
def reply(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    portal_user = request.viewer.portal_user
    return _act_on_request(
        request, task_id, ReplyForm(request.POST, request.FILES),
        lambda task, data: add_customer_reply(task=task, portal_user=portal_user,
                                              body=data["body"], files=data["attachments"]),
        _("Your reply was sent."))


def _act_on_request(request: SignedInPortalRequest, task_id: int,
                    form: ReplyForm | RatingForm,
                    act: Callable[[Task, dict[str, Any]], object], done: str) -> HttpResponse:
    """`act` on the viewer's request with a valid `form`'s data, then back to the request,
    saying `done`; else the request page again, the form with its errors (400)."""
    task = _visible_request(request, task_id)
    if form.is_valid():
        try:
            act(task, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("portal:request_detail", request.org.slug, task.pk)
    task = _visible_request(request, task_id, with_posts=True)
    context = (_detail_context(request, task, form) if isinstance(form, ReplyForm)
               else _detail_context(request, task, UnboundForm(ReplyForm), form))
    return render(request, "portal/request_detail.html", context, status=400)


@require_POST
@portal_view()
def close(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    """The customer closes one of their requests (SPEC P12): it takes no more replies."""
    task = _visible_request(request, task_id)
    change_status(task=task, status=Status.CLOSED, by_customer=request.viewer.portal_user)
    messages.success(request, _("Your request is closed."))
    return redirect("portal:request_detail", request.org.slug, task.pk)


@require_POST
@portal_view()
def rate(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    """The customer rates the handling of their closed request (SPEC X2)."""
    portal_user = request.viewer.portal_user
    return _act_on_request(
        request, task_id, RatingForm(request.POST),
        lambda task, data: rate_request(task=task, portal_user=portal_user,
                                        rating=Rating(data["rating"]), comment=data["comment"]),
        _("Thank you for your rating."))


@require_http_methods(["GET", "POST"])
@portal_view()
def new_request(request: SignedInPortalRequest) -> HttpResponse:
    form = PortalRequestForm(request.POST or None, request.FILES or None,
                             organization=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.submit_portal_request(
                portal_user=request.viewer.portal_user, topic=form.chosen_topic(),
                title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                files=form.cleaned_data["attachments"], answers=form.answers(),
                cc=form.cleaned_data["cc"])
        except ValidationError as error:
            # The action checks the answers against the topic's form too: a refusal
            # there is shown, never a 500.
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent. We will answer soon."))
            return redirect("portal:request_detail", request.org.slug, task.pk)
    return render(request, "portal/request_new.html",
                  {"form": form, "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB})


@require_http_methods(["GET"])
@portal_view()
def download(request: SignedInPortalRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(attachments_visible_to(request.viewer), pk=attachment_id)
    return download_response(attachment.file.open("rb"), attachment.name)

