"""The task backend (lib/tasks_backend.py) writes the row django-tasks-db writes, and its
worker runs it."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any, cast

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks.signals import task_enqueued
from django_tasks_db import backend as library
from django_tasks_db.models import DBTaskResult

from frontdesk.core.testing import FrontdeskTestCase, run_worker
from frontdesk.lib.background import prepare_enqueue
from frontdesk.lib.tasks_backend import DatabaseBackend

DONE: list[tuple[int, str]] = []


@task()
def remember(number: int, word: str = "") -> int:
    DONE.append((number, word))
    return number * 2


@task(priority=7, queue_name="default")
def urgent(number: int) -> int:
    return number


COMPARED = ("status", "args_kwargs", "priority", "task_path", "queue_name", "backend_name",
            "run_after", "worker_ids", "return_value", "exception_class_path", "traceback",
            "started_at", "finished_at")


def row(result_id: Any) -> dict[str, Any]:
    return DBTaskResult.objects.filter(pk=result_id).values(*COMPARED).get()


class TasksBackendTests(FrontdeskTestCase):
    def test_the_row_is_the_one_the_library_writes(self) -> None:
        backend = cast(DatabaseBackend, remember.get_backend())
        self.assertIsInstance(backend, DatabaseBackend)
        later = timezone.now() + dt.timedelta(hours=2)
        cases: list[tuple[Task[Any, Any], tuple[Any, ...], dict[str, Any]]] = [
            (remember, (3,), {"word": "héllo <b>"}),
            (urgent, ([1, 2],), {}),
            (remember.using(run_after=later, priority=-5), (4,), {}),
        ]
        for chosen, args, kwargs in cases:
            with self.subTest(task=chosen.module_path, run_after=chosen.run_after):
                ours = chosen.enqueue(*args, **kwargs)
                theirs = library.DatabaseBackend._task_to_db_task(backend, cast(Any, chosen), args,
                                                                 kwargs)
                self.assertEqual(row(ours.id), row(theirs.pk))
                self.assertEqual(ours.status, TaskResultStatus.READY)
                self.assertEqual(ours.args, list(args))
                self.assertIsNotNone(ours.enqueued_at)
                self.assertEqual(backend.get_result(ours.id).id, ours.id)

    def test_one_statement_and_the_worker_runs_it(self) -> None:
        DONE.clear()
        with CaptureQueriesContext(connection) as queries:
            result = remember.enqueue(21, word="x")
        self.assertEqual([q["sql"].split()[0] for q in queries.captured_queries], ["INSERT"])
        # Not run at a later time: ready now.
        self.assertEqual(DBTaskResult.objects.ready().filter(pk=result.id).count(), 1)
        run_worker()
        self.assertEqual(DONE, [(21, "x")])
        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.return_value, 42)

    def test_a_deferred_task_waits(self) -> None:
        DONE.clear()
        result = remember.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(1)
        run_worker()
        self.assertEqual(DONE, [])
        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.READY)

    def test_the_enqueued_signal_carries_the_result_returned(self) -> None:
        sent: list[Any] = []

        def receiver(sender: Any, task_result: Any, **kwargs: Any) -> None:
            sent.append((sender, task_result))

        task_enqueued.connect(receiver)
        try:
            result = remember.enqueue(5)
        finally:
            task_enqueued.disconnect(receiver)
        [(sender, signalled)] = sent
        self.assertIs(sender, DatabaseBackend)
        self.assertIs(signalled, result)  # built once
        self.assertEqual((result.args, result.status), ([5], TaskResultStatus.READY))

    def test_ids_follow_the_time_so_new_rows_go_at_the_end_of_the_index(self) -> None:
        made = [uuid.UUID(remember.enqueue(n).id) for n in range(50)]
        # The first 48 bits are the milliseconds; within one, the rest is random.
        millis = [one.int >> 80 for one in made]
        self.assertEqual(sorted(millis), millis)
        self.assertLess(abs(millis[0] - time.time() * 1000), 60_000)
        self.assertEqual(len(set(made)), 50)
        self.assertEqual({(one.version, one.variant) for one in made}, {(7, uuid.RFC_4122)})

    def test_a_prepared_enqueue_writes_the_row_in_the_transaction_and_signals_after(self
                                                                                     ) -> None:
        sent: list[Any] = []

        def receiver(sender: Any, task_result: Any, **kwargs: Any) -> None:
            sent.append(task_result)

        enqueue = prepare_enqueue(remember)
        self.assertEqual(DBTaskResult.objects.count(), 0)
        task_enqueued.connect(receiver)
        try:
            with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
                enqueue(8)
                self.assertEqual(DBTaskResult.objects.get().args_kwargs,
                                 {"args": [8], "kwargs": {}})
                self.assertEqual(sent, [])  # not enqueued until it commits
            [result] = sent
            self.assertEqual((result.args, result.task.func), ([8], remember.func))
            # Rolled back: no row, no signal.
            with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
                prepare_enqueue(remember)(9)
                transaction.set_rollback(True)
        finally:
            task_enqueued.disconnect(receiver)
        self.assertEqual(len(sent), 1)
        self.assertEqual(DBTaskResult.objects.count(), 1)
        DONE.clear()
        run_worker()
        self.assertEqual(DONE, [(8, "")])
