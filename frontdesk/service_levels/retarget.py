"""Moving the due moments of open requests when the settings change (SPEC X8): after a target
is saved or removed, or the business hours change, the worker works out again the due moments
of the open requests it concerns, from their creation, as a new request's are
(clock.retarget), in batches read by keyset and written with one UPDATE each.

Safe to run twice and against itself:
- the job is claimed with a conditional UPDATE (a task run twice finds it taken);
- each batch locks its requests (the support actions lock a request to change it), reads
  the targets and business hours then, and writes only requests still open: of two changes
  made quickly, the later one's settings win whichever job runs last, and a request closed
  meanwhile is left alone;
- a change that covers an earlier one's requests (the business hours, or the same target)
  supersedes it: the earlier job stops at its next batch.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from frontdesk.lib.background import enqueue_when_committed
from frontdesk.organizations.models import Organization
from frontdesk.service_levels import clock
from frontdesk.service_levels.models import DueDateUpdate, ServiceTarget
from frontdesk.service_levels.queries import TARGET_COLUMNS
from frontdesk.support.models import Task

log = logging.getLogger(__name__)

BATCH = 500
RUNNING = (DueDateUpdate.State.QUEUED, DueDateUpdate.State.WORKING)
# What clock.retarget reads of a request.
TASK_COLUMNS = ("id", "organization", "topic", "priority", "source", "status",
                "created_at", "first_response_due_at", "resolution_due_at",
                "first_responded_at", "next_due_at", "sla_paused_at", "sla_paused_minutes")


def start(*, organization: Organization | int, topic_id: int | None = None,
          priority: str = "") -> DueDateUpdate:
    """Inside the action that changed a target (`topic_id` or None for any topic, `priority`)
    or the business hours (neither): have the worker move the due moments of the open
    requests concerned once the action commits. Earlier updates of the same requests still
    waiting or running are superseded."""
    organization_id = organization if isinstance(organization, int) else organization.pk
    earlier = DueDateUpdate.objects.for_org(organization_id).filter(state__in=RUNNING)
    if priority:
        earlier = earlier.filter(priority=priority).filter(
            Q(topic_id=topic_id) if topic_id is not None else Q(topic__isnull=True))
    earlier.update(state=DueDateUpdate.State.SUPERSEDED, finished_at=timezone.now())
    update = DueDateUpdate.objects.create(organization_id=organization_id, topic_id=topic_id,
                                          priority=priority)
    enqueue_when_committed(update_due_moments, update.pk)
    return update


def concerned(update: DueDateUpdate) -> Any:
    """The open requests (never staff tasks) of the update's organization and scope. A
    target for any topic concerns the requests of its priority whose topic has no target of
    its own for it (read when the batch runs)."""
    tasks = Task.objects.for_org(update.organization_id).requests().open()
    if update.topic_id is not None:
        return tasks.filter(topic_id=update.topic_id, priority=update.priority)
    if update.priority:
        own = (ServiceTarget.objects.for_org(update.organization_id)
               .filter(priority=update.priority, topic__isnull=False).values("topic_id"))
        return tasks.filter(priority=update.priority).exclude(topic_id__in=own)
    return tasks


def _claim(update_id: int) -> DueDateUpdate | None:
    """The update, marked as worked on, with how many requests it concerns, if it waits for
    the worker (a task run twice, or a superseded update, finds nothing)."""
    if not DueDateUpdate.objects.filter(pk=update_id, state=DueDateUpdate.State.QUEUED).update(
            state=DueDateUpdate.State.WORKING):
        return None
    update = DueDateUpdate.objects.get(pk=update_id)
    newest = concerned(update).order_by("-pk").values_list("pk", flat=True).first()
    update.up_to_task_id = newest or 0
    update.rows_total = concerned(update).filter(pk__lte=update.up_to_task_id).count()
    DueDateUpdate.objects.filter(pk=update.pk).update(
        up_to_task_id=update.up_to_task_id, rows_total=update.rows_total)
    return update


def _target_rows(organization_id: int) -> list[list[Any]]:
    """Every target of the organization with its business hours: its priority, then
    TARGET_COLUMNS (the rows due_moments takes)."""
    return [list(row) for row in ServiceTarget.objects.for_org(organization_id)
            .values_list("priority", *TARGET_COLUMNS)]


def run_batch(update: DueDateUpdate, size: int = BATCH) -> bool:
    """Move the due moments of the next `size` requests of the update; False once there are
    none left or the update was superseded. A constant number of statements, whatever the
    batch's size: the requests (locked), the targets, the UPDATE, the progress."""
    with transaction.atomic():
        tasks = list(concerned(update).filter(pk__gt=update.last_task_id,
                                              pk__lte=update.up_to_task_id)
                     .order_by("pk").only(*TASK_COLUMNS)
                     .select_for_update(of=("self",))[:size])
        if tasks:
            # Read after the requests are locked: settings changed until then are seen.
            rows = _target_rows(update.organization_id)
            now = timezone.now()
            for item in tasks:
                clock.retarget(item, now=now, rows=[
                    row[1:] for row in rows
                    if row[0] == item.priority and row[1] in (None, item.topic_id)])
            _write(tasks)
            update.last_task_id = tasks[-1].pk
            update.rows_done += len(tasks)
        finished = len(tasks) < size
        changes: dict[str, Any] = {"last_task_id": update.last_task_id,
                                   "rows_done": F("rows_done") + len(tasks)}
        if finished:
            changes |= {"state": DueDateUpdate.State.DONE, "finished_at": timezone.now()}
        current = DueDateUpdate.objects.filter(
            pk=update.pk, state=DueDateUpdate.State.WORKING).update(**changes)
    return bool(current) and not finished


