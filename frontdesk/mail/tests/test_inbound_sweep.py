"""The daily sweep of incoming e-mails' bytes (FRONTDESK_INBOUND_KEEP_DAYS): what is older than
the keep period is forgotten, whether or not it had a task of its own, in every organization;
the next run is scheduled a day later, once; it starts after `migrate` only where there is
something to forget."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.apps import apps
from django.db.models.signals import post_migrate
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from frontdesk.mail import inbound_sweep
from frontdesk.mail.inbound import receive_message
from frontdesk.mail.models import InboundMessage
from frontdesk.mail.tasks import forget_inbound_email, sweep_inbound_emails
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml


def waiting(task: object) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY,
                                            task_path=task.module_path))  # type: ignore[attr-defined]


class InboundSweepTests(InboundTestCase):
    def stored(self, message: InboundMessage) -> bool:
        message.refresh_from_db()
        name = message.raw.name
        return bool(name) and message.raw.storage.exists(str(name))

    def received_days_ago(self, days: int) -> InboundMessage:
        message = self.receive(eml(subject=f"{days} days ago"))
        InboundMessage.objects.filter(pk=message.pk).update(
            received_at=timezone.now() - dt.timedelta(days=days))
        return message

    def from_before_the_forgetting_task(self) -> None:
        # Received before `_schedule_forgetting` existed: no task of their own.
        DBTaskResult.objects.filter(task_path=forget_inbound_email.module_path).delete()

    def test_it_forgets_every_old_message_and_schedules_the_next_run(self) -> None:
        old = self.received_days_ago(91)
        recent = self.received_days_ago(89)
        with self.sending():
            elsewhere = receive_message(organization=self.org_b, raw=eml(subject="B")).message
        InboundMessage.objects.filter(pk=elsewhere.pk).update(
            received_at=timezone.now() - dt.timedelta(days=400))
        self.from_before_the_forgetting_task()
        with self.sending():
            self.assertTrue(inbound_sweep.ensure_scheduled())
        self.assertFalse(self.stored(old))
        self.assertFalse(self.stored(elsewhere))
        self.assertTrue(self.stored(recent))
        # The log keeps its lines, without the bytes.
        old.refresh_from_db()
        self.assertEqual((old.raw.name, old.status), ("", InboundMessage.Status.NEW_REQUEST))
        [done] = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL,
                                             task_path=sweep_inbound_emails.module_path)
        self.assertEqual(done.return_value, 2)
        [following] = waiting(sweep_inbound_emails)
        self.assertAlmostEqual(following.run_after, timezone.now() + dt.timedelta(days=1),
                               delta=dt.timedelta(minutes=5))

    def test_a_run_waiting_is_not_doubled(self) -> None:
        self.assertTrue(inbound_sweep.ensure_scheduled(after=dt.timedelta(days=1)))
        self.assertFalse(inbound_sweep.ensure_scheduled())
        self.assertFalse(inbound_sweep.ensure_scheduled(after=dt.timedelta(hours=1)))
        self.assertEqual(len(waiting(sweep_inbound_emails)), 1)

    def test_a_failing_run_still_leaves_the_next_one(self) -> None:
        old = self.received_days_ago(100)
        self.from_before_the_forgetting_task()
        failing = mock.patch("frontdesk.mail.inbound_sweep.forget_raw",
                             side_effect=OSError("disk"))
        with failing, self.sending():
            inbound_sweep.ensure_scheduled()
        self.assertTrue(DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, task_path=sweep_inbound_emails.module_path).exists())
        self.assertEqual(len(waiting(sweep_inbound_emails)), 1)
        self.assertTrue(self.stored(old))

    @override_settings(FRONTDESK_INBOUND_KEEP_DAYS=0)
    def test_bytes_kept_for_good_are_neither_swept_nor_scheduled(self) -> None:
        old = self.received_days_ago(1000)
        self.assertFalse(inbound_sweep.ensure_scheduled())
        self.assertEqual(inbound_sweep.forget_old_raw(), 0)
        self.assertEqual(waiting(sweep_inbound_emails), [])
        self.assertTrue(self.stored(old))

    def test_it_starts_after_migrate_only_where_bytes_are_stored(self) -> None:
        config = apps.get_app_config("mail")

        def migrated() -> None:
            post_migrate.send(sender=config, app_config=config, verbosity=0,
                              interactive=False, using="default", apps=apps, plan=[])

        migrated()
        self.assertEqual(waiting(sweep_inbound_emails), [])  # nothing to forget
        self.received_days_ago(5)
        migrated()
        migrated()
        [run] = waiting(sweep_inbound_emails)
        self.assertEqual(run.run_after, get_date_max())  # the queue's "at once"
        self.assertFalse(inbound_sweep.start_after_migrate(using="other"))

    def test_the_old_messages_are_read_from_the_partial_index(self) -> None:
        from frontdesk.core.testing import query_plan

        plan = query_plan(inbound_sweep.due_for_forgetting(timezone.now()))
        self.assertIn("inbound_stored_received", plan)
