"""`customer.created` for every customer record made (SPEC X1): by the public form and incoming
e-mail (a requester's new record: sent by the worker, the form's submission pays nothing for
it), a sign-up or a request through the API, and the Excel import (in bulk)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.api.models import Event, WebhookDelivery
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, Receiver, receiving
from frontdesk.core.testing import run_worker
from frontdesk.customers.models import Customer, Transfer
from frontdesk.customers.tests.test_transfers import workbook
from frontdesk.customers.transfers import confirm_import, import_customers, start_import
from frontdesk.mail.inbound import receive_message
from frontdesk.mail.models import InboundSettings
from frontdesk.mail.tests.inbound_helpers import SUPPORT, eml
from frontdesk.portal.models import PortalSettings
from frontdesk.portal.services import sign_up
from frontdesk.portal.tests.helpers import form_data
from frontdesk.support.models import Task, Topic

FORM = "/p/acme-support/support/"


class RequesterCustomerTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        PortalSettings.objects.filter(organization=cls.org_a).update(public_form_enabled=True,
                                                                     signup_enabled=True)

    def subscribe(self, receiver: Receiver, *events: Event) -> None:
        save_webhook_endpoint(organization=self.org_a, url=receiver.url,
                              events=events or (Event.CUSTOMER_CREATED,),
                              include_internal_posts=False)

    def assert_customer_sent(self, receiver: Receiver, customer: Customer) -> None:
        [item] = [item for item in receiver.received if item.json["event"] == "customer.created"]
        sent = item.json["data"]["customer"]
        self.assertEqual((sent["id"], sent["short_name"], sent["email"]),
                         (customer.pk, customer.short_name, customer.email))
        self.assertEqual(item.json["organization_id"], self.org_a.pk)

    def test_the_public_form_sends_a_new_requesters_customer_before_the_request(self) -> None:
        with receiving() as receiver:
            self.subscribe(receiver, Event.CUSTOMER_CREATED, Event.REQUEST_CREATED)
            with self.sending():
                self.assertEqual(self.client.post(FORM, form_data()).status_code, 302)
                # Known now: no customer record is made, none is sent.
                self.assertEqual(self.client.post(FORM, form_data(title="Again")).status_code,
                                 302)
        customer = Customer.objects.get(email="rita@newco.test")
        self.assertEqual(receiver.events(),
                         ["customer.created", "request.created", "request.created"])
        self.assert_customer_sent(receiver, customer)
        self.assertEqual(receiver.received[1].json["data"]["request"]["customer"]["id"],
                         customer.pk)

    def test_the_public_form_post_costs_nothing_more_for_it(self) -> None:
        def statements(email: str) -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.post(FORM, form_data(email=email))
            self.assertEqual(response.status_code, 302)
            return len(queries)

        with self.sending():
            without = statements("one@x.test")
        with receiving() as receiver:
            self.subscribe(receiver)
            self.assertEqual(statements("two@x.test"), without)
            with self.sending():
                pass
        self.assert_customer_sent(receiver, Customer.objects.get(email="two@x.test"))
        # The first was made (and its job done) when nobody had subscribed.
        self.assertEqual(len(receiver.received), 1)

    def test_incoming_e_mail_from_someone_new_sends_their_customer(self) -> None:
        InboundSettings.objects.create(organization=self.org_a, enabled=True,
                                       support_address=SUPPORT)
        with receiving() as receiver:
            self.subscribe(receiver)
            with self.sending():
                receive_message(organization=self.org_a, raw=eml())
                receive_message(organization=self.org_a, raw=eml(subject="Again"))
        self.assertEqual(Task.objects.count(), 2)
        self.assert_customer_sent(receiver, Customer.objects.get(email="rita@newco.test"))
        self.assertEqual(receiver.events(), ["customer.created"])

    def test_a_record_gone_before_the_worker_ran_is_not_sent(self) -> None:
        with receiving() as receiver:
            self.subscribe(receiver, Event.CUSTOMER_CREATED, Event.REQUEST_CREATED)
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(FORM, form_data())
            Customer.objects.filter(email="rita@newco.test").delete()
            with self.sending():
                pass
        self.assertEqual(receiver.events(), ["request.created"])

    def test_a_sign_up_and_a_request_through_the_api_send_theirs(self) -> None:
        client = self.api(self.token_of(self.agent_a))
        topic = Topic.objects.for_org(self.org_a).get()
        with receiving() as receiver:
            self.subscribe(receiver)
            with self.sending():
                sign_up(organization=self.org_a, email="Sam@Signup.test", first_name="Sam",
                        last_name="")
                self.send_json(client, "post", "/api/v1/requests", {
                    "topic_id": topic.pk, "requester_email": "api@newco.test",
                    "title": "Hello"}, 201)
                # Someone of a known customer: no record made.
                self.send_json(client, "post", "/api/v1/requests", {
                    "topic_id": topic.pk, "requester_email": self.portal_a1.email,
                    "title": "Hello"}, 201)
        self.assertEqual(sorted(item.json["data"]["customer"]["email"]
                                for item in receiver.received),
                         ["api@newco.test", "sam@signup.test"])

    def test_another_organizations_new_requesters_are_not_sent_to_us(self) -> None:
        PortalSettings.objects.filter(organization=self.org_b).update(public_form_enabled=True)
        with receiving() as receiver:
            self.subscribe(receiver)
            with self.sending():
                self.client.post("/p/other-org/support/", form_data())
        self.assertTrue(Customer.objects.filter(organization=self.org_b,
                                                email="rita@newco.test").exists())
        self.assertEqual(receiver.received, [])


class ImportedCustomerTests(ApiTestCase):
    def imported(self, count: int) -> tuple[int, Transfer]:
        """Import `count` customers; the statements of the worker's import job."""
        rows = [["Short name", "E-mail"],
                *([f"Firm {count}-{n}", f"it{n}@firm{count}.test"] for n in range(count))]
        with self.captureOnCommitCallbacks(execute=True):
            transfer = start_import(organization=self.org_a, upload=workbook(*rows),
                                    by=self.agent_a)
        run_worker()
        transfer.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            confirm_import(transfer=transfer)
        with CaptureQueriesContext(connection) as queries, \
                self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(import_customers.call(transfer.pk), "imported")
        return len(queries), transfer

    def test_every_imported_customer_is_sent_with_statements_in_bulk(self) -> None:
        few, _transfer = self.imported(3)
        with receiving() as receiver:
            save_webhook_endpoint(organization=self.org_a, url=receiver.url,
                                  events=[Event.CUSTOMER_CREATED],
                                  include_internal_posts=False)
            many, _transfer = self.imported(120)
            # As for a few without an endpoint (where the endpoints are read too), and the
            # deliveries and their jobs (50 deliveries a job) written in bulk: a statement
            # each on PostgreSQL; SQLite's limit of parameters splits the customers' and the
            # deliveries' inserts in two.
            self.assertLessEqual(many, few + (2 if connection.vendor == "postgresql" else 4))
            self.assertEqual(WebhookDelivery.objects.count(), 120)
            with self.sending():
                pass
        sent = sorted(item.json["data"]["customer"]["email"] for item in receiver.received)
        self.assertEqual(sent, sorted(f"it{n}@firm120.test" for n in range(120)))
        imported = dict(Customer.objects.filter(email__endswith="@firm120.test")
                        .values_list("email", "pk"))
        for item in receiver.received:
            customer = item.json["data"]["customer"]
            self.assertEqual(customer["id"], imported[customer["email"]])
            self.assertEqual(customer["short_name"], f"Firm 120-{customer['email'][2:-13]}")
        self.assertEqual(WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.DELIVERED).count(), 120)
