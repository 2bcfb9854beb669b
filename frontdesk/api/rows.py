"""The API's reads of requests as plain rows, in prepared queries (lib/prepared.py).

The list answered 25 requests with three queries built by the ORM on every call, 50 model
instances and a prefetch, then a pydantic validation of every field of every item: 5 ms a
call, where the staff's HTML list of the same rows costs 1 ms. Here a page is one prepared
statement of values, each request's assignees read with it as a JSON column (lib/json_rows.py),
and the answer's dicts are made directly in the shapes of `schemas.RequestOut` and
`schemas.RequestDetailOut` (field for field, in their order): the endpoints hand them to the
API's renderer as they are (the OpenAPI schema still names those shapes). `payloads` stays
the representation of model instances, for the writes' answers and the webhooks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet

from frontdesk.lib.json_rows import JSONRows, datetime_of, rows_of
from frontdesk.lib.prepared import prepared
from frontdesk.portal.models import person_name
from frontdesk.support import request_search
from frontdesk.support.models import Assignment, Follower, Post, Status, Task

# What `request_item` reads of a task; the assignees as [[id, full name, e-mail], …] by id,
# as the prefetch of `payloads.requests_for_output` read them.
REQUEST_COLUMNS = ("pk", "title", "status", "priority", "topic_id", "customer_id",
                   "customer__short_name", "requester_id", "requester__email",
                   "requester__first_name", "requester__last_name", "due_date", "created_at",
                   "updated_at", "closed_at", "first_response_due_at", "first_responded_at",
                   "resolution_due_at", "next_due_at")
ASSIGNEE_ROWS = ("user_id", "user__full_name", "user__email")
POST_COLUMNS = ("pk", "task_id", "body", "is_visible_to_customer", "author_id",
                "author__full_name", "author__email", "portal_author_id",
                "portal_author__first_name", "portal_author__last_name",
                "portal_author__email", "author_email", "created_at")
# A request's followers, read with the detail's row as [[id, portal user id, address, its
# first name, last name, e-mail, added], …] by id.
FOLLOWER_ROWS = ("pk", "portal_user_id", "email", "portal_user__first_name",
                 "portal_user__last_name", "portal_user__email", "created_at")


def _with_assignees(tasks: QuerySet[Task], *more: str) -> QuerySet[Task, Any]:
    assignees = Assignment.objects.filter(task_id=OuterRef("pk")).order_by("user_id")
    return (tasks.annotate(assignee_rows=JSONRows(assignees, ASSIGNEE_ROWS))
            .values_list(*REQUEST_COLUMNS, *more, "assignee_rows", named=True))


def _list_query(limit: int, org_id: int, status: str | None, is_open: bool | None,
                topic: int | None, assignee: int | None, customer: int | None,
                before: int | None, match: str | None, one_word: bool
                ) -> QuerySet[Task, Any]:
    """The organization's requests of the list's filters, newest first, `limit` + 1 rows
    (the one more tells whether there is a next page). `match`: a search's
    `request_search.match_expression` (the endpoint refuses it with the other filters)."""
    tasks = Task.objects.for_org(org_id)
    if match is not None:
        tasks = tasks.filter(pk__in=request_search.found(
            connection.vendor, match, org_id,
            before, None, rows=limit + 1, one_word=one_word))
    if status is not None:
        tasks = tasks.filter(status=status)
    if is_open is not None:
        tasks = tasks.open() if is_open else tasks.exclude(status__in=[
            Status.OPEN, Status.IN_PROGRESS, Status.WAITING])
    if topic is not None:
        tasks = tasks.filter(topic_id=topic)
    if assignee is not None:
        tasks = tasks.filter(assignment__user_id=assignee)
    if customer is not None:
        tasks = tasks.filter(customer_id=customer)
    if before is not None:
        tasks = tasks.filter(pk__lt=before)
    return _with_assignees(tasks.order_by("-pk"))[:limit + 1]


# The page's size is written into the statement (LIMIT), so each size is a query of its own:
# those of the few sizes in use are kept.
@functools.lru_cache(maxsize=8)
def _list_rows_of(limit: int) -> Callable[..., list[Any]]:
    return prepared(functools.partial(_list_query, limit))


def list_rows(limit: int, org_id: int, status: str | None, is_open: bool | None,
              topic: int | None, assignee: int | None, customer: int | None,
              before: int | None, match: str | None, one_word: bool) -> list[Any]:
    """The rows of `_list_query` (one statement)."""
    return _list_rows_of(limit)(org_id, status, is_open, topic, assignee, customer, before,
                                match, one_word)


@prepared
def detail_row(org_id: int, task_id: int) -> QuerySet[Task, Any]:
    """The organization's request `task_id` (none of another organization), with its
    description and its followers."""
    followers = Follower.objects.filter(task_id=OuterRef("pk")).order_by("id")
    return _with_assignees(Task.objects.for_org(org_id).filter(pk=task_id)
                           .annotate(follower_rows=JSONRows(followers, FOLLOWER_ROWS)),
                           "description", "follower_rows")[:1]


@prepared
def post_rows(task_id: int) -> QuerySet[Post, Any]:
    return Post.objects.filter(task_id=task_id).order_by("id").values_list(
        *POST_COLUMNS, named=True)


def request_item(row: Any) -> dict[str, Any]:
    """A row of `REQUEST_COLUMNS` as `schemas.RequestOut` (as `payloads.request_data`)."""
    return {
        "id": row.pk, "reference": f"#{row.pk}", "title": row.title, "status": row.status,
        "priority": row.priority, "topic_id": row.topic_id,
        "customer": (None if row.customer_id is None
                     else {"id": row.customer_id, "short_name": row.customer__short_name}),
        "requester": (None if row.requester_id is None else {
            "id": row.requester_id,
            "name": person_name(row.requester__first_name, row.requester__last_name,
                                row.requester__email),
            "email": row.requester__email}),
        "assignees": [{"id": user_id, "name": full_name or email, "email": email}
                      for user_id, full_name, email in rows_of(row.assignee_rows)],
        "due_date": row.due_date, "created_at": row.created_at,
        "updated_at": row.updated_at, "closed_at": row.closed_at,
        "first_response_due_at": row.first_response_due_at,
        "first_responded_at": row.first_responded_at,
        "resolution_due_at": row.resolution_due_at, "next_due_at": row.next_due_at,
    }


def post_item(row: Any) -> dict[str, Any]:
    """A row of `POST_COLUMNS` as `schemas.PostOut` (as `payloads.post_data`)."""
    if row.author_id is not None:
        author = {"kind": "staff", "id": row.author_id,
                  "name": row.author__full_name or row.author__email}
    elif row.portal_author_id is not None:
        author = {"kind": "customer", "id": row.portal_author_id,
                  "name": person_name(row.portal_author__first_name,
                                      row.portal_author__last_name, row.portal_author__email)}
    elif row.author_email:
        # A reply e-mailed by one of the request's CC followers (SPEC X5): no person.
        author = {"kind": "customer", "id": None, "name": row.author_email}
    else:
        # The author's account was deleted (SET_NULL): who wrote it is no longer known.
        author = {"kind": "unknown", "id": None, "name": ""}
    return {"id": row.pk, "request_id": row.task_id, "body": row.body,
            "internal": not row.is_visible_to_customer, "author": author,
            "created_at": row.created_at}


def detail_item(row: Any, posts: list[Any]) -> dict[str, Any]:
    """As `schemas.RequestDetailOut`."""
    return {**request_item(row), "description": row.description,
            "posts": [post_item(post) for post in posts],
            "followers": [follower_item(*follower) for follower in rows_of(row.follower_rows)]}


def follower_item(pk: int, portal_user_id: int | None, email: str, first_name: str | None,
                  last_name: str | None, person_email: str | None, created_at: str
                  ) -> dict[str, Any]:
    """A row of `FOLLOWER_ROWS` as `schemas.FollowerOut` (as `payloads.follower_data`)."""
    if portal_user_id is None:
        return {"id": pk, "kind": "email", "portal_user": None, "email": email,
                "created_at": datetime_of(created_at)}
    return {"id": pk, "kind": "colleague",
            "portal_user": {"id": portal_user_id,
                            "name": person_name(first_name or "", last_name or "",
                                                person_email or ""),
                            "email": person_email},
            "email": person_email, "created_at": datetime_of(created_at)}

