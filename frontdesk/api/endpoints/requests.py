"""/api/v1/requests: the staff's view of support requests, and the changes staff make."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from frontdesk.accounts.models import User
from frontdesk.api import payloads, rows
from frontdesk.api.auth import as_api_request, require
from frontdesk.api.schemas import (
    Error,
    PostIn,
    PostOut,
    RequestChange,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    RequestPage,
    StatusValue,
)
from frontdesk.api.services import create_request_for
from frontdesk.organizations.models import Organization
from frontdesk.organizations.permissions import Area, Level
from frontdesk.support import request_search, services
from frontdesk.support.models import Follower, Post, Priority, Status, Task, Topic
from frontdesk.support.posts import add_staff_post

# Operations on one path share one URL name (django-ninja makes a pattern for each).
router = Router(tags=["requests"])

MAX_PER_PAGE = 100


def task_of(org: Organization, task_id: int) -> Task:
    """The organization's request, or 404: another organization's answers as a missing one."""
    task = Task.objects.for_org(org).filter(pk=task_id).first()
    if task is None:
        raise HttpError(404, _("No such request."))
    return task


def _found(org: Organization, task_id: int) -> dict[str, Any]:
    task = payloads.requests_for_output(Task.objects.for_org(org).filter(pk=task_id)).first()
    if task is None:
        raise HttpError(404, _("No such request."))
    posts = list(payloads.posts_for_output(Post.objects.filter(task_id=task.pk)))
    followers = list(payloads.followers_for_output(Follower.objects.filter(task_id=task.pk)))
    return payloads.request_detail_data(task, posts, followers)


def _answer(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    """`data`, made in the shape the operation declares (api/rows.py), rendered by the API's
    renderer as django-ninja renders a validated answer (the same JSON), without validating
    it again field by field: that cost four times the rest of the call."""
    from frontdesk.api.rest import api  # (rest.py imports this module)

    return api.create_response(request, data, status=200)


@router.get("/requests", response={200: RequestPage, 400: Error}, url_name="requests")
def request_list(request: HttpRequest, status: StatusValue | None = None,
                 is_open: bool | None = Query(None, alias="open"),
                 topic: int | None = None, assignee: int | None = None,
                 customer: int | None = None, q: str = "", before: int | None = None,
                 limit: int = Query(25, ge=1, le=MAX_PER_PAGE)
                 ) -> HttpResponse:
    """The organization's requests, newest first, as the staff list filters them: by
    status (or `open=true`: every open status), topic, assignee (a user id), customer; or
    searched (`q`, the staff search: not combined with the other filters). Pages: give the
    answer's `next_before` as `before`; the order (newest id first) is stable."""
    api_request = as_api_request(request)
    require(request, Area.SUPPORT, Level.VIEW)
    query = q[:request_search.MAX_QUERY_LENGTH].strip()
    words = request_search.query_words(query)
    match = None
    if words:
        if any(value is not None for value in (status, is_open, topic, assignee, customer)):
            raise HttpError(400, _("A search (q) cannot be combined with other filters."))
        match = request_search.match_expression(words, connection)
    found = rows.list_rows(limit, api_request.org.pk, status, is_open, topic, assignee,
                           customer, before, match, bool(words) and request_search.one_word(words))
    page = found[:limit]
    return _answer(request, {"items": [rows.request_item(row) for row in page],
                             "next_before": page[-1].pk if len(found) > limit else None})


@router.get("/requests/{task_id}", response={200: RequestDetailOut, 404: Error},
            url_name="request")
def request_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """One request with its description, every post and its followers; staff notes the
    customer does not see have `internal: true`."""
    require(request, Area.SUPPORT, Level.VIEW)
    found = rows.detail_row(as_api_request(request).org.pk, task_id)
    if not found:
        raise HttpError(404, _("No such request."))
    return _answer(request, rows.detail_item(found[0], rows.post_rows(task_id)))


@router.post("/requests", response={201: RequestDetailOut, 400: Error, 403: Error, 404: Error},
             url_name="requests")
def request_create(request: HttpRequest, data: RequestIn) -> Answer[dict[str, Any]]:
    """A request on behalf of the person with `requester_email` (their portal user is found,
    or made with a customer record as the public form does). The assignees are notified and
    the requester gets a confirmation, as for a request from the portal."""
    api_request = as_api_request(request)
    require(request, Area.SUPPORT, Level.CONTRIBUTE)
    org = api_request.org
    topic = Topic.objects.for_org(org).select_related("organization").filter(
        pk=data.topic_id).first()
    if topic is None:
        raise HttpError(404, _("No such topic."))
    try:
        validate_email(data.requester_email)
    except ValidationError:
        raise ValidationError({"requester_email": [_("Enter a valid e-mail address.")]}
                              ) from None
    task = create_request_for(topic=topic, email=data.requester_email,
                              first_name=data.requester_first_name,
                              last_name=data.requester_last_name, title=data.title,
                              description=data.description)
    return Answer(201, _found(org, task.pk))


@router.patch("/requests/{task_id}",
              response={200: RequestOut, 400: Error, 403: Error, 404: Error},
              url_name="request")
def request_change(request: HttpRequest, task_id: int, data: RequestChange) -> dict[str, Any]:
    """Change the status, the priority and/or the assignees (user ids of active staff); what
    is left out stays. Each change is recorded and told as in the staff pages."""
    api_request = as_api_request(request)
    require(request, Area.SUPPORT, Level.CONTRIBUTE)
    task = task_of(api_request.org, task_id)
    with transaction.atomic():
        if data.status is not None:
            task = services.change_status(task=task, status=Status(data.status),
                                          by=api_request.user)
        if data.priority is not None or data.assignee_ids is not None:
            if data.assignee_ids is not None:
                assignees = list(User.objects.filter(pk__in=data.assignee_ids))
                if len(assignees) != len(set(data.assignee_ids)):
                    raise ValidationError({"assignee_ids": [
                        _("Assignees must be staff of this organization.")]})
            else:
                assignees = list(task.assignees.all())
            services.delegate(task=task, assignees=assignees, due_date=task.due_date,
                              priority=Priority(data.priority or task.priority),
                              by=api_request.user)
    found = payloads.requests_for_output(Task.objects.filter(pk=task.pk)).get()
    return payloads.request_data(found)


@router.post("/requests/{task_id}/posts",
             response={201: PostOut, 400: Error, 403: Error, 404: Error},
             url_name="request_posts")
def request_post(request: HttpRequest, task_id: int, data: PostIn) -> Answer[dict[str, Any]]:
    """A staff post: an internal note (default), or a reply the customer sees and is
    e-mailed about (`visible_to_customer: true`)."""
    api_request = as_api_request(request)
    require(request, Area.SUPPORT, Level.CONTRIBUTE)
    task = task_of(api_request.org, task_id)
    if not data.body.strip():
        raise ValidationError({"body": [_("Write a message.")]})
    post = add_staff_post(task=task, author=api_request.user, body=data.body,
                          visible_to_customer=data.visible_to_customer)
    return Answer(201, payloads.post_data(payloads.posts_for_output(Post.objects.filter(
        pk=post.pk)).get()))