def _write(tasks: list[Task]) -> None:
    """One UPDATE for the batch, the new values joined by id (`UPDATE … FROM (VALUES …)`,
    SQLite 3.33+ and PostgreSQL): Django's bulk_update makes a CASE per field and row, whose
    building took a millisecond a request in Python. Only requests still open are written
    (one closed before its lock was taken is not in `tasks` either)."""
    postgres = connection.vendor == "postgresql"
    by_name = {field.name: field for field in Task._meta.concrete_fields}
    fields = [by_name[name] for name in clock.RETARGETED_FIELDS]
    quote = connection.ops.quote_name
    table = quote(Task._meta.db_table)
    # PostgreSQL types a VALUES list from its values; a NULL alone would be text.
    row = "({})".format(", ".join(["%s::bigint" if postgres else "%s"] + [
        "%s::timestamptz" if postgres else "%s"] * len(fields)))
    params: list[Any] = []
    for item in tasks:
        params.append(item.pk)
        params.extend(field.get_db_prep_value(getattr(item, field.attname), connection)
                      for field in fields)
    assignments = ", ".join(f"{quote(str(field.column))} = v.column{number}"
                            for number, field in enumerate(fields, start=2))
    # Only our model's names and placeholders in the text; the values are parameters.
    sql = (f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(tasks))})"  # noqa: S608
           f" AS v WHERE {table}.{quote(str(by_name['id'].column))} = v.column1"
           f" AND {table}.{quote(str(by_name['is_open'].column))} = 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@task()
def update_due_moments(update_id: int) -> str:
    """The worker's part: every batch of the update, each in its own short transaction."""
    update = _claim(update_id)
    if update is None:
        return "taken"
    try:
        while run_batch(update):
            pass
    except Exception:
        log.exception("due-date update %s failed", update_id)
        DueDateUpdate.objects.filter(pk=update_id, state=DueDateUpdate.State.WORKING).update(
            state=DueDateUpdate.State.FAILED, finished_at=timezone.now())
        return "failed"
    return "done"
