"""Staff pages of support requests: the list and one request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.accounts.models import User
from frontdesk.lib.files import download_response
from frontdesk.lib.paging import keyset_page
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.portal.services import revoke_access_links
from frontdesk.support import services
from frontdesk.support.forms import StaffPostForm, StatusForm
from frontdesk.support.models import Attachment, Post, Status, Task, TaskEvent
from frontdesk.support.queries import posts_for_page

VIEWS = {
    "open": gettext_lazy("Open"),
    "mine": gettext_lazy("Assigned to me"),
    "unassigned": gettext_lazy("Unassigned"),
    "closed": gettext_lazy("Closed"),
    "all": gettext_lazy("All"),
}


LIST_COLUMNS = ["id", "title", "status", "priority", "created_at", "customer__short_name"]


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT)
def request_list(request: StaffRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    if view not in VIEWS:
        view = "open"
    tasks = Task.objects.for_org(request.org)
    if view == "open":
        tasks = tasks.open()
    elif view == "mine":
        # The open requests newest first (the organization's open index), each checked for an
        # assignment to the member (the (task, user) index), until the page is full: the cost
        # follows the page, not the number of tasks ever assigned to them (at 1M requests a
        # join or IN list read 25,000 assignments and sorted them: 35-70 ms, here 0.2 ms).
        # The slow case is a member with almost no open requests on a desk with very many
        # open ones; see docs/architecture.md.
        assigned = Task.assignees.through.objects.filter(task_id=OuterRef("pk"),
                                                         user_id=request.user.pk)
        tasks = tasks.open().filter(Exists(assigned))
    elif view == "unassigned":
        tasks = tasks.open().filter(assignees__isnull=True)
    elif view == "closed":
        tasks = tasks.filter(status=Status.CLOSED)
    # Only what a row shows: fewer columns to convert into objects.
    tasks = tasks.select_related("customer").only(*LIST_COLUMNS).prefetch_related(
        Prefetch("assignees", queryset=User.objects.only("id", "full_name", "email"),
                 to_attr="assignee_list"))
    page = keyset_page(tasks, request)
    return render(request, "support/request_list.html",
                  {"page": page, "view": view, "views": VIEWS})


def _task_for_staff(request: StaffRequest, task_id: int) -> Task:
    return get_for_org(Task.objects.select_related("customer", "requester", "group", "topic",
                                                   "creator"),
                       request.org, pk=task_id)


# What the activity list shows of an event and its actor (a user row is wide).
EVENT_FIELDS = ("id", "kind", "created_at", "actor_id", "portal_actor_id", "actor__full_name",
                "actor__email", "portal_actor__first_name", "portal_actor__last_name",
                "portal_actor__email")
EVENTS_SHOWN = 20


def _detail_context(request: StaffRequest, task: Task, form: StaffPostForm) -> dict[str, Any]:
    posts = posts_for_page(Post.objects.filter(task=task))
    files_by_post: dict[int | None, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(task=task).order_by("id"):
        files_by_post.setdefault(attachment.post_id, []).append(attachment)
    return {
        "task": task,
        "posts": posts,
        "files_by_post": files_by_post,
        "assignees": list(task.assignees.all()),
        "events": list(TaskEvent.objects.filter(task=task)
                       .select_related("actor", "portal_actor").only(*EVENT_FIELDS)
                       .order_by("-id")[:EVENTS_SHOWN]),
        "form": form,
        "status_form": StatusForm(initial={"status": task.status}),
        "can_contribute": request.membership.has(Area.SUPPORT, Level.CONTRIBUTE),
        "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB,
    }


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT)
def request_detail(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    return render(request, "support/request_detail.html",
                  _detail_context(request, task, StaffPostForm()))


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def add_post(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    form = StaffPostForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "support/request_detail.html",
                      _detail_context(request, task, form), status=400)
    post = services.add_staff_post(task=task, author=request.user,
                                   body=form.cleaned_data["body"],
                                   files=form.cleaned_data["attachments"],
                                   visible_to_customer=form.cleaned_data["visible_to_customer"])
    if form.cleaned_data["visible_to_customer"]:
        messages.success(request, _("Posted. The customer can see this post."))
    else:
        messages.success(request, _("Posted as an internal note."))
    detail = reverse("support:request_detail", args=[request.org.slug, task.pk])
    return redirect(f"{detail}#post-{post.pk}")


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def post_visibility(request: StaffRequest, task_id: int, post_id: int) -> HttpResponse:
    post = get_for_org(Post.objects.filter(task_id=task_id), request.org, pk=post_id)
    try:
        if request.POST.get("visible") == "1":
            services.make_post_visible_to_customer(post=post, by=request.user)
            messages.success(request, _("The post is now visible to the customer."))
        else:
            services.make_post_internal(post=post, by=request.user)
            messages.success(request, _("The post is internal again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("support:request_detail", request.org.slug, task_id)


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def change_status(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.change_status(task=task, status=Status(form.cleaned_data["status"]),
                               by=request.user)
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose one of the statuses offered."))
    return redirect("support:request_detail", request.org.slug, task.pk)


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def revoke_links(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    if task.requester is not None:
        count = revoke_access_links(portal_user=task.requester)
        messages.success(request, ngettext(
            "%(count)s link of %(name)s no longer works.",
            "%(count)s links of %(name)s no longer work.", count)
            % {"count": count, "name": task.requester.email})
    return redirect("support:request_detail", request.org.slug, task.pk)


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT)
def download(request: StaffRequest, attachment_id: int) -> FileResponse:
    attachment = get_for_org(Attachment.objects.all(), request.org, pk=attachment_id)
    return download_response(attachment.file.open("rb"), attachment.name)
