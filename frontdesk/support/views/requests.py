"""Staff pages of one support request: the request, its posts, status, assignees, details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.lib.files import download_response
from frontdesk.lib.form_html import UnboundForm
from frontdesk.lib.json_rows import JSONRows, datetime_of, parsed_rows
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.portal.access_links import revoke_access_links
from frontdesk.portal.models import person_name
from frontdesk.service_levels.labels import sla_labels
from frontdesk.service_levels.queries import sla_state
from frontdesk.support import posts, services
from frontdesk.support.followers import (
    colleague_choices,
    colleague_rows,
    follower_lines,
    follower_rows,
)
from frontdesk.support.forms import (
    DelegateForm,
    DescribeForm,
    FollowerForm,
    StaffPostForm,
    StatusForm,
)
from frontdesk.support.models import (
    Attachment,
    Category,
    Post,
    Priority,
    SavedReply,
    Severity,
    Status,
    Task,
    TaskEvent,
)
from frontdesk.support.queries import (
    assignee_names,
    file_lines,
    has_files,
    post_lines_of,
    post_rows,
)
from frontdesk.support.replies import fill
from frontdesk.support.topic_fields import answer_lines
from frontdesk.support.views.request_side import side_details


def _task_query(org: int | str, task_id: int) -> QuerySet[Task]:
    return (Task.objects.for_org(org).filter(pk=task_id)
            .select_related("customer", "requester", "group", "topic", "creator")
            .annotate(has_files=has_files(), assignee_names=assignee_names()))


@prepared
def _task_of_org(org_id: int, task_id: int) -> QuerySet[Task]:
    return _task_query(org_id, task_id)[:1]


# What the activity list shows of an event and its actor.
EVENT_ROW = ("kind", "created_at", "actor_id", "portal_actor_id", "actor__full_name",
             "actor__email", "portal_actor__first_name", "portal_actor__last_name",
             "portal_actor__email", "data__email")
EVENTS_SHOWN = 20


def _task_page(org: int | str, task_id: int) -> QuerySet[Task]:
    """The task with what its page lists, read with it (lib/json_rows.py): every post, and
    the newest events. `org`: the organization's id, or its slug (read along with the
    membership: the page is then one statement)."""
    return _task_query(org, task_id).annotate(
        post_rows=post_rows(Post.objects.filter(task_id=OuterRef("pk"))),
        event_rows=JSONRows(TaskEvent.objects.filter(task_id=OuterRef("pk"))
                            .order_by("-id")[:EVENTS_SHOWN], EVENT_ROW),
        # Its followers, and the customer's people who could follow it (SPEC X5).
        follower_rows=follower_rows(), colleague_rows=colleague_rows(),
    )[:1]


_task_page_of_org = prepared(_task_page)


def _task_for_staff(request: StaffRequest, task_id: int, *, page: bool = False) -> Task:
    if page and request.read_along is not None:
        found = request.read_along  # staff_view(read_along=_task_page)
    else:
        found = (_task_page_of_org if page else _task_of_org)(request.org.pk, task_id)
    if not found:
        raise Http404
    return found[0]


def _recent_events(task: Task) -> tuple[tuple[str, dt.datetime], ...]:
    """The newest events of a task read by `_task_page_of_org`, as (sentence, when), written
    as TaskEvent.sentence writes them (in the active language; kept while the events are the
    same, lib/json_rows.parsed_rows)."""
    return parsed_rows(task.event_rows, _event_lines, get_language())  # type: ignore[attr-defined]


def event_sentences() -> dict[str, str]:
    """The sentence of each kind of event in the active language, "%(actor)s" in it to fill:
    translated once per process and language (a request page shows twenty)."""
    language = get_language()
    sentences = _SENTENCES.get(language)
    if sentences is None:
        sentences = _SENTENCES[language] = {kind: str(sentence)
                                            for kind, sentence in _EVENT_SENTENCES.items()}
    return sentences


_SENTENCES: dict[str | None, dict[str, str]] = {}
_EVENT_SENTENCES: dict[str, Any] = {
    TaskEvent.Kind.CREATED: gettext_lazy("%(actor)s created the task"),
    TaskEvent.Kind.POSTED: gettext_lazy("%(actor)s posted"),
    TaskEvent.Kind.POST_SHOWN: gettext_lazy("%(actor)s made a post visible to the customer"),
    TaskEvent.Kind.POST_HIDDEN: gettext_lazy("%(actor)s made a post internal"),
    TaskEvent.Kind.STATUS: gettext_lazy("%(actor)s changed the status"),
    TaskEvent.Kind.ASSIGNEES: gettext_lazy("%(actor)s changed the assignees"),
    TaskEvent.Kind.DUE_DATE: gettext_lazy("%(actor)s changed the due date"),
    TaskEvent.Kind.CUSTOMER: gettext_lazy("%(actor)s changed the customer"),
    TaskEvent.Kind.TOPIC: gettext_lazy("%(actor)s changed the topic"),
    TaskEvent.Kind.PRIORITY: gettext_lazy("%(actor)s changed the priority"),
    TaskEvent.Kind.SEVERITY: gettext_lazy("%(actor)s changed the severity"),
    TaskEvent.Kind.CATEGORY: gettext_lazy("%(actor)s changed the category"),
    TaskEvent.Kind.SOLUTION: gettext_lazy("%(actor)s changed the solution"),
    TaskEvent.Kind.RATED: gettext_lazy("%(actor)s rated the handling of the request"),
    TaskEvent.Kind.SHARED: gettext_lazy("%(actor)s shared the task with the customer"),
    TaskEvent.Kind.UNSHARED: gettext_lazy("%(actor)s stopped sharing the task with the "
                                          "customer"),
    TaskEvent.Kind.FOLLOWER_ADDED: gettext_lazy("%(actor)s added a follower"),
    TaskEvent.Kind.FOLLOWER_REMOVED: gettext_lazy("%(actor)s removed a follower"),
}


def _event_lines(rows: list[list[Any]], language: str | None
                 ) -> tuple[tuple[str, dt.datetime], ...]:
    events = []
    sentences = event_sentences()  # in the active language: `language`
    for (kind, created_at, actor_id, portal_actor_id, actor_name, actor_email, first_name,
         last_name, portal_email, data_email) in rows:
        if actor_id is not None:
            actor = actor_name or actor_email
        elif portal_actor_id is not None:
            actor = person_name(first_name, last_name, portal_email)
        elif kind == TaskEvent.Kind.POSTED and data_email:
            actor = data_email  # a reply e-mailed by a CC follower (SPEC X5)
        else:
            actor = "—"
        events.append((sentences[kind] % {"actor": actor}, datetime_of(created_at)))
    return tuple(events)  # plain: the page keeps the list's HTML ({% memo %})


@prepared
def _files_of(task_id: int) -> QuerySet[Attachment]:
    return Attachment.objects.filter(task_id=task_id).order_by("id")


def _detail_context(request: StaffRequest, task: Task, form: StaffPostForm | UnboundForm,
                    follower_form: FollowerForm | None = None) -> dict[str, Any]:
    files = file_lines(_files_of(task.pk)) if task.has_files else {}  # type: ignore[attr-defined]
    can_contribute = request.membership.has(Area.SUPPORT, Level.CONTRIBUTE)
    followers = follower_lines(task)
    shown_form: FollowerForm | UnboundForm | None = None
    if can_contribute and task.is_request:
        colleagues = colleague_choices(task, followers)
        if follower_form is None:
            # As first shown: written once per set of colleagues, then kept (lib/form_html).
            shown_form = UnboundForm(FollowerForm, init={"colleagues": tuple(colleagues)})
        else:
            follower_form.offer(colleagues)
            shown_form = follower_form
    return {
        "followers": followers, "follower_form": shown_form,
        "task": task,
        "posts": post_lines_of(task.post_rows, files),  # type: ignore[attr-defined]
        "task_files": files.get(None, ()),
        "answers": answer_lines(task.answers),
        "events": _recent_events(task),
        "form": form,
        "status_form": UnboundForm(StatusForm, {"status": task.status}),
        "can_contribute": can_contribute,
        "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB,
        "live_interval": settings.FRONTDESK_LIVE_POLL_SECONDS,
        "side": side_details(request, task, sla_state(task.next_due_at, timezone.now())),
        "sla_labels": sla_labels(),
    }


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT, read_along=_task_page)
def request_detail(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id, page=True)
    form: StaffPostForm | UnboundForm = UnboundForm(StaffPostForm)
    chosen = request.GET.get("reply", "")
    if chosen.isdigit() and len(chosen) < 19:
        # A saved reply chosen for this request (SPEC X9): its text fills the form.
        reply = SavedReply.objects.for_org(request.org).filter(pk=int(chosen)).first()
        if reply is not None:
            form = StaffPostForm(initial={"body": fill(reply.body, task=task, user=request.user,
                                                       organization=request.org)})
    return render(request, "support/request_detail.html",
                  _detail_context(request, task, form))


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def add_post(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    form = StaffPostForm(request.POST, request.FILES)
    if not form.is_valid():
        task = _task_for_staff(request, task_id, page=True)
        return render(request, "support/request_detail.html",
                      _detail_context(request, task, form), status=400)
    post = posts.add_staff_post(task=task, author=request.user,
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
            posts.make_post_visible_to_customer(post=post, by=request.user)
            messages.success(request, _("The post is now visible to the customer."))
        else:
            posts.make_post_internal(post=post, by=request.user)
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


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def delegate(request: StaffRequest, task_id: int) -> HttpResponse:
    """Assignees, due date and priority of a request (SPEC T4, T6)."""
    task = _task_for_staff(request, task_id)
    if request.method == "POST":
        form = DelegateForm(request.POST, organization=request.org)
        if form.is_valid():
            try:
                services.delegate(task=task, assignees=form.cleaned_data["assignees"],
                                  due_date=form.cleaned_data["due_date"],
                                  priority=Priority(form.cleaned_data["priority"]),
                                  by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("support:request_detail", request.org.slug, task.pk)
    else:
        form = DelegateForm(organization=request.org, initial={
            "assignees": list(task.assignees.values_list("pk", flat=True)),
            "due_date": task.due_date, "priority": task.priority})
    return _form_page(request, task, form, _("Assignees, due date and priority"))


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def describe(request: StaffRequest, task_id: int) -> HttpResponse:
    """Severity, category and solution of a request (SPEC T6)."""
    task = _task_for_staff(request, task_id)
    if request.method == "POST":
        form = DescribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.describe(
                task=task, severity=Severity(data["severity"]) if data["severity"] else None,
                category=Category(data["category"]) if data["category"] else None,
                solution=data["solution"], by=request.user)
            messages.success(request, _("Saved."))
            return redirect("support:request_detail", request.org.slug, task.pk)
    else:
        form = DescribeForm(initial={"severity": task.severity, "category": task.category,
                                     "solution": task.solution})
    return _form_page(request, task, form, _("Severity, category and solution"))


def _form_page(request: StaffRequest, task: Task, form: forms.Form, heading: str
               ) -> HttpResponse:
    """A page of the request that is one form (core/form_page.html)."""
    return render(request, "core/form_page.html", {
        "form": form, "heading": heading, "back_text": f"{task.reference} {task.title}",
        "back_url": reverse("support:request_detail", args=[request.org.slug, task.pk])})


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
