"""Staff lists of support requests (SPEC T7): the inbox views, the view by topic, the search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontdesk.lib.choices import choice_labels
from frontdesk.lib.json_rows import JSONRows, rows_of
from frontdesk.lib.paging import PER_PAGE, Page, keyset_cursors, keyset_query, page_of
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.models import Organization
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.service_levels.labels import sla_labels
from frontdesk.service_levels.queries import AT_RISK
from frontdesk.support import request_search
from frontdesk.support.models import (
    Priority,
    Status,
    Task,
    TaskQuerySet,
    Topic,
)
from frontdesk.support.queries import (
    with_assignee_names,
)

VIEWS = {
    "open": gettext_lazy("Open"),
    "mine": gettext_lazy("Assigned to me"),
    "unassigned": gettext_lazy("Unassigned"),
    "topic": gettext_lazy("By topic"),
    "overdue": gettext_lazy("Overdue"),
    "breaching": gettext_lazy("Breaching targets"),
    # By status (SPEC T7), each named by its status's value ("open" is every open status).
    **{status.value: status.label for status in (Status.IN_PROGRESS, Status.WAITING,
                                                 Status.CLOSED)},
    "all": gettext_lazy("All"),
}
STATUS_VIEWS = (Status.IN_PROGRESS.value, Status.WAITING.value, Status.CLOSED.value)


# Only what a row shows, as plain rows (no model instances to build), with the names of its
# assignees (one query for the page, not one more for the assignees).
LIST_COLUMNS = ("pk", "title", "status", "priority", "created_at", "due_date",
                "customer__short_name", "next_due_at")


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


def _by_moment(tasks: TaskQuerySet, column: str, before: int | None, after: int | None
               ) -> QuerySet[Task, Any]:
    """`tasks` by `column` (a due date or moment), then id, the earliest first, a page of
    them. The cursors are ids as in every list: `before` the last row of the page before,
    `after` the first of the page after; the row's `column` is read from it in the same
    statement."""
    if before is not None:
        moment = Subquery(Task.objects.filter(pk=before).values(column)[:1])
        tasks = tasks.filter(Q(**{f"{column}__gt": moment}) | Q(pk__gt=before),
                             **{f"{column}__gte": moment})
    elif after is not None:
        moment = Subquery(Task.objects.filter(pk=after).values(column)[:1])
        tasks = tasks.filter(Q(**{f"{column}__lt": moment}) | Q(pk__lt=after),
                             **{f"{column}__lte": moment})
    order = ((f"-{column}", "-pk") if after is not None and before is None
             else (column, "pk"))
    return _listed(tasks, lambda rows: rows.order_by(*order)[:PER_PAGE + 1], order)


@prepared
def _overdue_rows(org_id: int, today: dt.date, before: int | None, after: int | None
                  ) -> QuerySet[Task, Any]:
    # The open requests due before today, the longest overdue first (by due date, then id),
    # read in the order of their partial index (task_org_open_due).
    return _by_moment(_org_tasks(org_id).open().filter(due_date__lt=today), "due_date",
                      before, after)


@prepared
def _breaching_rows(org_id: int, now: dt.datetime, before: int | None, after: int | None
                    ) -> QuerySet[Task, Any]:
    # The open requests past a service-level target (SPEC X8), the longest past first, read
    # in the order of their partial index (task_org_open_next_due).
    return _by_moment(_org_tasks(org_id).open().filter(next_due_at__lte=now), "next_due_at",
                      before, after)


@prepared
def _found_rows(org_id: int, match: str, one_word: bool, before: int | None,
                after: int | None) -> QuerySet[Task, Any]:
    # The organization's requests, open or closed, with the words in their own text or in one
    # of their posts (support/request_search.py), for the page.
    found = request_search.found(connection.vendor, match, org_id, before, after,
                                 one_word=one_word)
    tasks = _org_tasks(org_id).filter(pk__in=found)
    if connection.vendor == "postgresql":
        # There `found` is the page's ids already, in no order (request_search._pg_found).
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
    query = request.GET.get("q", "")[:request_search.MAX_QUERY_LENGTH].strip()
    words = request_search.query_words(query)
    if words:
        view = "search"
        match = request_search.match_expression(words, connection)
        rows = _found_rows(org_id, match, request_search.one_word(words), before, after)
    elif view == "mine":
        rows = _mine_rows(org_id, request.user.pk, before, after)
    elif view == "topic":
        # Its own address, where the topics are read with the membership.
        return redirect(reverse("support:requests_by_topic", args=[request.org.slug]) + "?"
                        + request.GET.urlencode())
    elif view == "overdue":
        rows = _overdue_rows(org_id, timezone.localdate(), before, after)
    elif view == "breaching":
        rows = _breaching_rows(org_id, timezone.now(), before, after)
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
    # The service-level markers (SPEC X8) follow the minute, so that the rows' remembered
    # HTML (lib/jinja_memo.py) is kept for a minute at most.
    now = timezone.now().replace(second=0, microsecond=0)
    return render(request, "support/request_list.html", {
        "sla_now": now, "sla_soon": now + AT_RISK, "sla_labels": sla_labels(),
        # A due date before today is marked, as the overdue view counts it.
        "today": timezone.localdate(),
        "page": page, "view": view, "views": VIEWS, "query": query,
        "topics": topics or [], "topic": topic,
        "max_query_length": request_search.MAX_QUERY_LENGTH,
        "status_labels": choice_labels(Status),
        "priority_labels": choice_labels(Priority),
        "can_create_task": has_level(request.membership, Area.TASKS, Level.CONTRIBUTE),
    })


def _chosen(value: str, choices: list[int]) -> int | None:
    """The id of `value` when it is one of `choices`; else the first of them (None when there
    are none): another organization's id, or none, shows the first."""
    return int(value) if value.isdigit() and int(value) in choices else next(iter(choices),
                                                                             None)
