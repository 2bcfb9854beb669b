"""Changed targets and business hours move the due moments of the open requests they concern
(SPEC X8, service_levels.retarget), by the real worker: that topic and priority, or every open
request of the organization; never another organization's, a closed request or what the
clock keeps (a first response given, a wait for the customer)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frontdesk.core.testing import FrontdeskTestCase, query_plan
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser
from frontdesk.service_levels import retarget
from frontdesk.service_levels.models import DueDateUpdate, ServiceTarget
from frontdesk.service_levels.queries import due_moments
from frontdesk.service_levels.services import delete_target, save_business_hours
from frontdesk.service_levels.tests.helpers import (
    minutes_after_creation,
    round_the_clock,
    target,
)
from frontdesk.support.models import Priority, Status, Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status, create_request
from frontdesk.support.topics import save_topic

NINE_TO_FIVE = ((dt.time(9), dt.time(17)),) * 5 + (None, None)

Dues = tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]


def dues_of(task: Task) -> Dues:
    task.refresh_from_db()
    return task.first_response_due_at, task.resolution_due_at, task.next_due_at


class RetargetTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.topic_b = Topic.objects.for_org(self.org_b).get()
        customer_b = Customer.objects.create(organization=self.org_b, short_name="Umbrella")
        self.person_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                                  email="alice@umbrella.test")
        with self.sending():
            for organization in (self.org_a, self.org_b):
                round_the_clock(organization)
                target(organization, first=60, resolution=480)
        with self.sending():
            self.normal = self.request()
            self.high = self.request()
            Task.objects.filter(pk=self.high.pk).update(priority=Priority.HIGH)
            self.closed = self.request()
            change_status(task=self.closed, status=Status.CLOSED, by=self.agent_a)
            self.other_org = create_request(topic=self.topic_b, requester=self.person_b,
                                            title="B's", description="Not A's")
        self.smtp.clear()

    def request(self, topic: Topic | None = None) -> Task:
        return create_request(topic=topic or self.topic, requester=self.portal_a1,
                              title="Printer", description="Broken")

    def minutes(self, task: Task) -> tuple[float | None, float | None]:
        first, resolution, _next = dues_of(task)
        return (None if first is None else minutes_after_creation(task, first),
                None if resolution is None else minutes_after_creation(task, resolution))


class TargetChangeTests(RetargetTestCase):
    def test_a_topics_target_moves_its_open_requests_of_that_priority_only(self) -> None:
        untouched = {task.pk: dues_of(task) for task in (self.high, self.closed,
                                                          self.other_org)}
        with self.sending():
            target(self.org_a, first=30, resolution=240, topic=self.topic)
        self.assertEqual(self.minutes(self.normal), (30, 240))
        self.assertEqual(dues_of(self.normal)[2], dues_of(self.normal)[0])  # first due next
        for task in (self.high, self.closed, self.other_org):
            self.assertEqual(dues_of(task), untouched[task.pk])
        update = DueDateUpdate.objects.get(topic=self.topic)
        self.assertEqual((update.state, update.rows_total, update.rows_done),
                         (DueDateUpdate.State.DONE, 1, 1))

    def test_a_target_for_any_topic_leaves_the_topics_with_their_own(self) -> None:
        billing = save_topic(organization=self.org_a, name="Billing", group=self.topic.group,
                             assignees=[])
        with self.sending():
            billed = self.request(billing)
            target(self.org_a, first=30, resolution=240, topic=self.topic)
            target(self.org_a, first=10, resolution=100)
        self.assertEqual(self.minutes(billed), (10, 100))
        self.assertEqual(self.minutes(self.normal), (30, 240))
        self.assertEqual(self.minutes(self.other_org), (60, 480))

    def test_removing_a_target_moves_its_requests_to_the_one_that_applies_now(self) -> None:
        with self.sending():
            target(self.org_a, first=30, resolution=240, topic=self.topic)
        own = ServiceTarget.objects.get(topic=self.topic)
        with self.sending():
            delete_target(target=own)
        self.assertEqual(self.minutes(self.normal), (60, 480))
        anything = ServiceTarget.objects.for_org(self.org_a).get()
        with self.sending():
            delete_target(target=anything)
        self.assertEqual(dues_of(self.normal), (None, None, None))
        self.assertEqual(self.minutes(self.other_org), (60, 480))

    def test_saving_the_same_target_again_queues_no_work(self) -> None:
        count = DueDateUpdate.objects.count()
        target(self.org_a, first=60, resolution=480)
        self.assertEqual(DueDateUpdate.objects.count(), count)


class BusinessHoursChangeTests(RetargetTestCase):
    def test_new_hours_move_every_open_request_of_the_organization_only(self) -> None:
        with self.sending():
            target(self.org_a, first=15, resolution=120, priority=Priority.HIGH)
        before_b, before_closed = dues_of(self.other_org), dues_of(self.closed)
        with self.sending():
            save_business_hours(organization=self.org_a, time_zone="Europe/Warsaw",
                                week=NINE_TO_FIVE, holidays=[])
        for task, priority in ((self.normal, Priority.NORMAL), (self.high, Priority.HIGH)):
            expected = due_moments(organization_id=self.org_a.pk, topic_id=self.topic.pk,
                                   priority=priority, start=task.created_at)
            self.assertEqual(dues_of(task)[:2], tuple(expected))
        self.assertEqual(dues_of(self.other_org), before_b)
        self.assertEqual(dues_of(self.closed), before_closed)
        update = DueDateUpdate.objects.for_org(self.org_a).filter(priority="").latest("id")
        self.assertEqual(update.rows_total, 2)

    def test_renaming_a_holiday_moves_nothing(self) -> None:
        day = dt.date(2030, 12, 25)
        save_business_hours(organization=self.org_a, time_zone="UTC", week=NINE_TO_FIVE,
                            holidays=[(day, "Christmas")])
        count = DueDateUpdate.objects.count()
        save_business_hours(organization=self.org_a, time_zone="UTC", week=NINE_TO_FIVE,
                            holidays=[(day, "Xmas")])
        self.assertEqual(DueDateUpdate.objects.count(), count)


class WhatTheClockKeepsTests(RetargetTestCase):
    def test_a_first_response_given_keeps_its_moment_and_the_resolution_is_due_next(
            self) -> None:
        add_staff_post(task=self.normal, author=self.agent_a, body="On it",
                       visible_to_customer=True)
        self.normal.refresh_from_db()
        answered, first_due = self.normal.first_responded_at, self.normal.first_response_due_at
        with self.sending():
            target(self.org_a, first=5, resolution=90)
        self.normal.refresh_from_db()
        self.assertEqual(self.normal.first_responded_at, answered)
        self.assertEqual(self.normal.first_response_due_at, first_due)  # judged by it then
        self.assertEqual(self.minutes(self.normal)[1], 90)
        self.assertEqual(self.normal.next_due_at, self.normal.resolution_due_at)

    def test_a_request_waiting_for_the_customer_stays_paused(self) -> None:
        change_status(task=self.normal, status=Status.WAITING, by=self.agent_a)
        Task.objects.filter(pk=self.normal.pk).update(sla_paused_minutes=30)
        with self.sending():
            target(self.org_a, first=20, resolution=200)
        self.normal.refresh_from_db()
        self.assertIsNone(self.normal.next_due_at)  # not breaching while it waits
        self.assertIsNotNone(self.normal.sla_paused_at)
        # The waits that ended still count.
        self.assertEqual(self.minutes(self.normal), (50, 230))

    def test_a_waiting_request_given_its_first_target_pauses_from_then(self) -> None:
        ServiceTarget.objects.for_org(self.org_a).delete()
        change_status(task=self.normal, status=Status.WAITING, by=self.agent_a)
        Task.objects.filter(pk=self.normal.pk).update(
            first_response_due_at=None, resolution_due_at=None, next_due_at=None,
            sla_paused_at=None)
        self.normal.refresh_from_db()
        self.assertIsNone(self.normal.sla_paused_at)
        with self.sending():
            target(self.org_a, first=20, resolution=200)
        self.normal.refresh_from_db()
        self.assertIsNotNone(self.normal.sla_paused_at)
        self.assertIsNone(self.normal.next_due_at)


class ConcurrencyTests(RetargetTestCase):
    def ready_tasks(self) -> int:
        return DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path="frontdesk.service_levels.retarget.update_due_moments").count()

    def test_of_two_quick_changes_the_later_wins(self) -> None:
        with self.sending():
            target(self.org_a, first=30, resolution=300)
            target(self.org_a, first=20, resolution=200)  # before the worker ran
        self.assertEqual(self.minutes(self.normal), (20, 200))
        states = list(DueDateUpdate.objects.for_org(self.org_a).filter(priority="normal")
                      .order_by("id").values_list("state", flat=True))
        self.assertEqual(states[-2:], ["superseded", "done"])

    def test_new_hours_supersede_a_target_change_still_waiting(self) -> None:
        target(self.org_a, first=30, resolution=300)
        with self.sending():
            save_business_hours(organization=self.org_a, time_zone="UTC", week=NINE_TO_FIVE,
                                holidays=[])
        expected = due_moments(organization_id=self.org_a.pk, topic_id=self.topic.pk,
                               priority=Priority.NORMAL, start=self.normal.created_at)
        self.assertEqual(dues_of(self.normal)[:2], tuple(expected))
        states = list(DueDateUpdate.objects.for_org(self.org_a).order_by("-id")
                      .values_list("state", flat=True)[:2])
        self.assertEqual(states, ["done", "superseded"])

    def test_an_earlier_update_run_last_still_uses_the_later_settings(self) -> None:
        first = retarget.start(organization=self.org_a, topic_id=self.topic.pk,
                               priority=Priority.NORMAL)
        target(self.org_a, first=45, resolution=450, topic=self.topic)
        DueDateUpdate.objects.filter(pk=first.pk).update(state=DueDateUpdate.State.QUEUED)
        self.assertEqual(retarget.update_due_moments.call(first.pk), "done")
        self.assertEqual(self.minutes(self.normal), (45, 450))

    def test_running_an_update_twice_does_the_work_once(self) -> None:
        with self.sending():
            target(self.org_a, first=30, resolution=300)
        update = DueDateUpdate.objects.for_org(self.org_a).latest("id")
        self.assertEqual(retarget.update_due_moments.call(update.pk), "taken")
        update.refresh_from_db()
        self.assertEqual(update.rows_done, 1)  # the one open request of normal priority
        self.assertEqual(self.ready_tasks(), 0)

    def test_a_request_closed_meanwhile_is_left_alone(self) -> None:
        target(self.org_a, first=30, resolution=300)
        update = DueDateUpdate.objects.for_org(self.org_a).latest("id")
        claimed = retarget._claim(update.pk)
        assert claimed is not None
        change_status(task=self.normal, status=Status.CLOSED, by=self.agent_a)
        closed = dues_of(self.normal)
        self.assertFalse(retarget.run_batch(claimed))
        self.assertEqual(dues_of(self.normal), closed)
        self.assertEqual(self.minutes(self.high), (60, 480))  # high: no target of its own


    def test_the_write_skips_a_request_no_longer_open(self) -> None:
        stale = Task.objects.get(pk=self.normal.pk)
        change_status(task=self.normal, status=Status.CLOSED, by=self.agent_a)
        closed = dues_of(self.normal)
        stale.first_response_due_at = stale.resolution_due_at = stale.next_due_at = None
        fresh = Task.objects.get(pk=self.high.pk)
        fresh.first_response_due_at = fresh.resolution_due_at = fresh.next_due_at = None
        retarget._write([stale, fresh])
        self.assertEqual(dues_of(self.normal), closed)
        self.assertEqual(dues_of(self.high), (None, None, None))


class TenancyTests(RetargetTestCase):
    def test_an_update_naming_another_organizations_topic_touches_nothing_there(
            self) -> None:
        before = dues_of(self.other_org)
        with self.sending():
            target(self.org_b, first=1, resolution=2, topic=self.topic_b)
        after_b = dues_of(self.other_org)
        self.assertNotEqual(after_b, before)  # B's own change moved B's request
        forged = retarget.start(organization=self.org_a, topic_id=self.topic_b.pk,
                                priority=Priority.NORMAL)
        with self.sending():
            pass
        self.assertEqual(retarget.update_due_moments.call(forged.pk), "taken")
        forged.refresh_from_db()
        self.assertEqual(forged.rows_total, 0)
        self.assertEqual(dues_of(self.other_org), after_b)
        self.assertEqual(self.minutes(self.normal), (60, 480))

    def test_the_batch_reads_a_constant_number_of_statements(self) -> None:
        counts = []
        for size in (5, 25):
            with self.sending():
                for _ in range(size):
                    self.request()
            ServiceTarget.objects.for_org(self.org_a).update(first_response_minutes=7)
            update = retarget.start(organization=self.org_a)
            claimed = retarget._claim(update.pk)
            assert claimed is not None
            with CaptureQueriesContext(connection) as queries:
                self.assertTrue(retarget.run_batch(claimed, size=size))
            counts.append(len(queries))
            self.assertEqual(DueDateUpdate.objects.get(pk=update.pk).rows_done, size)
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 8)


class IndexTests(RetargetTestCase):
    def batch_plan(self, update: DueDateUpdate) -> str:
        return query_plan(retarget.concerned(update).filter(pk__gt=0, pk__lte=10**9)
                          .order_by("pk").only(*retarget.TASK_COLUMNS)[:retarget.BATCH])

    def test_each_scope_reads_its_batch_from_an_index(self) -> None:
        everything = retarget.start(organization=self.org_a)
        topic = retarget.start(organization=self.org_a, topic_id=self.topic.pk,
                               priority=Priority.NORMAL)
        any_topic = retarget.start(organization=self.org_a, priority=Priority.NORMAL)
        for update, index in ((everything, "task_org_open_id"), (topic, "task_topic_open_id"),
                              (any_topic, "task_org_open_id")):
            plan = self.batch_plan(update)
            with self.subTest(index=index, plan=plan):
                if connection.vendor == "sqlite":
                    self.assertIn(index, plan)
                else:
                    # PostgreSQL picks among the indexes by its statistics of a test table of
                    # a few rows (the key's own, in the batch's order, as often as this one):
                    # what matters is that no batch reads the table whole.
                    self.assertIn("Index", plan)
                    self.assertNotIn("Seq Scan on support_task", plan)
