"""Webhooks with real HTTP: a server on loopback receives them, the worker sends them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.api.models import Event, WebhookDelivery, WebhookEndpoint
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, Received, receiving
from frontdesk.customers.services import create_customer, update_customer
from frontdesk.mail.tests.helpers import closed_port, make_retries_due
from frontdesk.portal.models import PortalSettings
from frontdesk.portal.tests.helpers import form_data
from frontdesk.support.models import Priority, Severity, Status, Task, Topic
from frontdesk.support.posts import (
    add_customer_reply,
    add_staff_post,
    make_post_visible_to_customer,
)
from frontdesk.support.services import (
    change_customer,
    change_status,
    create_request,
    delegate,
    describe,
)


class WebhookTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        PortalSettings.objects.filter(organization=cls.org_a).update(public_form_enabled=True)

    def endpoint(self, url: str, *events: Event, internal: bool = False) -> WebhookEndpoint:
        return save_webhook_endpoint(organization=self.org_a, url=url,
                                     events=events or Event.values,
                                     include_internal_posts=internal)

    def assert_signed(self, item: Received, endpoint: WebhookEndpoint) -> None:
        timestamp = item.headers["X-Frontdesk-Timestamp"]
        self.assertLess(abs(int(timestamp) - time.time()), 60)
        expected = hmac.new(endpoint.secret.encode(), timestamp.encode() + b"." + item.body,
                            hashlib.sha256).hexdigest()
        self.assertTrue(hmac.compare_digest(item.headers["X-Frontdesk-Signature"],
                                            f"sha256={expected}"))

    def test_a_request_from_the_public_form_is_sent_signed(self) -> None:
        with receiving() as receiver:
            endpoint = self.endpoint(receiver.url, Event.REQUEST_CREATED)
            with self.sending():
                response = self.client.post("/p/acme-support/support/", form_data())
            self.assertEqual(response.status_code, 302)
        task = Task.objects.get()
        [item] = receiver.received
        self.assertEqual(item.path, "/hook")
        self.assert_signed(item, endpoint)
        self.assertEqual(item.headers["X-Frontdesk-Event"], "request.created")
        payload = item.json
        self.assertEqual((payload["event"], payload["organization_id"], payload["internal"]),
                         ("request.created", self.org_a.pk, False))
        self.assertEqual(payload["data"]["request"]["id"], task.pk)
        self.assertEqual(payload["data"]["request"]["title"], "Printer on fire")
        self.assertEqual(payload["data"]["request"]["requester"]["email"], "rita@newco.test")
        delivery = WebhookDelivery.objects.get()
        self.assertEqual((delivery.state, delivery.response_code, delivery.attempts),
                         (WebhookDelivery.State.DELIVERED, 200, 1))

    def test_the_public_form_post_costs_the_same_with_webhooks(self) -> None:
        def statements(email: str) -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.post("/p/acme-support/support/", form_data(email=email))
            self.assertEqual(response.status_code, 302)
            return len(queries)

        without = statements("one@x.test")
        with receiving() as receiver:
            self.endpoint(receiver.url)
            self.assertEqual(statements("two@x.test"), without)

    def test_a_500_is_retried_with_back_off_then_delivered(self) -> None:
        with receiving(answers=[500]) as receiver:
            self.endpoint(receiver.url, Event.CUSTOMER_CREATED)
            with self.sending():
                customer = create_customer(organization=self.org_a, short_name="Hooli",
                                           by=self.agent_a)
            delivery = WebhookDelivery.objects.get()
            self.assertEqual((delivery.state, delivery.response_code, delivery.attempts),
                             (WebhookDelivery.State.RETRYING, 500, 1))
            self.assertEqual(delivery.last_error, "HTTP 500")
            self.assertIsNotNone(delivery.next_attempt_at)
            with self.sending():
                pass  # the retry is not due yet
            self.assertEqual(len(receiver.received), 1)
            with self.sending():
                make_retries_due()
        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.response_code, delivery.attempts),
                         (WebhookDelivery.State.DELIVERED, 200, 2))
        first, second = receiver.received
        self.assertEqual(first.body, second.body)  # the same event, sent again as it was
        self.assertEqual(second.json["data"]["customer"]["id"], customer.pk)

    def test_an_unreachable_endpoint_fails_after_the_last_attempt(self) -> None:
        endpoint = self.endpoint(f"http://127.0.0.1:{closed_port()}/hook")
        with self.sending():
            create_customer(organization=self.org_a, short_name="Hooli", by=self.agent_a)
        for _ in range(2):  # FRONTDESK_WEBHOOK_MAX_ATTEMPTS = 3 in the tests
            with self.sending():
                make_retries_due()
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        self.assertEqual((delivery.state, delivery.attempts, delivery.response_code),
                         (WebhookDelivery.State.FAILED, 3, None))
        self.assertIn("ConnectionRefusedError", delivery.last_error)

    def test_internal_notes_reach_only_endpoints_that_asked_for_them(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="Printer",
                              description="")
        with receiving() as public, receiving() as internal:
            self.endpoint(public.url, Event.POST_CREATED)
            self.endpoint(internal.url, Event.POST_CREATED, internal=True)
            with self.sending():
                note = add_staff_post(task=task, author=self.agent_a, body="Secret note")
                reply = add_staff_post(task=task, author=self.agent_a, body="Dear customer",
                                       visible_to_customer=True)
                theirs = add_customer_reply(task=task, portal_user=self.portal_a1,
                                            body="Thanks")
        self.assertEqual([item.json["data"]["post"]["id"] for item in public.received],
                         [reply.pk, theirs.pk])
        for item in public.received:
            self.assertNotIn(b"Secret note", item.body)
            self.assertFalse(item.json["internal"])
            self.assertFalse(item.json["data"]["post"]["internal"])
        by_post = {item.json["data"]["post"]["id"]: item.json for item in internal.received}
        self.assertEqual(set(by_post), {note.pk, reply.pk, theirs.pk})
        self.assertTrue(by_post[note.pk]["internal"])
        self.assertTrue(by_post[note.pk]["data"]["post"]["internal"])
        self.assertEqual(by_post[note.pk]["data"]["post"]["body"], "Secret note")

    def test_request_and_customer_changes_are_sent_to_their_subscribers(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="Printer",
                              description="")
        with receiving() as receiver, receiving() as off:
            self.endpoint(receiver.url, Event.REQUEST_UPDATED, Event.CUSTOMER_UPDATED)
            save_webhook_endpoint(organization=self.org_a, url=off.url, events=Event.values,
                                  include_internal_posts=True, is_active=False)
            with self.sending():
                change_status(task=task, status=Status.WAITING, by=self.agent_a)
                delegate(task=task, assignees=[self.viewer_a], due_date=None,
                         priority=Priority(task.priority), by=self.agent_a)
                change_status(task=task, status=Status.WAITING, by=self.agent_a)  # no change
                updated = update_customer(customer=self.customer_a1, phone="555",
                                          by=self.agent_a)
                update_customer(customer=updated, phone="555", by=self.agent_a)  # no change
                create_customer(organization=self.org_a, short_name="Not subscribed")
        self.assertEqual(off.received, [])
        self.assertEqual(receiver.events(),
                         ["request.updated", "request.updated", "customer.updated"])
        status, assignees, customer = (item.json["data"] for item in receiver.received)
        self.assertEqual((status["changes"], status["request"]["status"]),
                         (["status"], "waiting"))
        self.assertEqual(assignees["changes"], ["assignees"])
        self.assertEqual([a["id"] for a in assignees["request"]["assignees"]],
                         [self.viewer_a.pk])
        self.assertEqual((customer["changes"], customer["customer"]["phone"]),
                         (["phone"], "555"))

    def test_due_dates_customers_descriptions_and_notes_shown_are_sent(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="Printer",
                              description="")
        note = add_staff_post(task=task, author=self.agent_a, body="Toner is empty")
        with receiving() as receiver:
            # Without internal notes: the note reaches it once shown, not before.
            self.endpoint(receiver.url, Event.REQUEST_UPDATED, Event.POST_SHOWN)
            with self.sending():
                delegate(task=task, assignees=list(task.assignees.all()),
                         due_date=dt.date(2027, 1, 15), priority=Priority(task.priority),
                         by=self.agent_a)
                describe(task=task, severity=Severity.MAJOR, category=None,
                         solution="Replace the toner.", by=self.agent_a)
                change_customer(task=task, customer=self.customer_a2, by=self.agent_a)
                make_post_visible_to_customer(post=note, by=self.agent_a)
                make_post_visible_to_customer(post=note, by=self.agent_a)  # no change
        self.assertEqual(receiver.events(), ["request.updated"] * 3 + ["post.shown"])
        due, described, moved, shown = (item.json for item in receiver.received)
        self.assertEqual((due["data"]["changes"], due["data"]["request"]["due_date"]),
                         (["due_date"], "2027-01-15"))
        self.assertEqual(described["data"]["changes"], ["severity", "solution"])
        self.assertEqual((moved["data"]["changes"], moved["data"]["request"]["customer"]["id"]),
                         (["customer"], self.customer_a2.pk))
        self.assertFalse(shown["internal"])
        self.assertEqual((shown["data"]["post"]["id"], shown["data"]["post"]["internal"]),
                         (note.pk, False))

    def test_another_organizations_events_never_reach_our_endpoint(self) -> None:
        with receiving() as receiver:
            self.endpoint(receiver.url)
            with self.sending():
                create_customer(organization=self.org_b, short_name="B secret")
        self.assertEqual(receiver.received, [])

    def test_an_organization_without_endpoints_pays_one_read(self) -> None:
        with self.assertNumQueries(1):
            from frontdesk.api.webhooks import emit

            emit(organization_id=self.org_a.pk, event=Event.CUSTOMER_CREATED,
                 data=lambda: self.fail("the payload is not made"))
        self.assertFalse(WebhookDelivery.objects.exists())
