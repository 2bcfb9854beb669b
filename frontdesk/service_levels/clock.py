"""A request's service-level clock (SPEC X8), kept by the support actions in their own
transactions: set when the request is made (support.services.NewRequest), worked out again
when its priority changes (delegate) or its target or the business hours change (the worker's
service_levels.retarget), stopped on the first visible answer's target once
given, paused while the request waits for the customer, stopped on closing (change_status,
add_customer_reply). Helpers of those actions, not actions of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, When
from django.utils import timezone

from frontdesk.service_levels.business_time import add_business_minutes, business_minutes_between
from frontdesk.service_levels.models import BusinessHours, calendar_of
from frontdesk.service_levels.queries import Dues, due_moments, next_due
from frontdesk.support.models import Source, Status, Task


def next_due_of(task: Task) -> dt.datetime | None:
    """What the request is due next: nothing while closed or waiting for the customer."""
    return next_due(is_closed=task.status in (Status.CLOSED, Status.WAITING),
                    responded=task.first_responded_at is not None,
                    dues=Dues(task.first_response_due_at, task.resolution_due_at))


def recompute(task: Task, *, rows: list[list[Any]] | None = None) -> list[str]:
    """Work the due moments out again for the request's topic and priority, from when it
    was made, the time it has waited for the customer added; returns the fields set, for
    the caller's save. `rows`: the targets that may apply, read already (due_moments)."""
    if task.source == Source.STAFF:
        return []  # service levels are the requests'
    dues = due_moments(organization_id=task.organization_id, topic_id=task.topic_id,
                       priority=task.priority, start=task.created_at,
                       paused_minutes=task.sla_paused_minutes or 0, rows=rows)
    task.first_response_due_at, task.resolution_due_at = dues
    task.next_due_at = next_due_of(task)
    return ["first_response_due_at", "resolution_due_at", "next_due_at"]


def dues_of(task: Task) -> Dues:
    return Dues(task.first_response_due_at, task.resolution_due_at)


def due_changes(task: Task, before: Dues) -> list[str]:
    """The due moments of `task` that are not those of `before` (its dues before `recompute`
    or `follow_status`), by field name: what a `request.updated` webhook says changed."""
    return [name for name, old, new in (
        ("first_response_due_at", before.first_response, task.first_response_due_at),
        ("resolution_due_at", before.resolution, task.resolution_due_at)) if old != new]


def retarget(task: Task, *, rows: list[list[Any]], now: dt.datetime) -> None:
    """An open request's due moments after its target or the business hours changed
    (service_levels.retarget): worked out again as `recompute` does, except that a first
    response already given keeps the due moment it was judged by (met or missed then), and
    a request waiting for the customer that gets a target only now pauses from `now`."""
    answered_due = task.first_response_due_at
    recompute(task, rows=rows)
    if task.first_responded_at is not None:
        task.first_response_due_at = answered_due
    has_dues = task.first_response_due_at is not None or task.resolution_due_at is not None
    if task.status == Status.WAITING and task.sla_paused_at is None and has_dues:
        task.sla_paused_at = now
    task.next_due_at = next_due_of(task)


RETARGETED_FIELDS = ["first_response_due_at", "resolution_due_at", "next_due_at",
                     "sla_paused_at"]


def record_first_response(task: Task) -> None:
    """The request's first staff answer the customer sees: when it was given, once; the
    resolution is then what it is due next. A conditional UPDATE: of two answers made
    visible at once, the first to commit keeps its moment."""
    now = timezone.now()
    answered = Task.objects.filter(pk=task.pk, first_responded_at__isnull=True).update(
        first_responded_at=now,
        next_due_at=Case(When(is_open=1, sla_paused_at__isnull=True,
                              then=F("resolution_due_at")), default=None))
    if answered:
        task.first_responded_at = now


def follow_status(task: Task) -> list[str]:
    """Pause the clock when the request starts waiting for the customer, and on leaving that
    status move its due moments on by the business time it waited; the due moment next
    follows the status (none while closed or waiting). `task` holds its new status; returns
    the fields set, for the caller's save."""
    changed = ["next_due_at"]
    has_dues = task.first_response_due_at is not None or task.resolution_due_at is not None
    if task.status == Status.WAITING and task.sla_paused_at is None and has_dues:
        task.sla_paused_at = timezone.now()
        changed.append("sla_paused_at")
    elif task.status != Status.WAITING and task.sla_paused_at is not None:
        hours = BusinessHours.objects.filter(organization_id=task.organization_id).first()
        calendar = hours.calendar() if hours else calendar_of(None, None, None)
        waited = business_minutes_between(task.sla_paused_at, timezone.now(), calendar)
        task.first_response_due_at, task.resolution_due_at = (
            None if moment is None else add_business_minutes(moment, waited, calendar)
            for moment in (task.first_response_due_at, task.resolution_due_at))
        task.sla_paused_minutes = (task.sla_paused_minutes or 0) + waited
        task.sla_paused_at = None
        changed += ["first_response_due_at", "resolution_due_at", "sla_paused_minutes",
                    "sla_paused_at"]
    task.next_due_at = next_due_of(task)
    return changed
