"""Staff pages of support requests: the list and one request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.lib.files import download_response
from frontdesk.lib.form_html import UnboundForm
from frontdesk.lib.json_rows import JSONRows, datetime_of, parsed_rows, rows_of
from frontdesk.lib.paging import PER_PAGE, Page, keyset_cursors, keyset_query, page_of
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.models import Organization
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.portal.models import person_name
from frontdesk.portal.services import revoke_access_links
from frontdesk.support import search_index, services
from frontdesk.support.forms import DelegateForm, DescribeForm, StaffPostForm, StatusForm
from frontdesk.support.models import (
    Attachment,
    Category,
    Post,
    Priority,
    Severity,
    Status,
    Task,
    TaskEvent,
    TaskQuerySet,
    Topic,
    choice_labels,
    event_sentences,
)
from frontdesk.support.queries import (
    assignee_names,
    file_lines,
    has_files,
    post_lines_of,
    post_rows,
    with_assignee_names,
)

VIEWS = {
    "open": gettext_lazy("Open"),
    "mine": gettext_lazy("Assigned to me"),
    "unassigned": gettext_lazy("Unassigned"),
    "topic": gettext_lazy("By topic"),
    "overdue": gettext_lazy("Overdue"),
    # By status (SPEC T7), each named by its status's value ("open" is every open status).
    **{status.value: status.label for status in (Status.IN_PROGRESS, Status.WAITING,
                                                 Status.CLOSED)},
    "all": gettext_lazy("All"),
}
STATUS_VIEWS = (Status.IN_PROGRESS.value, Status.WAITING.value, Status.CLOSED.value)


# Only what a row shows, as plain rows (no model instances to build), with the names of its
# assignees (one query for the page, not one more for the assignees).
LIST_COLUMNS = ("pk", "title", "status", "priority", "created_at", "due_date",
                "customer__short_name")


def _rows(tasks: QuerySet[Task], before: int | None, after: int | None, order: str = "pk"
          ) -> QuerySet[Task, Any]:
    """The page's rows (`keyset_query`), each with its assignees' names."""
    ascending = after is not None and before is None  # keyset_query's order
    return _listed(tasks, lambda rows: keyset_query(rows, before, after, order=order),
                   ("pk",) if ascending else ("-pk",))


def _listed(tasks: QuerySet[Task], cut: Callable[[QuerySet[Any, Any]], QuerySet[Any, Any]],
            order: tuple[str, ...]) -> QuerySet[Task, Any]:
    """The rows of `tasks` that `cut` keeps for the page (in the order `order`), each with
    its assignees' names."""
    return with_assignee_names(tasks, LIST_COLUMNS, cut, order)


def _org_tasks(org_id: int) -> TaskQuerySet:
    return Task.objects.for_org(org_id)


# One prepared query per view (docs/architecture.md, "Prepared queries").
@prepared
def _open_rows(org_id: int, before: int | None, after: int | None) -> QuerySet[Task, Any]:
    return _rows(_org_tasks(org_id).open(), before, after)


@prepared
def _mine_rows(org_id: int, user_id: int, before: int | None, after: int | None
               ) -> QuerySet[Task, Any]:
    # The member's open assignments, newest task first, from their index (Assignment), read
    # in its order (cut and ordered by the assignment's task id, equal to the task's): the
    # cost follows the page, whatever the number of open requests or of tasks ever assigned.
    tasks = _org_tasks(org_id).filter(assignment__user_id=user_id, assignment__is_open=1)
    return _rows(tasks, before, after, order="assignment__task_id")


@prepared
def _unassigned_rows(org_id: int, before: int | None, after: int | None
                     ) -> QuerySet[Task, Any]:
    return _rows(_org_tasks(org_id).open().filter(assignees__isnull=True), before, after)


@prepared
def _topic_rows(org_id: int, topic_id: int, before: int | None, after: int | None
                ) -> QuerySet[Task, Any]:
    # Read in the order of the topic's index (topic, open, newest first).
    return _rows(_org_tasks(org_id).open().filter(topic_id=topic_id), before, after)


