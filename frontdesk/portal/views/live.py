"""The portal request page's live updates (SPEC X3; support/live.py): the same request the
page may show, and of it only the posts its customer may read (support.visibility)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from frontdesk.portal.access import SignedInPortalRequest, portal_view
from frontdesk.support.live import State, bad_poll, live_response, seen_of
from frontdesk.support.queries import PostLine
from frontdesk.support.visibility import posts_visible_after, request_state_visible_to


def poll_answer(request: SignedInPortalRequest, task_id: int, state: State | None,
                download: str) -> HttpResponse:
    """The answer to a portal page's poll of `task_id` whose state the viewer may see
    (`state`, None: not theirs): 404, 400 for a malformed poll, 204, or the new posts its
    customer may read, their files linked through `download` (a URL name)."""
    if state is None:
        raise Http404  # first: "not yours" before "malformed"
    seen = seen_of(request)
    if seen is None:
        return bad_poll()

    def render_posts(posts: tuple[PostLine, ...]) -> str:
        return render_to_string("portal/new_posts.html", {
            "posts": posts, "download": download}, request=request)

    return live_response(seen, state, render_posts,
                         lambda after: posts_visible_after(task_id, after))


@require_http_methods(["GET"])
@portal_view()
def new_posts(request: SignedInPortalRequest, task_id: int) -> HttpResponse:
    """Anything newer on this request than what the page shows? 204, or the new posts."""
    return poll_answer(request, task_id, request_state_visible_to(request.viewer, task_id),
                       "portal:download")
