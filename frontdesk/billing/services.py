"""The actions on quotes, invoices and ledgers (SPEC B1–B3), and on the billing settings.
Every change goes through here: the staff pages, the portal and the demo data alike. What
quotes and invoices share (their data, its checks, numbering, a change of stage or status as
one conditional UPDATE) is billing/documents.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.billing import announce
from frontdesk.billing.documents import (
    MAX_AMOUNT,
    DocumentData,
    LineData,
    check_currency,
    check_document,
    move,
    numbered,
    same_org,
    write_document,
)
from frontdesk.billing.ledger import book
from frontdesk.billing.models import (
    ZERO,
    BillingSettings,
    EntryKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    Quote,
    QuoteLine,
    QuoteStage,
)
from frontdesk.customers import activity
from frontdesk.customers.models import Activity, Contact, Customer
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalUser


def billing_settings(organization: Organization) -> BillingSettings:
    found, _created = BillingSettings.objects.get_or_create(organization=organization)
    return found


def update_billing_settings(*, organization: Organization, currency: str,
                            quote_valid_days: int, payment_days: int) -> BillingSettings:
    check_currency(currency)
    found = billing_settings(organization)
    found.currency, found.quote_valid_days, found.payment_days = (
        currency, quote_valid_days, payment_days)
    found.save()
    return found


# Quotes (SPEC B1)


def create_quote(*, organization: Organization, customer: Customer, data: DocumentData,
                 valid_until: dt.date | None, by: User | None) -> Quote:
    """A draft quote to `customer`, with the organization's next quote number."""
    same_org(organization, customer)
    check_document(data)

    def save(number: int) -> Quote:
        quote = Quote(organization=organization, customer=customer, number=number,
                      valid_until=valid_until, creator=by)
        write_document(quote, data, QuoteLine, "quote")
        announce.record(quote, Activity.Kind.QUOTE_CREATED, by=by, title=quote.title)
        return quote

    quote: Quote = numbered(save, Quote, organization.pk)
    return quote


def update_quote(*, quote: Quote, data: DocumentData, valid_until: dt.date | None) -> Quote:
    """Change a draft quote; one the customer has seen stays as it was sent."""
    if quote.stage != QuoteStage.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    check_document(data)
    quote.valid_until = valid_until
    with transaction.atomic():
        if not Quote.objects.filter(pk=quote.pk, stage=QuoteStage.DRAFT).exists():
            raise ValidationError(_("Someone changed it meanwhile. Look at it again."))
        return write_document(quote, data, QuoteLine, "quote")


def change_quote_customer(*, quote: Quote, customer: Customer, by: User | None) -> Quote:
    """Address a draft quote to another customer of its organization (SPEC C13), with an
    activity on the customer it leaves and on the one it joins. A quote once sent stays with
    the customer who saw it."""
    if customer.organization_id != quote.organization_id:
        raise ValidationError(_("Choose a customer of this organization."))
    if quote.customer_id == customer.pk:
        return quote
    with transaction.atomic():
        before = quote.customer_id
        move(quote, "stage", [QuoteStage.DRAFT], customer_id=customer.pk)
        activity.record(customer=before, organization_id=quote.organization_id,
                        kind=Activity.Kind.QUOTE_UNLINKED, by=by, number=quote.number,
                        title=quote.title)
        announce.record(quote, Activity.Kind.QUOTE_LINKED, by=by, title=quote.title)
    return quote


def send_quote(*, quote: Quote, by: User | None = None) -> Quote:
    """Show the quote to the customer in the portal, to accept or decline."""
    with transaction.atomic():
        move(quote, "stage", [QuoteStage.DRAFT], stage=QuoteStage.SENT,
             sent_at=timezone.now())
        announce.tell_customer(quote, "billing.quote_sent", "quote_id", "sees_quotes")
        announce.record(quote, Activity.Kind.QUOTE_SENT, by=by)
    return quote


