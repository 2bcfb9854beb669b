"""The staff pages of quotes, invoices and accounts: the whole path a user takes, the
permissions of each area, and the other organization kept out."""

from __future__ import annotations

from decimal import Decimal

from frontdesk.billing.models import EntryKind, Invoice, InvoiceStatus, LedgerEntry, Quote
from frontdesk.billing.tests.helpers import BillingTestCase, line_post
from frontdesk.core.testing import make_staff
from frontdesk.organizations.permissions import Level

BASE = "/app/acme-support/billing"


class QuotePagesTests(BillingTestCase):
    def test_staff_make_a_quote_from_the_customer_page_and_send_it(self) -> None:
        self.login_staff(self.admin_a)
        page = self.client.get(f"/app/acme-support/customers/{self.customer_a1.pk}/")
        new_url = f"{BASE}/quotes/new/?customer={self.customer_a1.pk}"
        self.assertContains(page, new_url.replace("&", "&amp;"))
        response = self.client.post(new_url, line_post(("Hosting", "1", "120"),
                                                       ("Hours", "2", "80.5"),
                                                       title="Care plan", tax_rate="10"))
        quote = Quote.objects.get()
        self.assertRedirects(response, f"{BASE}/quotes/{quote.pk}/")
        self.assertEqual((quote.title, quote.total, quote.lines.count(), quote.creator),
                         ("Care plan", Decimal("309.10"), 2, self.admin_a))
        detail = self.client.get(f"{BASE}/quotes/{quote.pk}/")
        self.assertContains(detail, "€309.10")
        self.assertContains(detail, "Hours")
        self.client.post(f"{BASE}/quotes/{quote.pk}/send/")
        quote.refresh_from_db()
        self.assertEqual(quote.stage, "sent")
        self.assertContains(self.client.get(f"{BASE}/quotes/"), "Care plan")

    def test_bad_input_shows_the_form_again_and_saves_nothing(self) -> None:
        self.login_staff(self.admin_a)
        url = f"{BASE}/quotes/new/?customer={self.customer_a1.pk}"
        no_lines = self.client.post(url, line_post())
        self.assertContains(no_lines, "Add at least one line.", status_code=400)
        bad_price = self.client.post(url, line_post(("Hosting", "1", "twelve")))
        self.assertContains(bad_price, "Enter a number.", status_code=400)
        self.assertContains(bad_price, 'value="Hosting"', status_code=400)
        self.assertFalse(Quote.objects.exists())

    def test_a_viewer_reads_quotes_but_cannot_make_one(self) -> None:
        quote = self.quote()
        self.login_staff(self.viewer_a)
        self.assertContains(self.client.get(f"{BASE}/quotes/{quote.pk}/"), "Website care")
        response = self.client.post(f"{BASE}/quotes/new/?customer={self.customer_a1.pk}",
                                    line_post(("Hosting", "1", "1")))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.post(f"{BASE}/quotes/{quote.pk}/send/").status_code, 403)
        self.assertEqual(Quote.objects.count(), 1)

    def test_staff_without_offers_access_do_not_see_quotes(self) -> None:
        quote = self.quote()
        blind = make_staff("blind@acme.test", "Bo Blind", self.org_a, offers=Level.NONE,
                           ledger=Level.NONE)
        self.login_staff(blind)
        self.assertEqual(self.client.get(f"{BASE}/quotes/{quote.pk}/").status_code, 403)
        page = self.client.get(f"/app/acme-support/customers/{self.customer_a1.pk}/")
        self.assertNotContains(page, 'id="quotes"')
        self.assertNotContains(page, 'id="invoices"')

    def test_another_organization_gets_404(self) -> None:
        quote, invoice = self.quote(), self.invoice(issued=True)
        self.login_staff(self.staff_b)
        for url in (f"/app/other-org/billing/quotes/{quote.pk}/",
                    f"/app/other-org/billing/invoices/{invoice.pk}/",
                    f"/app/other-org/billing/accounts/{self.customer_a1.pk}/",
                    f"/app/other-org/billing/quotes/new/?customer={self.customer_a1.pk}"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        response = self.client.post(f"/app/other-org/billing/invoices/{invoice.pk}/cancel/")
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.client.get("/app/other-org/billing/invoices/"),
                               "Website care")
        for url in (f"{BASE}/quotes/{quote.pk}/", f"{BASE}/invoices/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, InvoiceStatus.ISSUED)


class InvoicePagesTests(BillingTestCase):
    def test_staff_issue_an_invoice_record_a_payment_and_read_the_account(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(f"{BASE}/invoices/new/?customer={self.customer_a1.pk}",
                                    line_post(("Hosting", "1", "120"), title="November"))
        invoice = Invoice.objects.get()
        self.assertRedirects(response, f"{BASE}/invoices/{invoice.pk}/")
        self.assertContains(self.client.get(response["Location"]), "Draft invoice")
        self.client.post(f"{BASE}/invoices/{invoice.pk}/issue/")
        invoice.refresh_from_db()
        self.assertEqual((invoice.status, invoice.number), (InvoiceStatus.ISSUED, 1))
        bad = self.client.post(f"{BASE}/invoices/{invoice.pk}/payment/",
                               {"amount": "0", "booked_on": "2026-11-27"})
        self.assertEqual(bad.status_code, 400)
        self.client.post(f"{BASE}/invoices/{invoice.pk}/payment/",
                         {"amount": "120", "booked_on": str(invoice.issued_on)})
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, InvoiceStatus.PAID)
        account = self.client.get(f"{BASE}/accounts/{self.customer_a1.pk}/")
        self.assertContains(account, "Invoice 1")
        self.assertContains(account, "Payment received · <a")
        self.assertContains(account, "€0.00")

    def test_an_issued_invoice_cannot_be_edited(self) -> None:
        invoice = self.invoice(issued=True)
        self.login_staff(self.admin_a)
        response = self.client.post(f"{BASE}/invoices/{invoice.pk}/edit/",
                                    line_post(("Other", "1", "1")))
        self.assertRedirects(response, f"{BASE}/invoices/{invoice.pk}/")
        self.assertEqual(invoice.lines.count(), 2)

    def test_staff_add_a_payment_to_the_account(self) -> None:
        self.login_staff(self.admin_a)
        url = f"{BASE}/accounts/{self.customer_a1.pk}/"
        self.assertContains(self.client.get(url), f"{url}entry/")
        response = self.client.post(f"{url}entry/", {"kind": "payment", "amount": "50",
                                                     "currency": "EUR",
                                                     "booked_on": "2026-11-01",
                                                     "description": "Advance"})
        self.assertRedirects(response, url)
        entry = LedgerEntry.objects.get()
        self.assertEqual((entry.kind, entry.amount), (EntryKind.PAYMENT, Decimal("-50.00")))
        self.assertContains(self.client.get(url), "-€50.00")

    def test_a_viewer_reads_the_account_but_adds_nothing(self) -> None:
        self.login_staff(self.viewer_a)
        url = f"{BASE}/accounts/{self.customer_a1.pk}/"
        self.assertNotContains(self.client.get(url), f"{url}entry/")
        response = self.client.post(f"{url}entry/", {"kind": "charge", "amount": "5",
                                                     "currency": "EUR",
                                                     "booked_on": "2026-11-01"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(LedgerEntry.objects.exists())

    def test_lists_cost_the_same_queries_however_many_rows(self) -> None:
        self.login_staff(self.admin_a)
        self.invoice()
        self.quote()
        with self.assertNumQueries(2):
            self.client.get(f"{BASE}/invoices/")
        with self.assertNumQueries(2):
            self.client.get(f"{BASE}/quotes/")
        for _ in range(30):
            self.invoice(self.customer_a2)
            self.quote(self.customer_a2)
        with self.assertNumQueries(2):
            page = self.client.get(f"{BASE}/invoices/")
        self.assertContains(page, "Older")
        with self.assertNumQueries(2):
            self.client.get(f"{BASE}/quotes/")

    def test_the_account_costs_the_same_queries_however_long_its_history(self) -> None:
        self.login_staff(self.admin_a)
        url = f"{BASE}/accounts/{self.customer_a1.pk}/"
        self.invoice(issued=True)
        # Session with the membership and the customer; entries (with their invoices'
        # numbers and the customer's balances).
        with self.assertNumQueries(2):
            self.client.get(url)
        for _ in range(40):
            self.invoice(issued=True)
        with self.assertNumQueries(2):
            page = self.client.get(url)
        self.assertContains(page, "€13,120.00")
        self.assertContains(page, "?older=")

    def test_only_admins_change_the_billing_settings(self) -> None:
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get(f"{BASE}/settings/").status_code, 403)
        self.login_staff(self.admin_a)
        self.client.post(f"{BASE}/settings/", {"currency": "TRY", "quote_valid_days": "10",
                                               "payment_days": "30"})
        response = self.client.get(f"{BASE}/invoices/new/?customer={self.customer_a1.pk}")
        self.assertContains(response, '<option value="TRY" selected>')
