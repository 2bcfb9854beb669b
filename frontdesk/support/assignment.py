"""Who a new request is assigned to (SPEC T2, T3, C5, X6): the topic's assignees, all of
them or one (round-robin, least-loaded), or the customer's managers. Called by
services.NewRequest inside the request's write transaction. A topic in mode "all" costs what
it always did: one INSERT … SELECT."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    PositiveSmallIntegerField,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from frontdesk.customers.models import Customer
from frontdesk.lib.prepared import prepared_insert
from frontdesk.organizations.models import Membership
from frontdesk.support.models import Assignment, AssignmentMode, Source, Task, Topic


def _as_assignments(people: QuerySet[Any, Any], task_id: int, org_id: int
                    ) -> QuerySet[Any, Any]:
    # The rows of `people` (a table of `user_id`s) still on the organization's staff, as
    # assignments of the task (open: the database's trigger sets the flag from the task in
    # any case).
    on_staff = Membership.objects.filter(organization_id=org_id, user_id=OuterRef("user_id"))
    return (people.filter(Exists(on_staff))
            .annotate(task_id=Cast(Value(task_id), BigIntegerField()),
                      is_open=Value(1, output_field=PositiveSmallIntegerField()))
            .values_list("task_id", "user_id", "is_open")
            .order_by("user_id"))


@prepared_insert(Assignment)
def _assign_to_topic_assignees(task_id: int, topic_id: int, org_id: int) -> QuerySet[Any, Any]:
    """The topic's assignees still on the organization's staff, as assignments of the task."""
    return _as_assignments(Topic.assignees.through.objects.filter(topic_id=topic_id),
                           task_id, org_id)


@prepared_insert(Assignment)
def _assign_to_customer_managers(task_id: int, customer_id: int, org_id: int
                                 ) -> QuerySet[Any, Any]:
    """The customer's portal customer managers still on the organization's staff, as
    assignments of the task."""
    return _as_assignments(Customer.managers.through.objects.filter(customer_id=customer_id),
                           task_id, org_id)


def _active_assignees(topic: Topic) -> QuerySet[Any, Any]:
    """The topic's assignee rows whose person is still active staff of its organization (a
    member removed or deactivated is skipped)."""
    on_staff = Membership.objects.filter(organization_id=topic.organization_id,
                                         user_id=OuterRef("user_id"), user__is_active=True)
    return Topic.assignees.through.objects.filter(topic_id=topic.pk).filter(Exists(on_staff))


def _next_in_turn(topic: Topic) -> int | None:
    """Round-robin: the active assignee after the one who got the topic's last request (by
    id, starting again from the first), who is then recorded as the last.

    The topic's row is locked first: on PostgreSQL two submissions at once take turns from
    there, the second reading the pointer the first wrote (a row locked FOR UPDATE is read as
    last committed once the lock is free, and the next statement sees what was committed).
    On SQLite the request's write transaction (BEGIN IMMEDIATE) already is the one writer's
    turn. Three statements, for this mode only."""
    last = (Topic.objects.select_for_update().filter(pk=topic.pk)
            .values_list("last_assignee_id", flat=True).first())
    after_last = Case(When(user_id__gt=last or 0, then=Value(0)), default=Value(1))
    chosen: int | None = (_active_assignees(topic).order_by(after_last, "user_id")
                          .values_list("user_id", flat=True).first())
    if chosen is not None:
        Topic.objects.filter(pk=topic.pk).update(last_assignee_id=chosen)
        topic.last_assignee_id = chosen
    return chosen


def _least_loaded(topic: Topic) -> int | None:
    """Least-loaded: the active assignee with the fewest open requests assigned in the
    topic's organization; ties go to the name, then the id. Each count reads the member's
    open assignments from assignment_user_open_task.

    The topic's row is locked first, as for round-robin: two requests of the topic made at
    the same instant take turns, and the second counts the first's assignment (on PostgreSQL
    the statement after the lock sees what was committed), instead of both going to the same
    person. Two statements, for this mode only."""
    Topic.objects.select_for_update().filter(pk=topic.pk).values_list("pk").first()
    open_requests = (Assignment.objects
                     .filter(user_id=OuterRef("user_id"), is_open=1,
                             task__organization_id=topic.organization_id)
                     .exclude(task__source=Source.STAFF)
                     .order_by().values("user_id").annotate(n=Count("*")).values("n"))
    return (_active_assignees(topic)
            .annotate(load=Coalesce(Subquery(open_requests, output_field=IntegerField()),
                                    Value(0)))
            .order_by("load", "user__full_name", "user_id")
            .values_list("user_id", flat=True).first())


def choose_assignee(topic: Topic) -> int | None:
    """The one assignee of a new request on `topic` (round-robin or least-loaded); None
    when it has no active assignee (the request then waits in "to be assigned")."""
    if topic.assignment == AssignmentMode.ROUND_ROBIN:
        return _next_in_turn(topic)
    if topic.assignment == AssignmentMode.LEAST_LOADED:
        return _least_loaded(topic)
    raise ValueError(f"not a one-assignee mode: {topic.assignment}")


def assign_new_request(*, task: Task, topic: Topic) -> None:
    """Assign a request just inserted. The assignments are made by the database from the
    topic's (one statement, no rows read); or from the customer's managers, when the topic
    sends requests to them and the customer has any (SPEC C5); or, when the topic gives each
    request to one of its assignees, to the one chosen (choose_assignee)."""
    if (topic.to_customer_managers and task.customer_id is not None
            and _assign_to_customer_managers(task.pk, task.customer_id, topic.organization_id)):
        return
    if topic.assignment == AssignmentMode.ALL:
        _assign_to_topic_assignees(task.pk, topic.pk, topic.organization_id)
        return
    chosen = choose_assignee(topic)
    if chosen is not None:
        Assignment.objects.create(task_id=task.pk, user_id=chosen)