def decide_quote(*, quote: Quote, accept: bool, portal_user: PortalUser | None = None,
                 by: User | None = None) -> Quote:
    """The customer accepts or declines a sent quote: in the portal (`portal_user`), or
    staff record the answer they were given."""
    if portal_user is not None and portal_user.customer_id != quote.customer_id:
        raise ValidationError(_("This quote is not addressed to you."))
    with transaction.atomic():
        move(quote, "stage", [QuoteStage.SENT],
             stage=QuoteStage.ACCEPTED if accept else QuoteStage.DECLINED,
             decided_at=timezone.now(), decided_by=portal_user)
        answer = "accepted" if accept else "declined"
        if portal_user is not None:
            announce.tell_creator(quote, "quote_id", answer)
        announce.record(quote, Activity.Kind.QUOTE_ANSWERED, by=by, portal_user=portal_user,
                        answer=answer)
    return quote


def invoice_from_quote(*, quote: Quote, by: User | None) -> Invoice:
    """A draft invoice with the lines of an accepted quote."""
    if quote.stage != QuoteStage.ACCEPTED:
        raise ValidationError(_("Only an accepted quote can be invoiced."))
    lines = [LineData(line.description, line.quantity, line.unit_price)
             for line in quote.lines.all()]
    organization = Organization.objects.get(pk=quote.organization_id)
    return create_invoice(
        organization=organization, customer=Customer.objects.get(pk=quote.customer_id),
        contact=None, by=by,
        data=DocumentData(title=quote.title, currency=quote.currency, tax_rate=quote.tax_rate,
                          note=quote.note, lines=lines))


# Invoices (SPEC B2)


def create_invoice(*, organization: Organization, customer: Customer, contact: Contact | None,
                   data: DocumentData, by: User | None) -> Invoice:
    """A draft invoice to `customer` (for `contact`, if given). It has no number until it
    is issued."""
    same_org(organization, customer, contact)
    check_document(data)
    with transaction.atomic():
        invoice = Invoice(organization=organization, customer=customer, contact=contact,
                          creator=by)
        return write_document(invoice, data, InvoiceLine, "invoice")


def update_invoice(*, invoice: Invoice, contact: Contact | None, data: DocumentData
                   ) -> Invoice:
    """Change a draft invoice; an issued one is put right by cancelling it."""
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    same_org(invoice.organization, invoice.customer, contact)
    check_document(data)
    invoice.contact = contact
    with transaction.atomic():
        if not Invoice.objects.filter(pk=invoice.pk, status=InvoiceStatus.DRAFT).exists():
            raise ValidationError(_("Someone changed it meanwhile. Look at it again."))
        return write_document(invoice, data, InvoiceLine, "invoice")


def issue_invoice(*, invoice: Invoice, by: User | None, issued_on: dt.date | None = None
                  ) -> Invoice:
    """Give the draft the organization's next invoice number, show it to the customer, and
    charge its total to the customer's ledger."""
    issued_on = issued_on or timezone.localdate()
    due_on = issued_on + dt.timedelta(days=billing_settings(invoice.organization).payment_days)

    def save(number: int) -> Invoice:
        move(invoice, "status", [InvoiceStatus.DRAFT], status=InvoiceStatus.ISSUED,
             number=number, issued_on=issued_on, due_on=due_on)
        book(LedgerEntry(
            organization_id=invoice.organization_id, customer_id=invoice.customer_id,
            kind=EntryKind.INVOICE, booked_on=issued_on, currency=invoice.currency,
            amount=invoice.total, invoice=invoice, creator=by))
        return invoice

    if invoice.total <= ZERO:
        raise ValidationError(_("An invoice of nothing cannot be issued."))
    with transaction.atomic():
        issued: Invoice = numbered(save, Invoice, invoice.organization_id)
        announce.tell_customer(issued, "billing.invoice_issued", "invoice_id", "sees_invoices")
        announce.record(issued, Activity.Kind.INVOICE_ISSUED, by=by)
    return issued


def approve_invoice(*, invoice: Invoice, portal_user: PortalUser) -> Invoice:
    """The customer confirms an issued invoice in the portal (SPEC B2)."""
    _addressed_to(invoice, portal_user)
    with transaction.atomic():
        move(invoice, "status", [InvoiceStatus.ISSUED, InvoiceStatus.DISPUTED],
             status=InvoiceStatus.APPROVED, decided_at=timezone.now(),
             decided_by=portal_user, dispute_reason="")
        announce.tell_creator(invoice, "invoice_id", "approved")
        announce.record(invoice, Activity.Kind.INVOICE_ANSWERED, portal_user=portal_user,
                        answer="approved")
    return invoice


