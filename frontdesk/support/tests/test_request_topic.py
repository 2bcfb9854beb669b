"""Moving a request to another topic (SPEC X8: its service levels follow the topic)."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.service_levels.tests.helpers import (
    minutes_after_creation,
    round_the_clock,
    target,
)
from frontdesk.support.models import Task, TaskEvent, Topic
from frontdesk.support.services import create_request
from frontdesk.support.topics import save_topic


class RequestTopicTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.general = Topic.objects.for_org(self.org_a).get()
        self.billing = save_topic(organization=self.org_a, name="Billing",
                                  group=self.general.group, assignees=[])
        round_the_clock(self.org_a)
        target(self.org_a, first=60, resolution=480)
        target(self.org_a, first=10, resolution=30, topic=self.billing)
        self.task = create_request(topic=self.general, requester=self.portal_a1,
                                   title="Invoice wrong", description="…")
        self.page = f"/app/acme-support/requests/{self.task.pk}/topic/"

    def test_staff_move_a_request_and_its_due_moments_follow(self) -> None:
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(self.page), "Topic of the request")
        response = self.client.post(self.page, {"topic": self.billing.pk})
        self.assertRedirects(response, f"/app/acme-support/requests/{self.task.pk}/")
        task = Task.objects.get(pk=self.task.pk)
        self.assertEqual(task.topic_id, self.billing.pk)
        self.assertEqual(task.group_id, self.general.group_id)  # the group stays
        self.assertAlmostEqual(minutes_after_creation(task, task.resolution_due_at), 30,
                               delta=0.1)
        event = TaskEvent.objects.get(task=task, kind=TaskEvent.Kind.TOPIC)
        self.assertEqual(event.data, {"from": self.general.pk, "to": self.billing.pk})
        self.assertContains(self.client.get(f"/app/acme-support/requests/{task.pk}/"),
                            "Alan Agent changed the topic")

    def test_the_same_topic_again_changes_nothing(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(self.page, {"topic": self.general.pk})
        self.assertFalse(TaskEvent.objects.filter(kind=TaskEvent.Kind.TOPIC).exists())

    def test_another_organizations_topic_is_refused(self) -> None:
        self.login_staff(self.agent_a)
        other = Topic.objects.for_org(self.org_b).get()
        response = self.client.post(self.page, {"topic": other.pk})
        self.assertContains(response, "Select a valid choice.", status_code=400)
        self.assertEqual(Task.objects.get(pk=self.task.pk).topic_id, self.general.pk)

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.page).status_code, 404)
        self.assertEqual(self.client.post(self.page, {"topic": self.billing.pk}).status_code,
                         404)
        self.assertEqual(Task.objects.get(pk=self.task.pk).topic_id, self.general.pk)

    def test_view_only_staff_cannot_move_it(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(self.page, {"topic": self.billing.pk}).status_code,
                         403)
        self.assertEqual(Task.objects.get(pk=self.task.pk).topic_id, self.general.pk)
