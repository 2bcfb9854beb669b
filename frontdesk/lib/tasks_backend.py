"""django-tasks' database backend, with the task row written by a statement written once.

Actions enqueue their side effects inside their write transaction (lib/background.py);
on the public form that is one of the rows of a submission. The library saves it with
`Model.objects.create()`, which builds and compiles a new INSERT each time and sends the
`pre_save` signal through which it fills `run_after` (0.25–0.4 ms, the most of any row). Here
the same row is written with `lib.inserts.insert`, `run_after` filled as that signal fills it;
`enqueue` is the library's, except that it builds the result it returns once (the library
builds it twice: once for the `task_enqueued` signal, again to return it; each imports the
task and copies it). The worker, results and admin are the library's, unchanged.
"""

from __future__ import annotations

from typing import Any

from django_tasks.signals import task_enqueued
from django_tasks_db import backend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from frontdesk.lib.inserts import insert, new


class DatabaseBackend(backend.DatabaseBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult:
        result: DBTaskResult
        [result] = insert([new(
            DBTaskResult, id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # What the library's pre_save receiver does for a task to run as soon as may be.
            run_after=task.run_after if task.run_after is not None else get_date_max(),
            backend_name=self.alias,
        )])
        return result