def _topic_choices(org: int | str) -> QuerySet[Organization, Any]:
    """The organization's topics, [id, name] in their order, as one row of JSON (lib/
    json_rows.py): the view by topic reads it with the membership (`read_along`). `org`: the
    organization's id or its slug."""
    topics = Topic.objects.filter(organization_id=OuterRef("pk")).order_by("position", "pk")
    organizations = Organization.objects.filter(
        **({"slug": org} if isinstance(org, str) else {"pk": org}))
    return organizations.annotate(
        topic_rows=JSONRows(topics, ("pk", "name"))).values_list("topic_rows")[:1]


_topic_choices_of_org = prepared(_topic_choices)


@prepared
def _status_rows(org_id: int, status: str, before: int | None, after: int | None
                 ) -> QuerySet[Task, Any]:
    # Read in the order of the index of (organization, status, newest first).
    return _rows(_org_tasks(org_id).filter(status=status), before, after)


@prepared
def _all_rows(org_id: int, before: int | None, after: int | None) -> QuerySet[Task, Any]:
    return _rows(_org_tasks(org_id), before, after)


@prepared
def _overdue_rows(org_id: int, today: dt.date, before: int | None, after: int | None
                  ) -> QuerySet[Task, Any]:
    # The open requests due before today, the longest overdue first (by due date, then id),
    # read in the order of their partial index (task_org_open_due). The cursors are ids as in
    # every list: `before` the last row of the page before, `after` the first of the page after;
    # the row's due date is read from it in the same statement.
    tasks = _org_tasks(org_id).open().filter(due_date__lt=today)
    if before is not None:
        due = Subquery(Task.objects.filter(pk=before).values("due_date")[:1])
        tasks = tasks.filter(Q(due_date__gt=due) | Q(pk__gt=before), due_date__gte=due)
    elif after is not None:
        due = Subquery(Task.objects.filter(pk=after).values("due_date")[:1])
        tasks = tasks.filter(Q(due_date__lt=due) | Q(pk__lt=after), due_date__lte=due)
    order = ("-due_date", "-pk") if after is not None and before is None else ("due_date", "pk")
    return _listed(tasks, lambda rows: rows.order_by(*order)[:PER_PAGE + 1], order)


@prepared
def _found_rows(org_id: int, match: str, before: int | None, after: int | None
                ) -> QuerySet[Task, Any]:
    # The organization's requests, open or closed, with the words in their own text or in one
    # of their posts (support/search_index.py), for the page.
    found = search_index.found(connection.vendor, match, org_id, before, after)
    tasks = _org_tasks(org_id).filter(pk__in=found)
    if connection.vendor == "postgresql":
        # There `found` is the page's ids already, in no order (search_index._pg_found).
        ascending = after is not None and before is None
        return _listed(tasks, lambda rows: rows, ("pk",) if ascending else ("-pk",))
    return _rows(tasks, before, after)


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT)
def request_list(request: StaffRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    if view not in VIEWS:
        view = "open"
    org_id = request.org.pk
    before, after = keyset_cursors(request)
    query = request.GET.get("q", "")[:search_index.MAX_QUERY_LENGTH].strip()
    words = search_index.query_words(query)
    if words:
        view = "search"
        match = search_index.match_expression(words, connection)
        rows = _found_rows(org_id, match, before, after)
    elif view == "mine":
        rows = _mine_rows(org_id, request.user.pk, before, after)
    elif view == "topic":
        # Its own address, where the topics are read with the membership.
        return redirect(reverse("support:requests_by_topic", args=[request.org.slug]) + "?"
                        + request.GET.urlencode())
    elif view == "overdue":
        rows = _overdue_rows(org_id, timezone.localdate(), before, after)
    elif view in STATUS_VIEWS:
        rows = _status_rows(org_id, view, before, after)
    else:
        rows = {"open": _open_rows, "unassigned": _unassigned_rows,
                "all": _all_rows}[view](org_id, before, after)
    return _list_page(request, view, page_of(rows, before, after), query if words else "")


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT, read_along=_topic_choices)
def requests_by_topic(request: StaffRequest) -> HttpResponse:
    """The view by topic (SPEC T7): a topic's open requests, newest first, the topic chosen
    among the organization's (the first when none, or another's, is asked for)."""
    found = request.read_along
    if found is None:
        found = list(_topic_choices_of_org(request.org.pk))
    topics = [(pk, name) for pk, name in rows_of(found[0][0] if found else None)]
    topic = _chosen(request.GET.get("topic", ""), [pk for pk, _name in topics])
    before, after = keyset_cursors(request)
    rows = _topic_rows(request.org.pk, topic, before, after) if topic is not None else []
    return _list_page(request, "topic", page_of(rows, before, after), "", topics, topic)


