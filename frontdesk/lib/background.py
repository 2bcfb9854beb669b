"""Handing work to the background worker from inside an action."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
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
    prepare_enqueue(task)(*args)


def enqueue_each_when_committed(task: Task[Any, Any], calls: Sequence[Sequence[Any]]
                                ) -> None:
    """`enqueue_when_committed(task, *args)` for each `args` of `calls`; with the database
    backend, the task rows in one statement (at most a few hundred calls at a time: the
    statement has a parameter per column of each row)."""
    from frontdesk.lib.tasks_backend import DatabaseBackend

    backend = task.get_backend()
    if not calls:
        return
    if not _shares_the_database(task.backend) or not isinstance(backend, DatabaseBackend):
        for args in calls:
            enqueue_when_committed(task, *args)
        return
    rows = backend.insert_each(task, calls)
    transaction.on_commit(lambda: [backend.announce(row) for row in rows])


def prepare_enqueue(task: Task[Any, Any]) -> Callable[..., None]:
    """`enqueue_when_committed(task, *args)` in two steps, for an action that makes its rows
    ahead of its write transaction: call this before it, and what it returns inside it, with
    the arguments (known only then: the key of a row just inserted). With the database
    backend, the task row is made now and only inserted then; the library's `task_enqueued`
    signal is sent once the transaction commits (a task that is rolled back was never
    enqueued)."""
    from frontdesk.lib.tasks_backend import DatabaseBackend

    backend = task.get_backend()
    if not _shares_the_database(task.backend):
        return lambda *args: transaction.on_commit(lambda: task.enqueue(*args))
    if not isinstance(backend, DatabaseBackend):
        def enqueue(*args: Any) -> None:
            task.enqueue(*args)

        return enqueue
    insert = backend.prepare(task)

    def run(*args: Any) -> None:
        row = insert(*args)
        transaction.on_commit(lambda: backend.announce(row))

    return run


@functools.cache
def _shares_the_database(backend_alias: str) -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    # Our actions write to the default database.
    return (isinstance(task_backends[backend_alias], DatabaseBackend)
            and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS)
