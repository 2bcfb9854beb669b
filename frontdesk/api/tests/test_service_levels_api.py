"""Service levels (SPEC X8) in the API's request payloads and the request webhooks: the due
moments, the first response, and a `request.updated` when the priority or the topic moves
them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from frontdesk.api.models import Event
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, receiving
from frontdesk.organizations.models import Group
from frontdesk.service_levels.services import save_target
from frontdesk.support.models import Priority, Status, Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status, change_topic, create_request
from frontdesk.support.topics import save_topic

DUE_FIELDS = ("first_response_due_at", "first_responded_at", "resolution_due_at",
              "next_due_at")


class ServiceLevelApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.printers = save_topic(organization=self.org_a, name="Printers",
                                   group=Group.objects.for_org(self.org_a).get(),
                                   assignees=[self.agent_a])
        save_target(organization=self.org_a, topic=None, priority=Priority.NORMAL,
                    first_response_minutes=60, resolution_minutes=24 * 60)
        save_target(organization=self.org_a, topic=None, priority=Priority.URGENT,
                    first_response_minutes=15, resolution_minutes=4 * 60)
        save_target(organization=self.org_a, topic=self.printers, priority=Priority.NORMAL,
                    first_response_minutes=None, resolution_minutes=8 * 60)
        self.client_a = self.api(self.token_of(self.agent_a))

    def subscribe(self, url: str, *events: Event) -> None:
        save_webhook_endpoint(organization=self.org_a, url=url, events=events,
                              include_internal_posts=False)

    def assert_dues(self, item: dict[str, Any], task: Task, *, ms: bool) -> None:
        task.refresh_from_db()
        for name in DUE_FIELDS:
            expected = getattr(task, name)
            if ms and expected is not None:  # the API's answers are to the millisecond
                expected = expected.replace(microsecond=expected.microsecond // 1000 * 1000)
            found = None if item[name] is None else dt.datetime.fromisoformat(item[name])
            self.assertEqual(found, expected, name)

    def test_the_list_and_the_detail_show_the_due_moments(self) -> None:
        task = create_request(topic=self.topic, requester=self.portal_a1, title="VPN",
                              description="")
        answered = create_request(topic=self.topic, requester=self.portal_a1, title="Mail",
                                  description="")
        add_staff_post(task=answered, author=self.agent_a, body="On it",
                       visible_to_customer=True)
        without = create_request(topic=self.printers, requester=self.portal_a1,
                                 title="Toner", description="")
        items = {item["id"]: item for item in
                 self.get_json(self.client_a, "/api/v1/requests")["items"]}
        for one in (task, answered, without):
            self.assert_dues(items[one.pk], one, ms=True)
            detail = self.get_json(self.client_a, f"/api/v1/requests/{one.pk}")
            self.assert_dues(detail, one, ms=True)
        self.assertIsNone(items[task.pk]["first_responded_at"])
        self.assertEqual(items[task.pk]["next_due_at"], items[task.pk]["first_response_due_at"])
        self.assertIsNotNone(items[answered.pk]["first_responded_at"])
        self.assertEqual(items[answered.pk]["next_due_at"],
                         items[answered.pk]["resolution_due_at"])
        self.assertIsNone(items[without.pk]["first_response_due_at"])
        self.assertIsNotNone(items[without.pk]["resolution_due_at"])

    def test_request_created_carries_the_due_moments(self) -> None:
        with receiving() as receiver:
            self.subscribe(receiver.url, Event.REQUEST_CREATED)
            with self.sending():
                task = create_request(topic=self.topic, requester=self.portal_a1,
                                      title="VPN", description="")
        [item] = receiver.received
        request = item.json["data"]["request"]
        self.assertIsNotNone(request["first_response_due_at"])
        self.assert_dues(request, task, ms=False)

    def test_a_new_priority_or_topic_sends_the_moved_due_moments(self) -> None:
        task = create_request(topic=self.topic, requester=self.portal_a1, title="VPN",
                              description="")
        before = self.get_json(self.client_a, f"/api/v1/requests/{task.pk}")
        with receiving() as receiver:
            self.subscribe(receiver.url, Event.REQUEST_UPDATED)
            with self.sending():
                changed = self.send_json(self.client_a, "patch",
                                         f"/api/v1/requests/{task.pk}",
                                         {"priority": "urgent"}, 200)
                change_topic(task=task, topic=self.printers, by=self.agent_a)
                change_topic(task=task, topic=self.printers, by=self.agent_a)  # no change
        self.assertLess(changed["first_response_due_at"], before["first_response_due_at"])
        self.assertEqual(receiver.events(), ["request.updated"] * 2)
        urgent, moved = (item.json["data"] for item in receiver.received)
        self.assertEqual(urgent["changes"],
                         ["priority", "first_response_due_at", "resolution_due_at"])
        self.assertEqual(urgent["request"]["first_response_due_at"][:23],
                         changed["first_response_due_at"][:23])
        # Printers has no urgent target of its own: the one for any topic applies still.
        self.assertEqual(moved["changes"], ["topic"])
        self.assertEqual(moved["request"]["topic_id"], self.printers.pk)
        self.assert_dues(moved["request"], task, ms=False)

    def test_a_topic_with_other_targets_sends_which_moved(self) -> None:
        task = create_request(topic=self.topic, requester=self.portal_a1, title="VPN",
                              description="")
        with receiving() as receiver:
            self.subscribe(receiver.url, Event.REQUEST_UPDATED)
            with self.sending():
                change_topic(task=task, topic=self.printers, by=self.agent_a)
        [item] = receiver.received
        self.assertEqual(item.json["data"]["changes"],
                         ["topic", "first_response_due_at", "resolution_due_at"])
        self.assertIsNone(item.json["data"]["request"]["first_response_due_at"])
        self.assert_dues(item.json["data"]["request"], task, ms=False)

    def test_the_end_of_a_wait_for_the_customer_sends_the_moved_due_moments(self) -> None:
        task = create_request(topic=self.topic, requester=self.portal_a1, title="VPN",
                              description="")
        change_status(task=task, status=Status.WAITING, by=self.agent_a)
        # It waited a week (whatever the business hours, some of them).
        Task.objects.filter(pk=task.pk).update(
            sla_paused_at=timezone.now() - dt.timedelta(days=7))
        with receiving() as receiver:
            self.subscribe(receiver.url, Event.REQUEST_UPDATED)
            with self.sending():
                change_status(task=task, status=Status.OPEN, by=self.agent_a)
        [item] = receiver.received
        self.assertEqual(item.json["data"]["changes"],
                         ["status", "first_response_due_at", "resolution_due_at"])
        self.assert_dues(item.json["data"]["request"], task, ms=False)

    def test_the_schema_shows_them(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        components = schema["components"]["schemas"]
        for name in DUE_FIELDS:
            for shape in ("RequestOut", "RequestDetailOut"):
                field = components[shape]["properties"][name]
                self.assertIn("description", field)
        self.assertIn("followers", components["RequestDetailOut"]["properties"])
        self.assertEqual(set(components["FollowerOut"]["properties"]),
                         {"id", "kind", "portal_user", "email", "created_at"})
        self.assertIn("/api/v1/requests/{task_id}/followers", schema["paths"])
        self.assertIn("delete", schema["paths"]["/api/v1/requests/{task_id}/followers/"
                                                "{follower_id}"])