def dispute_invoice(*, invoice: Invoice, portal_user: PortalUser, reason: str) -> Invoice:
    """The customer disputes an issued invoice in the portal, saying why."""
    _addressed_to(invoice, portal_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with the invoice.")})
    with transaction.atomic():
        move(invoice, "status", [InvoiceStatus.ISSUED, InvoiceStatus.APPROVED],
             status=InvoiceStatus.DISPUTED, decided_at=timezone.now(),
             decided_by=portal_user, dispute_reason=reason.strip())
        announce.tell_creator(invoice, "invoice_id", "disputed")
        announce.record(invoice, Activity.Kind.INVOICE_ANSWERED, portal_user=portal_user,
                        answer="disputed")
    return invoice


def _addressed_to(invoice: Invoice, portal_user: PortalUser) -> None:
    if portal_user.customer_id != invoice.customer_id:
        raise ValidationError(_("This invoice is not addressed to you."))


def record_payment(*, invoice: Invoice, amount: Decimal, booked_on: dt.date,
                   by: User | None) -> LedgerEntry:
    """A payment of the customer for `invoice`, into their ledger; the invoice is paid
    once its payments reach its total."""
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED, InvoiceStatus.PAID):
        raise ValidationError(_("This cannot be done in its current state."))
    if not ZERO < amount <= MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    with transaction.atomic():
        entry = book(LedgerEntry(
            organization_id=invoice.organization_id, customer_id=invoice.customer_id,
            kind=EntryKind.PAYMENT, booked_on=booked_on, currency=invoice.currency,
            amount=-amount, invoice=invoice, creator=by))
        Invoice.objects.filter(pk=invoice.pk).update(paid=F("paid") + amount)
        invoice.refresh_from_db(fields=["paid", "status"])
        if invoice.paid >= invoice.total:
            Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.PAID)
            invoice.status = InvoiceStatus.PAID
        announce.record(invoice, Activity.Kind.PAYMENT, by=by,
                        amount=f"{amount} {invoice.currency}")
    return entry


def cancel_invoice(*, invoice: Invoice, by: User | None) -> Invoice:
    """Cancel an invoice not yet paid in full. An issued one is taken off the customer's
    ledger by an entry of its own (the charge stays, as ledgers keep what happened);
    payments already made stay as the customer's credit."""
    with transaction.atomic():
        was_issued = invoice.status != InvoiceStatus.DRAFT
        move(invoice, "status", [InvoiceStatus.DRAFT, InvoiceStatus.ISSUED,
                                 InvoiceStatus.APPROVED, InvoiceStatus.DISPUTED],
             status=InvoiceStatus.CANCELLED)
        if was_issued:
            book(LedgerEntry(
                organization_id=invoice.organization_id, customer_id=invoice.customer_id,
                kind=EntryKind.CANCELLATION, booked_on=timezone.localdate(),
                currency=invoice.currency, amount=-invoice.total, invoice=invoice, creator=by))
        if invoice.number is not None:
            announce.record(invoice, Activity.Kind.INVOICE_CANCELLED, by=by)
    return invoice


# The ledger (SPEC B3)


MANUAL_KINDS = (EntryKind.CHARGE, EntryKind.PAYMENT, EntryKind.CREDIT)


def add_ledger_entry(*, organization: Organization, customer: Customer, kind: str,
                     amount: Decimal, currency: str, booked_on: dt.date, description: str,
                     by: User | None) -> LedgerEntry:
    """A charge, a payment or a credit on the customer's account, not tied to an invoice.
    `amount` is given above zero; a payment and a credit lower what the customer owes."""
    same_org(organization, customer)
    check_currency(currency)
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": _("Choose a kind of entry from the list.")})
    if not ZERO < amount <= MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    return book(LedgerEntry(
        organization=organization, customer=customer, kind=kind, booked_on=booked_on,
        currency=currency, amount=amount if kind == EntryKind.CHARGE else -amount,
        description=description.strip(), creator=by))
