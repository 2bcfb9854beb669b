"""Billing's e-mails, really sent over SMTP by the worker: to the customer's people who can
log in when a quote is sent or an invoice issued, and to its maker when the customer answers."""

from __future__ import annotations

from frontdesk.billing import services
from frontdesk.billing.tests.helpers import BillingTestCase
from frontdesk.core.testing import run_worker, text_of
from frontdesk.portal.models import PortalUser


class BillingEmailTests(BillingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.portal_a1.set_password("peter-Secret-1")
        self.portal_a1.save()

    def test_a_sent_quote_reaches_the_customers_people_with_a_password(self) -> None:
        no_password = PortalUser.objects.create(organization=self.org_a,
                                                customer=self.customer_a1,
                                                email="milton@initech.test", first_name="Milton")
        with self.captureOnCommitCallbacks(execute=True):
            quote = self.quote(sent=True, title="Care plan")
        run_worker()
        [message] = self.smtp.to("peter@initech.test")
        self.assertIn("Care plan", message["Subject"])
        body = text_of(message)
        self.assertIn("€320.00", body)
        self.assertIn(f"/p/acme-support/login/?next=%2Fp%2Facme-support%2Fquotes%2F{quote.pk}%2F",
                      body)
        self.assertEqual(self.smtp.to(no_password.email), [])
        self.assertEqual(self.smtp.to("hank@globex.test"), [])

    def test_an_invoice_e_mail_is_in_the_readers_language(self) -> None:
        self.portal_a1.language = "pl"
        self.portal_a1.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.invoice(issued=True, title="Listopad")
        run_worker()
        [message] = self.smtp.to("peter@initech.test")
        self.assertIn("Faktura 1", message["Subject"])
        self.assertIn("320,00", text_of(message))

    def test_nothing_goes_out_when_the_invoices_tab_is_off_at_delivery(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.invoice(issued=True)
        self.portal_tabs(show_invoices=False)
        run_worker()
        self.assertEqual(self.smtp.to("peter@initech.test"), [])

    def test_the_maker_reads_the_customers_dispute(self) -> None:
        invoice = self.invoice(issued=True)
        with self.captureOnCommitCallbacks(execute=True):
            services.dispute_invoice(invoice=invoice, portal_user=self.portal_a1,
                                     reason="We ordered two hours.")
        run_worker()
        [message] = self.smtp.to("admin@acme.test")
        self.assertIn("Initech disputes invoice 1", message["Subject"])
        self.assertIn("We ordered two hours.", text_of(message))
        self.assertIn(f"/app/acme-support/billing/invoices/{invoice.pk}/", text_of(message))

    def test_staff_recording_an_answer_tell_nobody(self) -> None:
        quote = self.quote(sent=True)
        self.smtp.clear()
        with self.captureOnCommitCallbacks(execute=True):
            services.decide_quote(quote=quote, accept=True)
        run_worker()
        self.assertEqual(self.smtp.to("admin@acme.test"), [])
