"""What support's actions tell other systems: the webhook events of requests, posts and
followers (api.webhooks; the delivery rows are written in the action's transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.api import payloads, webhooks
from frontdesk.api.models import Event
from frontdesk.support.models import Follower, Post, Task


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
    due_date, customer, topic, severity, category, solution, and the service levels' due
    moments worked out again: first_response_due_at, resolution_due_at)."""
    webhooks.emit(organization_id=task.organization_id, event=Event.REQUEST_UPDATED,
                  data=lambda: {"request": payloads.request_json(task.pk),
                                "changes": changes})


def follower_added(task: Task, follower: Follower) -> None:
    """`follower.added` (SPEC X5), by staff, a portal user or the API."""
    webhooks.emit(organization_id=task.organization_id, event=Event.FOLLOWER_ADDED,
                  data=lambda: payloads.follower_json(task.pk, follower))


def followers_removed(task: Task, gone: Sequence[Follower]) -> None:
    """`follower.removed` for each of `gone` (their rows deleted already: the payloads are
    made from the instances, their portal users read with them)."""
    webhooks.emit_each(organization_id=task.organization_id, event=Event.FOLLOWER_REMOVED,
                       data=lambda: [payloads.follower_json(task.pk, follower)
                                     for follower in gone])
