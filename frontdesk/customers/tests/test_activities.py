"""Notes on a customer (SPEC C7), its activities (C8) and deleting it (C10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.billing import services as billing
from frontdesk.billing.tests.helpers import document
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Activity, Contact, Customer, Note
from frontdesk.customers.services import create_customer, update_customer
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request

BASE = "/app/acme-support/customers"


class ActivityTests(FrontdeskTestCase):
    def test_the_actions_record_what_happened_in_the_readers_language(self) -> None:
        customer = create_customer(organization=self.org_a, short_name="Hooli", by=self.agent_a)
        update_customer(customer=customer, phone="+1 555 0100", by=self.agent_a)
        add_contact(customer=customer, first_name="Gavin", last_name="Belson", by=self.agent_a)
        quote = billing.create_quote(organization=self.org_a, customer=customer,
                                     data=document(), valid_until=None, by=self.admin_a)
        billing.send_quote(quote=quote, by=self.admin_a)
        invoice = billing.create_invoice(organization=self.org_a, customer=customer,
                                         contact=None, data=document(), by=self.admin_a)
        billing.issue_invoice(invoice=invoice, by=self.admin_a)
        billing.record_payment(invoice=invoice, amount=Decimal("20"),
                               booked_on=dt.date(2026, 11, 27), by=self.admin_a)
        self.login_staff(self.agent_a)
        page = self.client.get(f"{BASE}/{customer.pk}/")
        for line in ("Customer created", "Details changed: Phone", "Contact added: Gavin Belson",
                     "Quote 1 made: Website care", "Quote 1 sent", "Invoice 1 issued",
                     "Payment of 20 EUR for invoice 1"):
            self.assertContains(page, line)
        self.agent_a.language = "nl"
        self.agent_a.save()
        self.assertContains(self.client.get(f"{BASE}/{customer.pk}/"), "Klant aangemaakt")

    def test_a_note_shows_among_the_activities_and_nowhere_for_the_customer(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/{self.customer_a1.pk}/notes/",
                         {"body": "Prefers calls after 2 pm.\nAsk for Samir."})
        note = Note.objects.get()
        self.assertEqual((note.customer, note.author), (self.customer_a1, self.agent_a))
        page = self.client.get(f"{BASE}/{self.customer_a1.pk}/")
        self.assertContains(page, "Note: Prefers calls after 2 pm.")
        self.assertNotContains(self.client.get(f"{BASE}/{self.customer_a2.pk}/"), "Samir")
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"), "Samir")

    def test_the_organizations_activity_page_shows_its_own_only(self) -> None:
        create_customer(organization=self.org_a, short_name="Hooli", by=self.agent_a)
        create_customer(organization=self.org_b, short_name="Their customer")
        self.login_staff(self.viewer_a)
        page = self.client.get(f"{BASE}/activity/")
        self.assertContains(page, "Hooli")
        self.assertNotContains(page, "Their customer")
        with self.assertNumQueries(2):
            self.client.get(f"{BASE}/activity/")

    def test_viewers_cannot_write_notes(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(f"{BASE}/{self.customer_a1.pk}/notes/",
                                          {"body": "x"}).status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(f"/app/other-org/customers/{self.customer_a1.pk}/"
                                          "notes/", {"body": "x"}).status_code, 404)
        self.assertFalse(Note.objects.exists())


class DeleteTests(FrontdeskTestCase):
    def test_deleting_a_customer_keeps_its_requests(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="Printer",
                              description="Offline")
        add_contact(customer=self.customer_a1, first_name="Samir")
        self.login_staff(self.admin_a)
        response = self.client.post(f"{BASE}/{self.customer_a1.pk}/delete/", follow=True)
        self.assertContains(response, "The customer “Initech” is deleted.")
        self.assertFalse(Customer.objects.filter(pk=self.customer_a1.pk).exists())
        self.assertFalse(Contact.objects.filter(first_name="Samir").exists())
        self.assertFalse(PortalUser.objects.filter(pk=self.portal_a1.pk).exists())
        self.assertFalse(Activity.objects.filter(customer_id=self.customer_a1.pk).exists())
        task.refresh_from_db()
        self.assertIsNone(task.customer_id)
        self.assertTrue(Task.objects.filter(pk=task.pk).exists())

    def test_a_customer_with_invoices_stays(self) -> None:
        invoice = billing.create_invoice(organization=self.org_a, customer=self.customer_a1,
                                         contact=None, data=document(), by=self.admin_a)
        billing.issue_invoice(invoice=invoice, by=self.admin_a)
        self.login_staff(self.admin_a)
        response = self.client.post(f"{BASE}/{self.customer_a1.pk}/delete/", follow=True)
        self.assertContains(response, "cannot be deleted")
        self.assertTrue(Customer.objects.filter(pk=self.customer_a1.pk).exists())

    def test_only_edit_level_deletes_and_only_here(self) -> None:
        self.login_staff(self.agent_a)  # Contribute
        self.assertEqual(self.client.post(f"{BASE}/{self.customer_a1.pk}/delete/").status_code,
                         403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(f"/app/other-org/customers/{self.customer_a1.pk}/"
                                          "delete/").status_code, 404)
        self.assertTrue(Customer.objects.filter(pk=self.customer_a1.pk).exists())
