"""What support's actions tell other systems: the webhook events of requests and posts
(api.webhooks; the delivery rows are written in the action's transaction)."""

from __future__ import annotations

from frontdesk.api import payloads, webhooks
from frontdesk.api.models import Event
from frontdesk.support.models import Post, Task


def request_created(task: Task) -> None:
    """`request.created`: emitted by the worker's notify_about_new_request, not by
    create_request, so the public form's submission does no webhook work at all."""
    webhooks.emit(organization_id=task.organization_id, event=Event.REQUEST_CREATED,
                  data=lambda: {"request": payloads.request_json(task.pk)})


def post_created(post: Post, *, internal: bool) -> None:
    """`post.created`; an internal note goes only to endpoints that asked for internal
    notes (webhooks.emit)."""
    webhooks.emit(organization_id=post.organization_id, event=Event.POST_CREATED,
                  internal=internal,
                  data=lambda: {"post": payloads.post_json(post.pk),
                                "request": payloads.request_json(post.task_id)})


def post_shown(post: Post) -> None:
    """`post.shown`: an internal note made visible to the customer, now a reply they read
    (to every endpoint that wants the event: it was internal, it is no longer)."""
    webhooks.emit(organization_id=post.organization_id, event=Event.POST_SHOWN,
                  data=lambda: {"post": payloads.post_json(post.pk),
                                "request": payloads.request_json(post.task_id)})


def request_updated(task: Task, changes: list[str]) -> None:
    """`request.updated`: `changes` names what changed (status, priority, assignees,
    due_date, customer, severity, category, solution)."""
    webhooks.emit(organization_id=task.organization_id, event=Event.REQUEST_UPDATED,
                  data=lambda: {"request": payloads.request_json(task.pk),
                                "changes": changes})
