"""Live request pages (SPEC X3): an open request page asks every few seconds whether a reply
arrived, and appends the new posts it is given.

The server runs sync workers, so the page polls (frontdesk/static/frontdesk/live_posts.js)
instead of holding a connection. The page tells what it shows: the newest post id (`after`),
how many posts (`count`) and the status. One small query reads the same three of the request
(its posts counted and the newest found on post_task_id); when they match, the answer is 204
and nothing else is read. Otherwise the posts newer than `after` come as the page's own list
items (its post macro), with what the page shows now in headers; "changed" tells the page
that something it cannot append happened (the status changed, or a post older than `after`
was made visible or internal), so it offers to reload.

Which posts a viewer may read, and whether the request is theirs at all, is decided where the
page decides it: support.visibility for the portal, the staff page's scoped query for staff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from frontdesk.support.models import Attachment, Post, Task
from frontdesk.support.queries import PostLine, file_lines, post_lines_of, post_rows

# Ids and counts the page may send: above this they are nonsense (and would overflow a bigint).
_LARGEST = 2**62


@dataclass(frozen=True)
class Seen:
    """What the page shows: its newest post's id (0 for none), how many posts, the status."""

    after: int
    count: int
    status: str


@dataclass(frozen=True)
class State:
    """The same of the request now (`state_of_tasks`)."""

    status: str
    count: int
    last_post: int


def seen_of(request: HttpRequest) -> Seen | None:
    """The page's `after`, `count` and `status` from the query string; None if malformed."""
    after, count = request.GET.get("after", ""), request.GET.get("count", "")
    status = request.GET.get("status", "")
    if not (after.isdigit() and count.isdigit()) or len(after) > 19 or len(count) > 19:
        return None
    if int(after) >= _LARGEST or int(count) >= _LARGEST or len(status) > 20:
        return None
    return Seen(int(after), int(count), status)


def state_of_tasks(tasks: QuerySet[Task], *, customer_visible: bool) -> QuerySet[Any]:
    """For a query of (at most) one request: its status, how many posts it has and the newest
    one's id, as one row (`State`'s fields). `customer_visible`: of the posts its customer may
    read only (support.visibility decides which requests; this, which of their posts)."""
    only = Q(posts__is_visible_to_customer=True) if customer_visible else Q()
    return (tasks.order_by().values("pk", "status")
            .annotate(post_count=Count("posts", filter=only),
                      last_post=Max("posts__id", filter=only))
            .values_list("status", "post_count", "last_post", named=True)[:1])


def state_from(rows: list[Any]) -> State | None:
    if not rows:
        return None
    row = rows[0]
    return State(row.status, row.post_count, row.last_post or 0)


def posts_after(task_id: int, after: int, *, customer_visible: bool) -> tuple[PostLine, ...]:
    """The request's posts newer than `after` as its page shows them (read as the page reads
    them, queries.post_rows), with their files (a post's files are visible exactly when the
    post is: models.AttachmentQuerySet)."""
    posts = Post.objects.filter(task_id=OuterRef("pk"), id__gt=after)
    files = Attachment.objects.filter(task_id=task_id, post_id__gt=after)
    if customer_visible:
        posts = posts.visible_to_customer()
        files = files.visible_to_customer()
    found = (Task.objects.filter(pk=task_id).annotate(post_rows=post_rows(posts),
                                                      has_files=Exists(files))
             .values_list("post_rows", "has_files")[:1])
    if not found:
        return ()
    rows, any_files = found[0]
    return post_lines_of(rows, file_lines(files.order_by("id")) if any_files else {})


def bad_poll() -> HttpResponse:
    return HttpResponseBadRequest(_("This address expects the page's newest post, how many "
                                    "posts it shows and the status."),
                                  content_type="text/plain; charset=utf-8")


def live_response(seen: Seen, state: State,
                  render_posts: Callable[[tuple[PostLine, ...]], str],
                  read_posts: Callable[[int], tuple[PostLine, ...]]) -> HttpResponse:
    """204 when the page shows what there is; else the new posts' list items (`render_posts`
    of `read_posts(after)`), and in headers what the page shows once it appends them."""
    if (state.last_post == seen.after and state.count == seen.count
            and state.status == seen.status):
        response = HttpResponse(status=204)
    else:
        new = read_posts(seen.after) if state.last_post > seen.after else ()
        changed = state.status != seen.status or seen.count + len(new) != state.count
        response = HttpResponse(render_posts(new) if new else "")
        response["X-Live-After"] = str(max(state.last_post, seen.after))
        response["X-Live-Count"] = str(state.count)
        response["X-Live-Status"] = state.status
        response["X-Live-Changed"] = "1" if changed else "0"
    # Every answer is about this moment: never from a cache.
    response["Cache-Control"] = "no-store"
    return response
