"""The end of a customer's support contract on the customer form and page (SPEC P18)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.urls import reverse
from django.utils import translation

from frontdesk.accounts.models import User
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Activity, Customer
from frontdesk.customers.services import create_customer


class SupportUntilFormTests(FrontdeskTestCase):
    def edit_url(self, customer: Customer | None = None) -> str:
        return reverse("customers:edit", args=[self.org_a.slug,
                                               (customer or self.customer_a1).pk])

    def test_the_form_saves_and_clears_the_date(self) -> None:
        self.login_staff(self.agent_a)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.edit_url(), {
                "short_name": "Initech", "email": "office@initech.test",
                "support_until": "2031-03-31"})
        self.assertRedirects(response, reverse("customers:detail",
                                               args=[self.org_a.slug, self.customer_a1.pk]))
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.support_until, dt.date(2031, 3, 31))
        line = Activity.objects.filter(customer=self.customer_a1).latest("id")
        self.assertEqual(line.data, {"fields": ["support_until"]})
        self.assertContains(self.client.get(self.edit_url()), 'value="2031-03-31"')
        self.client.post(self.edit_url(), {"short_name": "Initech",
                                           "email": "office@initech.test"})
        self.customer_a1.refresh_from_db()
        self.assertIsNone(self.customer_a1.support_until)

    def test_a_new_customer_gets_its_date(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(reverse("customers:new", args=[self.org_a.slug]),
                         {"short_name": "Hooli", "support_until": "2030-01-02"})
        self.assertEqual(Customer.objects.get(short_name="Hooli").support_until,
                         dt.date(2030, 1, 2))

    def test_a_bad_date_is_refused_in_the_staff_members_language(self) -> None:
        User.objects.filter(pk=self.agent_a.pk).update(language="nl")
        self.login_staff(self.agent_a)
        response = self.client.post(self.edit_url(), {"short_name": "Renamed",
                                                       "support_until": "2031-02-30"})
        with translation.override("nl"):
            # Django's own message (its catalogue, not ours), in Dutch.
            message = str(forms.DateField.default_error_messages["invalid"])
        with translation.override("en"):
            self.assertNotEqual(message, str(forms.DateField.default_error_messages["invalid"]))
        self.assertContains(response, message)
        self.customer_a1.refresh_from_db()
        self.assertEqual((self.customer_a1.short_name, self.customer_a1.support_until),
                         ("Initech", None))

    def test_staff_of_another_organization_cannot_set_it(self) -> None:
        self.login_staff(self.staff_b)
        response = self.client.post(self.edit_url(), {"short_name": "Initech",
                                                       "support_until": "2031-03-31"})
        self.assertEqual(response.status_code, 404)
        self.customer_a1.refresh_from_db()
        self.assertIsNone(self.customer_a1.support_until)


class SupportUntilPageTests(FrontdeskTestCase):
    def url(self, customer: Customer) -> str:
        return reverse("customers:detail", args=[self.org_a.slug, customer.pk])

    def test_the_page_shows_the_date_and_whether_the_reminder_went(self) -> None:
        Customer.objects.filter(pk=self.customer_a1.pk).update(
            support_until=dt.date(2031, 3, 31))
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url(self.customer_a1))
        self.assertContains(response, "Support until")
        self.assertNotContains(response, "reminder sent")
        Customer.objects.filter(pk=self.customer_a1.pk).update(
            support_reminded_for=dt.date(2031, 3, 31))
        self.assertContains(self.client.get(self.url(self.customer_a1)), "reminder sent")

    def test_the_date_costs_the_page_no_query(self) -> None:
        plain = create_customer(organization=self.org_a, short_name="Plain")
        dated = create_customer(organization=self.org_a, short_name="Dated",
                                support_until=dt.date(2031, 3, 31))
        for customer in (plain, dated):
            for number in range(20):
                add_contact(customer=customer, first_name=f"Person {number}")
        self.login_staff(self.viewer_a)
        # As CustomerDetailTests counts it: the date is a column of the customer's own row.
        with self.assertNumQueries(11):
            self.client.get(self.url(plain))
        with self.assertNumQueries(11):
            self.client.get(self.url(dated))
