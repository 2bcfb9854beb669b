"""Handing work to the background worker from inside an action."""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks.base import Task


def enqueue_when_committed(task: Task[Any, Any], *args: Any) -> None:
    """Have the worker run `task(*args)` once the current transaction commits.

    With the database task backend on the same database, the task row is written inside the
    transaction itself: it becomes visible to the worker exactly at commit, disappears with a
    rollback, and cannot be lost between the commit and a separate enqueue (it also saves a
    write transaction per action on SQLite). Any other backend is enqueued after commit.
    """
    if _shares_the_database(task.backend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


@functools.cache
def _shares_the_database(backend_alias: str) -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    # Our actions write to the default database.
    return (isinstance(task_backends[backend_alias], DatabaseBackend)
            and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS)
