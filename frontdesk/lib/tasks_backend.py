"""django-tasks' database backend, with the task row written by a statement written once.

Actions enqueue their side effects inside their write transaction (lib/background.py);
on the public form that is one of the rows of a submission. The library saves it with
`Model.objects.create()`, which builds and compiles a new INSERT each time and sends the
`pre_save` signal through which it fills `run_after` (0.25–0.4 ms, the most of any row). Here
the same row is written with `lib.inserts.Insert`, `run_after` filled as that signal fills it;
`enqueue` is the library's, except that it builds the result it returns once (the library
builds it twice: once for the `task_enqueued` signal, again to return it; each imports the
task and copies it). `prepare` splits an enqueue in two: the row is made ahead of the write
transaction and only inserted in it. The worker, results and admin are the library's.

Task ids are UUIDs whose first bits are the time (version 7), not random ones (version 4):
each new row's key then goes at the end of the primary key's index, not into a random page
of it, which every insert had to read and write back.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django_tasks.signals import task_enqueued
from django_tasks_db import backend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from frontdesk.lib.inserts import Insert, new


def time_ordered_uuid() -> uuid.UUID:
    """A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # the RFC's variant
    return uuid.UUID(int=value)


class DatabaseBackend(backend.DatabaseBackend):
    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        if self.id_function is None:
            self.id_function = time_ordered_uuid

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        row = self.prepare(task)(*args, **kwargs)
        return self.announce(row)

    def prepare(self, task: Any) -> Callable[..., DBTaskResult]:
        """`enqueue(task, …)` without its signal, the row made now: the function returned
        inserts it with the arguments it is given, and returns it (once)."""
        self.validate_task(task)
        row = new(
            DBTaskResult, id=self._get_id(), args_kwargs=None,
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # What the library's pre_save receiver does for a task to run as soon as may be.
            run_after=task.run_after if task.run_after is not None else get_date_max(),
            backend_name=self.alias,
        )
        writing = Insert([row])

        def run(*args: Any, **kwargs: Any) -> DBTaskResult:
            writing.fill(row, args_kwargs=normalize_json({"args": args, "kwargs": kwargs}))
            writing.run()
            return row

        return run

    def insert_each(self, task: Any, calls: Sequence[Sequence[Any]]) -> list[DBTaskResult]:
        """`task` enqueued once for each of `calls` (its arguments), without the signal: the
        rows inserted in one statement (an import's thousands of webhook deliveries are a
        few statements, not one per job). Returns the rows, for `announce`."""
        self.validate_task(task)
        rows = [new(DBTaskResult, id=self._get_id(),
                    args_kwargs=normalize_json({"args": args, "kwargs": {}}),
                    priority=task.priority, task_path=task.module_path,
                    queue_name=task.queue_name,
                    run_after=task.run_after if task.run_after is not None
                    else get_date_max(),
                    backend_name=self.alias) for args in calls]
        return Insert(rows).run()

    def announce(self, row: DBTaskResult) -> Any:
        """The result of an enqueued row, sent with the library's `task_enqueued` signal."""
        result = row.task_result
        task_enqueued.send(type(self), task_result=result)
        return result