def _list_page(request: StaffRequest, view: str, page: Page[Any], query: str,
               topics: list[tuple[int, str]] | None = None, topic: int | None = None
               ) -> HttpResponse:
    return render(request, "support/request_list.html", {
        "page": page, "view": view, "views": VIEWS, "query": query,
        "topics": topics or [], "topic": topic,
        "max_query_length": search_index.MAX_QUERY_LENGTH,
        "status_labels": choice_labels(Status),
        "priority_labels": choice_labels(Priority),
    })


def _chosen(value: str, choices: list[int]) -> int | None:
    """The id of `value` when it is one of `choices`; else the first of them (None when there
    are none): another organization's id, or none, shows the first."""
    return int(value) if value.isdigit() and int(value) in choices else next(iter(choices),
                                                                             None)


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
             "portal_actor__email")
EVENTS_SHOWN = 20


def _task_page(org: int | str, task_id: int) -> QuerySet[Task]:
    """The task with what its page lists, read with it (lib/json_rows.py): every post, and
    the newest events. `org`: the organization's id, or its slug (read along with the
    membership: the page is then one statement)."""
    return _task_query(org, task_id).annotate(
        post_rows=post_rows(Post.objects.filter(task_id=OuterRef("pk"))),
        event_rows=JSONRows(TaskEvent.objects.filter(task_id=OuterRef("pk"))
                            .order_by("-id")[:EVENTS_SHOWN], EVENT_ROW),
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


def _event_lines(rows: list[list[Any]], language: str | None
                 ) -> tuple[tuple[str, dt.datetime], ...]:
    events = []
    sentences = event_sentences()  # in the active language: `language`
    for (kind, created_at, actor_id, portal_actor_id, actor_name, actor_email, first_name,
         last_name, portal_email) in rows:
        if actor_id is not None:
            actor = actor_name or actor_email
        elif portal_actor_id is not None:
            actor = person_name(first_name, last_name, portal_email)
        else:
            actor = "—"
        events.append((sentences[kind] % {"actor": actor}, datetime_of(created_at)))
    return tuple(events)  # plain: the page keeps the list's HTML ({% memo %})


@prepared
def _files_of(task_id: int) -> QuerySet[Attachment]:
    return Attachment.objects.filter(task_id=task_id).order_by("id")


def _detail_context(request: StaffRequest, task: Task, form: StaffPostForm | UnboundForm
                    ) -> dict[str, Any]:
    files = file_lines(_files_of(task.pk)) if task.has_files else {}  # type: ignore[attr-defined]
    return {
        "task": task,
        "posts": post_lines_of(task.post_rows, files),  # type: ignore[attr-defined]
        "task_files": files.get(None, ()),
        "events": _recent_events(task),
        "form": form,
        "status_form": UnboundForm(StatusForm, {"status": task.status}),
        "can_contribute": request.membership.has(Area.SUPPORT, Level.CONTRIBUTE),
        "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB,
    }


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT, read_along=_task_page)
def request_detail(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id, page=True)
    return render(request, "support/request_detail.html",
                  _detail_context(request, task, UnboundForm(StaffPostForm)))


@require_POST
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def add_post(request: StaffRequest, task_id: int) -> HttpResponse:
    task = _task_for_staff(request, task_id)
    form = StaffPostForm(request.POST, request.FILES)
    if not form.is_valid():
        task = _task_for_staff(request, task_id, page=True)
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
