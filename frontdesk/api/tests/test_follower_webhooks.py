"""`follower.added` and `follower.removed` (SPEC X1, X5) for changes made anywhere: the staff
page, the portal, the API, a request moved to another customer; real HTTP to a receiver."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.api.models import Event, WebhookDelivery
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, receiving
from frontdesk.support.followers import add_follower, remove_follower
from frontdesk.support.models import Follower, Topic
from frontdesk.support.services import change_customer, create_request

FOLLOWER_EVENTS = (Event.FOLLOWER_ADDED, Event.FOLLOWER_REMOVED)


class FollowerWebhookTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = self.peters_request(description="")
        self.colleague = self.colleague_of_peter()

    def subscribe(self, url: str, *events: Event) -> None:
        save_webhook_endpoint(organization=self.org_a, url=url,
                              events=events or FOLLOWER_EVENTS, include_internal_posts=False)

    def test_staff_page_changes_are_sent(self) -> None:
        self.login_staff(self.agent_a)
        add = f"/app/acme-support/requests/{self.task.pk}/followers/"
        with receiving() as receiver:
            self.subscribe(receiver.url)
            with self.sending():
                self.client.post(add, {"colleague": self.colleague.pk})
            follower = Follower.objects.get()
            with self.sending():
                self.client.post(f"{add}{follower.pk}/remove/")
        self.assertEqual(receiver.events(), ["follower.added", "follower.removed"])
        added, removed = (item.json["data"] for item in receiver.received)
        self.assertEqual(added, removed)  # the follower as it was
        self.assertEqual(added["request_id"], self.task.pk)
        self.assertEqual(added["follower"]["id"], follower.pk)
        self.assertEqual(added["follower"]["kind"], "colleague")
        self.assertEqual(added["follower"]["portal_user"],
                         {"id": self.colleague.pk, "name": "Joan",
                          "email": "joan@initech.test"})
        self.assertEqual(receiver.received[0].headers["X-Frontdesk-Event"], "follower.added")
        self.assertEqual(WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.DELIVERED).count(), 2)

    def test_portal_changes_are_sent(self) -> None:
        self.login_portal(self.portal_a1)
        add = f"/p/acme-support/requests/{self.task.pk}/followers/"
        with receiving() as receiver:
            self.subscribe(receiver.url)
            with self.sending():
                response = self.client.post(add, {"email": "Boss@Example.test"})
            self.assertEqual(response.status_code, 302)
            follower = Follower.objects.get()
            with self.sending():
                self.client.post(f"{add}{follower.pk}/remove/")
        self.assertEqual(receiver.events(), ["follower.added", "follower.removed"])
        payload = receiver.received[0].json["data"]["follower"]
        self.assertEqual((payload["kind"], payload["email"], payload["portal_user"]),
                         ("email", "boss@example.test", None))
        self.assertFalse(Follower.objects.exists())

    def test_api_changes_are_sent_and_refusals_are_not(self) -> None:
        client = self.api(self.token_of(self.agent_a))
        path = f"/api/v1/requests/{self.task.pk}/followers"
        with receiving() as receiver:
            self.subscribe(receiver.url)
            with self.sending():
                made = self.send_json(client, "post", path, {"email": "cc@example.test"}, 201)
                self.send_json(client, "post", path, {"email": "cc@example.test"}, 400)
                self.send_json(client, "post", path, {"portal_user_id": self.portal_a2.pk},
                               400)
                self.assertEqual(client.delete(f"{path}/{made['id']}").status_code, 204)
        self.assertEqual(receiver.events(), ["follower.added", "follower.removed"])
        sent = receiver.received[1].json["data"]["follower"]
        # (The API's answer writes times to the millisecond, the webhooks' to the microsecond.)
        self.assertEqual({**sent, "created_at": None}, {**made, "created_at": None})
        self.assertTrue(sent["created_at"].startswith(made["created_at"][:23]))

    def test_moving_a_request_to_another_customer_sends_a_removal_for_each(self) -> None:
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        add_follower(task=self.task, email="cc@example.test", by=self.agent_a)
        with receiving() as receiver:
            self.subscribe(receiver.url, Event.FOLLOWER_REMOVED)
            with self.sending():
                change_customer(task=self.task, customer=self.customer_a2, by=self.agent_a)
        self.assertEqual(receiver.events(), ["follower.removed"] * 2)
        self.assertEqual(sorted(item.json["data"]["follower"]["email"]
                                for item in receiver.received),
                         ["cc@example.test", "joan@initech.test"])

    def test_removing_many_followers_costs_no_statement_per_follower(self) -> None:
        def statements(count: int) -> int:
            task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                  requester=self.portal_a1, title="T", description="")
            for n in range(count):
                add_follower(task=task, email=f"cc{n}@example.test", by=self.agent_a)
            with CaptureQueriesContext(connection) as queries:
                change_customer(task=task, customer=self.customer_a2, by=self.agent_a)
            return len(queries)

        with receiving() as receiver:
            self.subscribe(receiver.url)
            self.assertEqual(statements(2), statements(8))
        self.assertEqual(WebhookDelivery.objects.filter(
            event=Event.FOLLOWER_REMOVED).count(), 10)

    def test_other_organizations_and_unsubscribed_endpoints_get_nothing(self) -> None:
        with receiving() as receiver, receiving() as other:
            self.subscribe(receiver.url, Event.REQUEST_UPDATED)
            save_webhook_endpoint(organization=self.org_b, url=other.url,
                                  events=FOLLOWER_EVENTS, include_internal_posts=True)
            with self.sending():
                follower = add_follower(task=self.task, email="cc@example.test",
                                        by=self.agent_a)
                remove_follower(follower=follower, by=self.agent_a)
        self.assertEqual((receiver.received, other.received), ([], []))
