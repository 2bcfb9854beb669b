"""The billing actions: numbers, totals, the ledger they write, and who may act."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from frontdesk.billing import services
from frontdesk.billing.documents import DocumentData
from frontdesk.billing.models import EntryKind, InvoiceStatus, LedgerEntry, QuoteStage
from frontdesk.billing.queries import Account, account, account_cursor
from frontdesk.billing.tests.helpers import BillingTestCase, document
from frontdesk.customers.models import Customer


def account_of(customer: Customer) -> Account:
    return account(customer.organization_id, customer.pk)


class QuoteActionsTests(BillingTestCase):
    def test_quotes_are_numbered_per_organization(self) -> None:
        first, second = self.quote(), self.quote(self.customer_a2)
        other = self.quote(self.customer_b())
        self.assertEqual((first.number, second.number, other.number), (1, 2, 1))

    def test_the_totals_are_the_lines_plus_tax_rounded_to_the_cent(self) -> None:
        quote = services.create_quote(
            organization=self.org_a, customer=self.customer_a1, valid_until=None, by=None,
            data=document("Parts", ("Cable", "3", "0.335"), ("Plug", "1", "10"), tax="21"))
        self.assertEqual(quote.subtotal, Decimal("11.01"))  # 1.005 rounds half up to 1.01
        self.assertEqual(quote.tax, Decimal("2.31"))
        self.assertEqual(quote.total, Decimal("13.32"))
        self.assertEqual([line.amount for line in quote.lines.all()],
                         [Decimal("1.01"), Decimal("10.00")])

    def test_a_quote_without_lines_or_of_another_organization_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            services.create_quote(organization=self.org_a, customer=self.customer_a1,
                                  valid_until=None, by=None,
                                  data=DocumentData(title="x", currency="EUR",
                                                    tax_rate=Decimal(0), note="", lines=[]))
        with self.assertRaises(ValidationError):
            services.create_quote(organization=self.org_a, customer=self.customer_b(),
                                  valid_until=None, by=None, data=document())
        with self.assertRaises(ValidationError):
            services.create_quote(organization=self.org_a, customer=self.customer_a1,
                                  valid_until=None, by=None, data=document(currency="XYZ"))
        self.assertFalse(services.Quote.objects.exists())

    def test_a_sent_quote_is_answered_once_and_no_longer_changed(self) -> None:
        quote = self.quote(sent=True)
        with self.assertRaises(ValidationError):
            services.update_quote(quote=quote, data=document("Changed"), valid_until=None)
        services.decide_quote(quote=quote, accept=True, portal_user=self.portal_a1)
        quote.refresh_from_db()
        self.assertEqual((quote.stage, quote.decided_by), (QuoteStage.ACCEPTED, self.portal_a1))
        with self.assertRaises(ValidationError):
            services.decide_quote(quote=quote, accept=False, portal_user=self.portal_a1)

    def test_another_customer_cannot_answer_a_quote(self) -> None:
        quote = self.quote(sent=True)
        with self.assertRaises(ValidationError):
            services.decide_quote(quote=quote, accept=True, portal_user=self.portal_a2)
        quote.refresh_from_db()
        self.assertEqual(quote.stage, QuoteStage.SENT)

    def test_an_accepted_quote_becomes_a_draft_invoice_with_its_lines(self) -> None:
        quote = self.quote(sent=True)
        services.decide_quote(quote=quote, accept=True)
        invoice = services.invoice_from_quote(quote=quote, by=self.admin_a)
        self.assertEqual((invoice.status, invoice.number, invoice.total),
                         (InvoiceStatus.DRAFT, None, quote.total))
        self.assertEqual([line.description for line in invoice.lines.all()],
                         [line.description for line in quote.lines.all()])


class InvoiceActionsTests(BillingTestCase):
    def test_numbers_are_given_in_the_order_invoices_are_issued(self) -> None:
        first, second = self.invoice(), self.invoice()
        self.assertIsNone(first.number)
        services.issue_invoice(invoice=second, by=None)
        services.issue_invoice(invoice=first, by=None)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((second.number, first.number), (1, 2))

    def test_issuing_charges_the_ledger_once(self) -> None:
        invoice = self.invoice(issued=True)
        assert invoice.issued_on is not None
        self.assertEqual(invoice.due_on, invoice.issued_on + dt.timedelta(days=14))
        with self.assertRaises(ValidationError):
            services.issue_invoice(invoice=invoice, by=None)
        entries = LedgerEntry.objects.filter(customer=self.customer_a1)
        self.assertEqual([(e.kind, e.amount) for e in entries],
                         [(EntryKind.INVOICE, Decimal("320.00"))])

    def test_a_stale_copy_cannot_issue_it_again(self) -> None:
        invoice = self.invoice()
        stale = services.Invoice.objects.get(pk=invoice.pk)
        services.issue_invoice(invoice=invoice, by=None)
        with self.assertRaises(ValidationError):
            services.issue_invoice(invoice=stale, by=None)
        self.assertEqual(LedgerEntry.objects.count(), 1)
        self.assertEqual(services.Invoice.objects.filter(number__isnull=False).count(), 1)

    def test_payments_lower_the_balance_and_pay_the_invoice_in_full(self) -> None:
        invoice = self.invoice(issued=True)
        services.record_payment(invoice=invoice, amount=Decimal("300"),
                                booked_on=dt.date(2026, 11, 20), by=None)
        self.assertEqual((invoice.status, invoice.outstanding),
                         (InvoiceStatus.ISSUED, Decimal("20.00")))
        services.record_payment(invoice=invoice, amount=Decimal("20"),
                                booked_on=dt.date(2026, 11, 21), by=None)
        invoice.refresh_from_db()
        self.assertEqual(invoice.status, InvoiceStatus.PAID)
        state = account_of(self.customer_a1)
        self.assertEqual(state.balances, [("EUR", Decimal("0.00"))])
        with self.assertRaises(ValidationError):
            services.record_payment(invoice=invoice, amount=Decimal("1"),
                                    booked_on=dt.date(2026, 11, 22), by=None)

    def test_cancelling_an_issued_invoice_takes_it_off_the_account(self) -> None:
        invoice = self.invoice(issued=True)
        services.record_payment(invoice=invoice, amount=Decimal("100"),
                                booked_on=invoice.issued_on, by=None)  # type: ignore[arg-type]
        services.cancel_invoice(invoice=invoice, by=None)
        state = account_of(self.customer_a1)
        # The payment stays: the customer has 100 of credit.
        self.assertEqual(state.balances, [("EUR", Decimal("-100.00"))])
        self.assertEqual([e.balance for e in state.entries],
                         [Decimal("320.00"), Decimal("220.00"), Decimal("-100.00")])

    def test_a_paid_invoice_cannot_be_cancelled(self) -> None:
        invoice = self.invoice(issued=True)
        services.record_payment(invoice=invoice, amount=invoice.total,
                                booked_on=dt.date(2026, 11, 20), by=None)
        with self.assertRaises(ValidationError):
            services.cancel_invoice(invoice=invoice, by=None)

    def test_the_customer_approves_or_disputes_only_their_own_issued_invoice(self) -> None:
        draft = self.invoice()
        with self.assertRaises(ValidationError):
            services.approve_invoice(invoice=draft, portal_user=self.portal_a1)
        invoice = self.invoice(issued=True)
        with self.assertRaises(ValidationError):
            services.approve_invoice(invoice=invoice, portal_user=self.portal_a2)
        with self.assertRaises(ValidationError):
            services.dispute_invoice(invoice=invoice, portal_user=self.portal_a1, reason=" ")
        services.dispute_invoice(invoice=invoice, portal_user=self.portal_a1,
                                 reason="We ordered 2 hours, not 2.5.")
        invoice.refresh_from_db()
        self.assertEqual((invoice.status, invoice.dispute_reason),
                         (InvoiceStatus.DISPUTED, "We ordered 2 hours, not 2.5."))


class LedgerTests(BillingTestCase):
    def test_the_running_balance_follows_the_dates_not_the_order_of_entry(self) -> None:
        def add(kind: str, amount: str, day: int) -> None:
            services.add_ledger_entry(organization=self.org_a, customer=self.customer_a1,
                                      kind=kind, amount=Decimal(amount), currency="EUR",
                                      booked_on=dt.date(2026, 11, day), description="", by=None)

        add(EntryKind.CHARGE, "100", 10)
        add(EntryKind.PAYMENT, "40", 20)
        add(EntryKind.CHARGE, "5", 15)  # booked later, dated between the two
        add(EntryKind.CREDIT, "1", 21)
        state = account_of(self.customer_a1)
        self.assertEqual([(e.booked_on.day, e.balance) for e in state.entries],
                         [(10, Decimal("100.00")), (15, Decimal("105.00")),
                          (20, Decimal("65.00")), (21, Decimal("64.00"))])

    def test_balances_are_kept_per_currency_and_customer(self) -> None:
        for currency, amount in (("EUR", "10"), ("TRY", "500"), ("EUR", "5")):
            services.add_ledger_entry(organization=self.org_a, customer=self.customer_a1,
                                      kind=EntryKind.CHARGE, amount=Decimal(amount),
                                      currency=currency, booked_on=dt.date(2026, 11, 1),
                                      description="", by=None)
        services.add_ledger_entry(organization=self.org_a, customer=self.customer_a2,
                                  kind=EntryKind.CHARGE, amount=Decimal("7"), currency="EUR",
                                  booked_on=dt.date(2026, 11, 1), description="", by=None)
        state = account_of(self.customer_a1)
        self.assertEqual(state.balances, [("EUR", Decimal("15.00")), ("TRY", Decimal("500.00"))])

    def test_an_older_page_carries_on_the_running_balance(self) -> None:
        for day in range(1, 36):  # 35 charges of 1.00, a day apart: 25 a page
            services.add_ledger_entry(organization=self.org_a, customer=self.customer_a1,
                                      kind=EntryKind.CHARGE, amount=Decimal(1), currency="EUR",
                                      booked_on=dt.date(2026, 1, 1) + dt.timedelta(days=day),
                                      description=str(day), by=None)
        newest = account_of(self.customer_a1)
        self.assertEqual(len(newest.entries), 25)
        self.assertEqual([e.balance for e in newest.entries[-2:]],
                         [Decimal(34), Decimal(35)])
        assert newest.older is not None
        older = account(self.org_a.pk, self.customer_a1.pk, account_cursor(newest.older))
        self.assertEqual([e.description for e in older.entries],
                         [str(day) for day in range(1, 11)])
        self.assertEqual([e.balance for e in older.entries], [Decimal(n) for n in range(1, 11)])
        self.assertIsNone(older.older)
        self.assertEqual(older.balances, [("EUR", Decimal(35))])
        self.assertIsNone(account_cursor("yesterday.5"))

    def test_an_entry_of_nothing_or_an_invoice_kind_is_refused(self) -> None:
        for kind, amount in ((EntryKind.CHARGE, "0"), (EntryKind.INVOICE, "5"),
                             (EntryKind.PAYMENT, "-5")):
            with self.assertRaises(ValidationError):
                services.add_ledger_entry(organization=self.org_a, customer=self.customer_a1,
                                          kind=kind, amount=Decimal(amount), currency="EUR",
                                          booked_on=dt.date(2026, 11, 1), description="",
                                          by=None)
        self.assertFalse(LedgerEntry.objects.exists())
