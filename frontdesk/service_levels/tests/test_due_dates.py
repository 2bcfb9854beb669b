"""A request's due moments (SPEC X8): set on every way a request is made, worked out again
when its priority changes, the first visible answer recorded, the clock stopped on closing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.portal.tests.helpers import PortalTestCase
from frontdesk.service_levels.queries import due_moments
from frontdesk.service_levels.tests.helpers import (
    minutes_after_creation,
    round_the_clock,
    target,
)
from frontdesk.support.models import Priority, Status, Task, Topic
from frontdesk.support.posts import (
    add_customer_reply,
    add_staff_post,
    make_post_visible_to_customer,
)
from frontdesk.support.services import change_status, create_request, delegate
from frontdesk.support.topics import save_topic


class EveryWayInTests(PortalTestCase):
    """The public form, the portal and staff's own tests of the action itself."""

    def setUp(self) -> None:
        super().setUp()
        round_the_clock(self.org_a)
        target(self.org_a, first=60, resolution=480)

    def assertDue(self, task: Task) -> None:
        self.assertAlmostEqual(minutes_after_creation(task, task.first_response_due_at), 60,
                               delta=0.1)
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 480,
                               delta=0.1)
        self.assertEqual(task.next_due_at, task.first_response_due_at)

    def test_the_public_form(self) -> None:
        self.assertDue(self.submit())

    def test_the_portal(self) -> None:
        self.login_portal(self.portal_a1)
        topic = Topic.objects.for_org(self.org_a).get()
        response = self.client.post("/p/acme-support/requests/new/", {
            "topic": topic.pk, "title": "Hello", "description": "There"})
        self.assertEqual(response.status_code, 302)
        self.assertDue(Task.objects.for_org(self.org_a).get())

    def test_the_action_itself(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        self.assertDue(create_request(topic=topic, requester=self.portal_a1, title="T",
                                      description="D"))

    def test_another_organizations_targets_do_not_apply(self) -> None:
        round_the_clock(self.org_b)
        target(self.org_b, first=5, resolution=10)
        self.assertDue(self.submit())

    def test_without_a_target_there_is_no_due_moment(self) -> None:
        from frontdesk.service_levels.models import ServiceTarget

        ServiceTarget.objects.all().delete()
        task = self.submit()
        self.assertEqual((task.first_response_due_at, task.resolution_due_at,
                          task.next_due_at), (None, None, None))


class EMailTests(InboundTestCase):
    def test_an_e_mail_request_gets_its_due_moments(self) -> None:
        round_the_clock(self.org_a)
        target(self.org_a, first=30, resolution=120)
        task = self.task_of(self.receive(eml()))
        self.assertAlmostEqual(minutes_after_creation(task, task.first_response_due_at), 30,
                               delta=0.1)
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 120,
                               delta=0.1)


class ApiTests(ApiTestCase):
    def test_an_api_request_gets_its_due_moments(self) -> None:
        round_the_clock(self.org_a)
        target(self.org_a, first=30, resolution=120)
        topic = Topic.objects.for_org(self.org_a).get()
        client = self.api(self.token_of(self.agent_a))
        body = self.send_json(client, "post", "/api/v1/requests", {
            "topic_id": topic.pk, "requester_email": "rita@newco.test", "title": "Fax broken",
            "description": "Since Monday."}, 201)
        task = Task.objects.get(pk=body["id"])
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 120,
                               delta=0.1)


class TargetChoiceAndChangeTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        round_the_clock(self.org_a)
        self.topic = Topic.objects.for_org(self.org_a).get()
        target(self.org_a, first=60, resolution=480)
        target(self.org_a, first=15, resolution=120, priority=Priority.URGENT)

    def new_request(self, topic: Topic | None = None) -> Task:
        return create_request(topic=topic or self.topic, requester=self.portal_a1,
                              title="Printer", description="Broken")

    def test_a_topics_own_target_wins_over_the_one_for_any_topic(self) -> None:
        billing = save_topic(organization=self.org_a, name="Billing", group=self.topic.group,
                             assignees=[])
        target(self.org_a, first=10, resolution=20, topic=billing)
        task = self.new_request(billing)
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 20,
                               delta=0.1)
        other = self.new_request()
        self.assertAlmostEqual(minutes_after_creation(other, other.resolution_due_at), 480,
                               delta=0.1)

    def test_a_change_of_priority_works_the_due_moments_out_again(self) -> None:
        task = self.new_request()
        task = delegate(task=task, assignees=[self.agent_a], due_date=None,
                        priority=Priority.URGENT, by=self.admin_a)
        task.refresh_from_db()
        self.assertAlmostEqual(minutes_after_creation(task, task.first_response_due_at), 15,
                               delta=0.1)
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 120,
                               delta=0.1)
        self.assertEqual(task.next_due_at, task.first_response_due_at)
        # A priority without a target: no due moments.
        delegate(task=task, assignees=[self.agent_a], due_date=None, priority=Priority.LOW,
                 by=self.admin_a)
        task.refresh_from_db()
        self.assertEqual((task.first_response_due_at, task.resolution_due_at,
                          task.next_due_at), (None, None, None))

    def test_the_first_visible_answer_is_recorded_once(self) -> None:
        task = self.new_request()
        add_staff_post(task=task, author=self.agent_a, body="internal only")
        task.refresh_from_db()
        self.assertIsNone(task.first_responded_at)
        post = add_staff_post(task=task, author=self.agent_a, body="We are on it",
                              visible_to_customer=True)
        task.refresh_from_db()
        answered = task.first_responded_at
        self.assertIsNotNone(answered)
        self.assertEqual(task.next_due_at, task.resolution_due_at)  # what is due next
        add_staff_post(task=task, author=self.agent_a, body="More", visible_to_customer=True)
        make_post_visible_to_customer(post=post, by=self.agent_a)
        task.refresh_from_db()
        self.assertEqual(task.first_responded_at, answered)

    def test_an_internal_note_made_visible_later_is_the_first_answer(self) -> None:
        task = self.new_request()
        note = add_staff_post(task=task, author=self.agent_a, body="note")
        make_post_visible_to_customer(post=note, by=self.agent_a)
        task.refresh_from_db()
        self.assertIsNotNone(task.first_responded_at)

    def test_closing_stops_the_clock_and_reopening_starts_it(self) -> None:
        task = self.new_request()
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        task.refresh_from_db()
        self.assertIsNone(task.next_due_at)
        self.assertIsNotNone(task.closed_at)  # the resolution's moment
        change_status(task=task, status=Status.OPEN, by=self.agent_a)
        task.refresh_from_db()
        self.assertEqual(task.next_due_at, task.first_response_due_at)

    def test_answered_while_closed_the_clock_stays_stopped(self) -> None:
        task = self.new_request()
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        add_staff_post(task=task, author=self.agent_a, body="Done", visible_to_customer=True)
        task.refresh_from_db()
        self.assertIsNotNone(task.first_responded_at)
        self.assertIsNone(task.next_due_at)

    def test_waiting_for_the_customer_pauses_the_clock(self) -> None:
        task = self.new_request()
        before = (task.first_response_due_at, task.resolution_due_at)
        assert before[0] is not None and before[1] is not None
        change_status(task=task, status=Status.WAITING, by=self.agent_a)
        task.refresh_from_db()
        self.assertIsNone(task.next_due_at)  # not breaching while it waits
        self.assertIsNotNone(task.sla_paused_at)
        # It waited three hours (round the clock: three business hours).
        Task.objects.filter(pk=task.pk).update(
            sla_paused_at=timezone.now() - dt.timedelta(hours=3))
        add_customer_reply(task=task, portal_user=self.portal_a1, body="Here it is")
        task.refresh_from_db()
        self.assertEqual(task.status, Status.OPEN)
        self.assertIsNone(task.sla_paused_at)
        self.assertEqual(task.sla_paused_minutes, 180)
        self.assertEqual(task.first_response_due_at, before[0] + dt.timedelta(hours=3))
        self.assertEqual(task.resolution_due_at, before[1] + dt.timedelta(hours=3))
        self.assertEqual(task.next_due_at, task.first_response_due_at)
        # A later change of priority keeps the time it waited.
        delegate(task=task, assignees=[self.agent_a], due_date=None,
                 priority=Priority.URGENT, by=self.admin_a)
        task.refresh_from_db()
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 120 + 180,
                               delta=0.1)

    def test_staff_ending_the_wait_restarts_the_clock(self) -> None:
        task = self.new_request()
        change_status(task=task, status=Status.WAITING, by=self.agent_a)
        change_status(task=task, status=Status.IN_PROGRESS, by=self.agent_a)
        task.refresh_from_db()
        self.assertIsNone(task.sla_paused_at)
        self.assertEqual(task.next_due_at, task.first_response_due_at)

    def test_closing_a_waiting_request_stops_the_clock(self) -> None:
        task = self.new_request()
        change_status(task=task, status=Status.WAITING, by=self.agent_a)
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        task.refresh_from_db()
        self.assertIsNone(task.next_due_at)
        self.assertIsNone(task.sla_paused_at)

    def test_a_request_without_targets_does_not_pause(self) -> None:
        from frontdesk.service_levels.models import ServiceTarget

        ServiceTarget.objects.all().delete()
        task = self.new_request()
        change_status(task=task, status=Status.WAITING, by=self.agent_a)
        task.refresh_from_db()
        self.assertIsNone(task.sla_paused_at)

    def test_the_due_moments_are_read_in_one_statement(self) -> None:
        with self.assertNumQueries(1):
            due_moments(organization_id=self.org_a.pk, topic_id=self.topic.pk,
                        priority=Priority.NORMAL, start=self.topic.created_at)
