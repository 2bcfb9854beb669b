"""The daily sweep of incoming e-mails' bytes (FRONTDESK_INBOUND_KEEP_DAYS).

Each message received gets its own task, due when its keep period ends
(`inbound._schedule_forgetting`). Messages stored before that task existed, or while the
period was 0, or before it was shortened, have none, and their bytes (what the sender wrote,
attachments and all) stayed for good. The sweep forgets the bytes of every message older
than the period, whichever way it came to be kept.

Scheduled as other work due later is (docs/architecture.md "How a change travels"; the
support reminders): a task row of the database queue with `run_after`, no cron. Each run
first schedules the next one a day later, so an error in one run does not end the chain;
`ensure_scheduled` adds a run only when none is waiting. After every `migrate` (which
`make serve` runs at each start) the chain is started where there are bytes to forget and no
run is waiting: a fresh database (the tests') has none, and gets no task row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from frontdesk.mail.inbound import forget_raw
from frontdesk.mail.models import InboundMessage

EVERY = dt.timedelta(days=1)
# Messages read at a time: each one's bytes are then forgotten in its own short transaction.
BATCH = 500


def due_for_forgetting(now: dt.datetime) -> Any:
    """The messages whose bytes are still stored, received more than the keep period
    before `now` (the partial index inbound_stored_received holds just those with bytes)."""
    cutoff = now - dt.timedelta(days=settings.FRONTDESK_INBOUND_KEEP_DAYS)
    return InboundMessage.objects.filter(received_at__lt=cutoff).exclude(raw="")


def forget_old_raw(*, now: dt.datetime | None = None) -> int:
    """Forget the bytes of every message older than the keep period (`forget_raw`, one by
    one); nothing when the period is 0 (kept for good). How many were forgotten."""
    if settings.FRONTDESK_INBOUND_KEEP_DAYS <= 0:
        return 0
    due = due_for_forgetting(now or timezone.now()).order_by("pk")
    forgotten, last = 0, 0
    while True:
        ids = list(due.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return forgotten
        forgotten += sum(forget_raw(message_id=message_id) for message_id in ids)
        last = ids[-1]


def _waiting_runs() -> Any:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from frontdesk.mail.tasks import sweep_inbound_emails

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY,
                                       task_path=sweep_inbound_emails.module_path)


def ensure_scheduled(*, after: dt.timedelta | None = None) -> bool:
    """Have the worker sweep (`after` from now; at once without), unless a run is waiting
    already or the bytes are kept for good. Only with the database queue, the one that can
    be asked what waits. True when a run was added."""
    from django_tasks_db.backend import DatabaseBackend

    from frontdesk.lib.background import enqueue_when_committed
    from frontdesk.mail.tasks import sweep_inbound_emails

    if settings.FRONTDESK_INBOUND_KEEP_DAYS <= 0:
        return False
    if not isinstance(sweep_inbound_emails.get_backend(), DatabaseBackend):
        return False
    if _waiting_runs().exists():
        return False
    task = (sweep_inbound_emails.using(run_after=timezone.now() + after) if after
            else sweep_inbound_emails)
    enqueue_when_committed(task)
    return True


def sweep() -> int:
    """Run by the worker: the next run scheduled first, then the old bytes forgotten."""
    ensure_scheduled(after=EVERY)
    return forget_old_raw()


def start_after_migrate(*, using: str) -> bool:
    """After `migrate`: start the chain where there are bytes stored and no run waiting."""
    from django_tasks_db.models import DBTaskResult

    if using != DEFAULT_DB_ALIAS:
        return False
    tables = set(connections[using].introspection.table_names())
    if not {InboundMessage._meta.db_table, DBTaskResult._meta.db_table} <= tables:
        return False  # migrated part of the way only
    if not InboundMessage.objects.exclude(raw="").exists():
        return False  # nothing to forget
    return ensure_scheduled()
