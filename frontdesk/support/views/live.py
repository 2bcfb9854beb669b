"""The staff request page's live updates (SPEC X3; support/live.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from frontdesk.lib.prepared import prepared
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.support.live import (
    bad_poll,
    live_response,
    posts_after,
    seen_of,
    state_from,
    state_of_tasks,
)
from frontdesk.support.models import Task
from frontdesk.support.queries import PostLine


def _task_state(org: int | str, task_id: int) -> QuerySet[Any]:
    """The request's status and its posts' count and newest id (all of them: staff read the
    internal ones too), scoped to the organization of `org` (its id, or its slug when read
    along with the membership: then a poll with nothing new is one statement)."""
    return state_of_tasks(Task.objects.for_org(org).filter(pk=task_id), customer_visible=False)


_task_state_of_org = prepared(_task_state)


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT, read_along=_task_state)
def new_posts(request: StaffRequest, task_id: int) -> HttpResponse:
    """Anything newer on this request than what the page shows? 204, or the new posts."""
    rows = (request.read_along if request.read_along is not None
            else _task_state_of_org(request.org.pk, task_id))
    state = state_from(rows)
    if state is None:
        raise Http404  # first: "not yours" before "malformed"
    seen = seen_of(request)
    if seen is None:
        return bad_poll()
    can_contribute = request.membership.has(Area.SUPPORT, Level.CONTRIBUTE)

    def render_posts(posts: tuple[PostLine, ...]) -> str:
        return render_to_string("support/new_posts.html", {
            "posts": posts, "task_id": task_id, "can_contribute": can_contribute},
            request=request)

    return live_response(seen, state, render_posts,
                         lambda after: posts_after(task_id, after, customer_visible=False))
