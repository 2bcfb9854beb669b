from django.core.exceptions import ValidationError
from django.urls import reverse

from frontdesk.billing import services
from frontdesk.billing.models import Quote
from frontdesk.billing.tests.helpers import BillingTestCase
from frontdesk.core.testing import make_staff
from frontdesk.customers.models import Activity, Customer
from frontdesk.organizations.permissions import Level


class ChangeQuoteCustomerTests(BillingTestCase):
    """billing.services.change_quote_customer and its page (SPEC C13)."""

    def url(self, quote: Quote) -> str:
        return reverse("billing:quote_customer", args=[self.org_a.slug, quote.pk])

    def test_a_draft_moves_with_an_activity_on_both_customers(self) -> None:
        quote = self.quote()
        services.change_quote_customer(quote=quote, customer=self.customer_a2, by=self.admin_a)
        quote.refresh_from_db()
        self.assertEqual(quote.customer, self.customer_a2)
        self.assertTrue(Activity.objects.filter(customer=self.customer_a1,
                                                kind="quote_unlinked").exists())
        self.assertTrue(Activity.objects.filter(customer=self.customer_a2,
                                                kind="quote_linked").exists())

    def test_a_sent_quote_stays_with_its_customer(self) -> None:
        quote = self.quote(sent=True)
        with self.assertRaises(ValidationError):
            services.change_quote_customer(quote=quote, customer=self.customer_a2, by=None)
        self.login_staff(self.admin_a)
        self.client.post(self.url(quote), {"customer": self.customer_a2.pk})
        quote.refresh_from_db()
        self.assertEqual(quote.customer, self.customer_a1)

    def test_a_customer_of_another_organization_is_refused(self) -> None:
        quote = self.quote()
        other = self.customer_b()
        with self.assertRaises(ValidationError):
            services.change_quote_customer(quote=quote, customer=other, by=None)
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.post(self.url(quote), {"customer": other.pk}).status_code,
                         404)
        quote.refresh_from_db()
        self.assertEqual(quote.customer, self.customer_a1)

    def test_the_page_searches_and_makes_a_new_customer_inline(self) -> None:
        quote = self.quote()
        self.login_staff(self.admin_a)
        edit = self.client.get(reverse("billing:quote_edit", args=[self.org_a.slug, quote.pk]))
        self.assertContains(edit, self.url(quote))
        response = self.client.get(self.url(quote), {"q": "Glob"})
        self.assertContains(response, f'name="customer" value="{self.customer_a2.pk}"')
        self.assertNotContains(response, "Remove the customer")
        self.client.post(self.url(quote), {"new_name": "Vandelay Industries"})
        quote.refresh_from_db()
        self.assertEqual(quote.customer.short_name, "Vandelay Industries")
        # Removing is no choice for a quote: nothing changes.
        self.client.post(self.url(quote), {"remove": "1"})
        quote.refresh_from_db()
        self.assertEqual(quote.customer.short_name, "Vandelay Industries")

    def test_outsiders_and_viewers_cannot_change_it(self) -> None:
        quote = self.quote()
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(self.url(quote), {"customer": self.customer_a2.pk})
                         .status_code, 404)
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(self.url(quote), {"customer": self.customer_a2.pk})
                         .status_code, 403)
        user = make_staff("offers@acme.test", "O", self.org_a, offers=Level.CONTRIBUTE,
                          customers=Level.NONE)
        self.login_staff(user)
        self.assertEqual(self.client.get(self.url(quote)).status_code, 403)
        quote.refresh_from_db()
        self.assertEqual(quote.customer, self.customer_a1)
        self.assertEqual(Customer.objects.filter(short_name="Vandelay").count(), 0)
