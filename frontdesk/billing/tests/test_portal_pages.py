"""The portal's quotes, invoices and balance: what a customer sees and does there, and what
they never see (another customer's documents, drafts, anything through a link session, a tab
that is off)."""

from __future__ import annotations

from frontdesk.billing.models import InvoiceStatus, QuoteStage
from frontdesk.billing.tests.helpers import BillingTestCase
from frontdesk.core.testing import run_worker
from frontdesk.portal.access_links import mint_access_link

PORTAL = "/p/acme-support"


class PortalQuotesTests(BillingTestCase):
    def test_the_customer_sees_sent_quotes_only_and_accepts_one(self) -> None:
        sent = self.quote(sent=True, title="Care plan")
        self.quote(title="Secret draft")
        self.quote(self.customer_a2, sent=True, title="Globex offer")
        self.login_portal(self.portal_a1)
        page = self.client.get(f"{PORTAL}/quotes/")
        self.assertContains(page, "Care plan")
        self.assertNotContains(page, "Secret draft")
        self.assertNotContains(page, "Globex offer")
        self.assertContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/quotes/")
        response = self.client.post(f"{PORTAL}/quotes/{sent.pk}/answer/", {"accept": "1"},
                                    follow=True)
        self.assertRedirects(response, f"{PORTAL}/quotes/{sent.pk}/")
        self.assertContains(response, "You accepted the quote.")
        self.assertNotContains(response, "Accept the quote")
        sent.refresh_from_db()
        self.assertEqual((sent.stage, sent.decided_by), (QuoteStage.ACCEPTED, self.portal_a1))

    def test_another_customers_quote_and_a_draft_are_404(self) -> None:
        theirs = self.quote(self.customer_a2, sent=True)
        draft = self.quote()
        self.login_portal(self.portal_a1)
        for quote in (theirs, draft):
            self.assertEqual(self.client.get(f"{PORTAL}/quotes/{quote.pk}/").status_code, 404)
            response = self.client.post(f"{PORTAL}/quotes/{quote.pk}/answer/", {"accept": "1"})
            self.assertEqual(response.status_code, 404)
            quote.refresh_from_db()
            self.assertNotEqual(quote.stage, QuoteStage.ACCEPTED)

    def test_another_organizations_portal_shows_nothing_of_this_one(self) -> None:
        quote = self.quote(sent=True)
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(f"/p/other-org/quotes/{quote.pk}/").status_code, 302)


class PortalInvoicesTests(BillingTestCase):
    def test_the_customer_approves_an_issued_invoice(self) -> None:
        invoice = self.invoice(issued=True, title="November")
        self.invoice(title="Not issued yet")
        self.login_portal(self.portal_a1)
        page = self.client.get(f"{PORTAL}/invoices/")
        self.assertContains(page, "November")
        self.assertNotContains(page, "Not issued yet")
        self.client.post(f"{PORTAL}/invoices/{invoice.pk}/approve/")
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, InvoiceStatus.APPROVED)

    def test_a_dispute_needs_a_reason_and_keeps_it(self) -> None:
        invoice = self.invoice(issued=True)
        self.login_portal(self.portal_a1)
        url = f"{PORTAL}/invoices/{invoice.pk}/dispute/"
        empty = self.client.post(url, {"reason": "  "})
        self.assertContains(empty, "This field is required.", status_code=400)
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, InvoiceStatus.ISSUED)
        self.client.post(url, {"reason": "Two hours, not two and a half."})
        invoice.refresh_from_db()
        self.assertEqual((invoice.status, invoice.dispute_reason),
                         (InvoiceStatus.DISPUTED, "Two hours, not two and a half."))
        self.login_staff(self.admin_a)
        staff_page = self.client.get(f"/app/acme-support/billing/invoices/{invoice.pk}/")
        self.assertContains(staff_page, "Two hours, not two and a half.")

    def test_another_customers_invoice_is_404(self) -> None:
        theirs = self.invoice(self.customer_a2, issued=True)
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(f"{PORTAL}/invoices/{theirs.pk}/").status_code, 404)
        response = self.client.post(f"{PORTAL}/invoices/{theirs.pk}/dispute/",
                                    {"reason": "Not ours"})
        self.assertEqual(response.status_code, 404)
        theirs.refresh_from_db()
        self.assertEqual(theirs.status, InvoiceStatus.ISSUED)

    def test_a_link_session_sees_no_billing(self) -> None:
        """A passwordless link opens its person's requests, nothing more (SPEC P4)."""
        invoice = self.invoice(issued=True)
        quote = self.quote(sent=True)
        self.portal_tabs(show_balance=True)
        token = mint_access_link(self.portal_a1)
        self.assertRedirects(self.client.get(f"{PORTAL}/link/{token}/"), f"{PORTAL}/requests/")
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/invoices/")
        for url in (f"{PORTAL}/invoices/", f"{PORTAL}/invoices/{invoice.pk}/",
                    f"{PORTAL}/quotes/{quote.pk}/", f"{PORTAL}/balance/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.client.post(f"{PORTAL}/invoices/{invoice.pk}/approve/")
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, InvoiceStatus.ISSUED)

    def test_a_tab_switched_off_is_gone(self) -> None:
        invoice = self.invoice(issued=True)
        self.portal_tabs(show_invoices=False)
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/invoices/")
        self.assertEqual(self.client.get(f"{PORTAL}/invoices/{invoice.pk}/").status_code, 404)


class PortalBalanceTests(BillingTestCase):
    def test_the_balance_shows_only_when_switched_on(self) -> None:
        self.invoice(issued=True)
        self.invoice(self.customer_a2, issued=True, tax="50")
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(f"{PORTAL}/balance/").status_code, 404)
        self.portal_tabs(show_balance=True)
        page = self.client.get(f"{PORTAL}/balance/")
        self.assertContains(page, "€320.00")
        self.assertNotContains(page, "€480.00")  # Globex's invoice, with its tax

    def test_portal_lists_cost_the_same_queries_however_many_rows(self) -> None:
        self.portal_tabs(show_balance=True)
        self.invoice(issued=True)
        self.quote(sent=True)
        self.login_portal(self.portal_a1)
        for _ in range(2):  # a few rows, then many
            for url in ("invoices/", "quotes/", "balance/"):
                with self.assertNumQueries(2):
                    self.client.get(f"{PORTAL}/{url}")
            for _ in range(30):
                self.invoice(issued=True)
                self.quote(sent=True)
        self.assertContains(self.client.get(f"{PORTAL}/invoices/"), "Older")

    def test_the_balance_is_written_in_the_viewers_language(self) -> None:
        self.invoice(issued=True)
        self.portal_tabs(show_balance=True)
        self.portal_a1.language = "nl"
        self.portal_a1.save()
        self.login_portal(self.portal_a1)
        page = self.client.get(f"{PORTAL}/balance/")
        self.assertContains(page, "€\xa0320,00")
        self.assertContains(page, "Factuur 1")


class PortalTabsPerPersonTests(BillingTestCase):
    """SPEC P15: which billing tabs each portal user may use, granted and revoked one by one
    on the customer's page."""

    def test_staff_keep_invoices_for_the_billing_contact_only(self) -> None:
        invoice = self.invoice(issued=True)
        self.login_staff(self.admin_a)
        url = (f"/app/acme-support/customers/{self.customer_a1.pk}/portal-users/"
               f"{self.portal_a1.pk}/tabs/")
        self.assertContains(self.client.get(f"/app/acme-support/customers/"
                                            f"{self.customer_a1.pk}/"), url)
        self.client.post(url, {"quotes": "on"})
        self.portal_a1.refresh_from_db()
        self.assertEqual((self.portal_a1.sees_quotes, self.portal_a1.sees_invoices,
                          self.portal_a1.sees_balance), (True, False, False))
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/invoices/")
        self.assertContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/quotes/")
        self.assertEqual(self.client.get(f"{PORTAL}/invoices/{invoice.pk}/").status_code, 404)
        self.client.post(f"{PORTAL}/invoices/{invoice.pk}/approve/")
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, "issued")

    def test_only_managers_of_customers_set_them_and_only_for_their_organization(self) -> None:
        url = (f"/app/acme-support/customers/{self.customer_a1.pk}/portal-users/"
               f"{self.portal_a1.pk}/tabs/")
        self.login_staff(self.agent_a)  # Contribute in customers
        self.assertEqual(self.client.post(url, {}).status_code, 403)
        other = (f"/app/acme-support/customers/{self.customer_a2.pk}/portal-users/"
                 f"{self.portal_a1.pk}/tabs/")
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.post(other, {}).status_code, 404)
        self.portal_a1.refresh_from_db()
        self.assertTrue(self.portal_a1.sees_invoices)

    def test_an_invoice_e_mail_goes_only_to_those_who_see_invoices(self) -> None:
        self.portal_a1.set_password("peter-Secret-1")
        self.portal_a1.sees_invoices = False
        self.portal_a1.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.invoice(issued=True)
        run_worker()
        self.assertEqual(self.smtp.to("peter@initech.test"), [])
