"""The actions on quotes, invoices and ledgers (SPEC B1–B3). Every change goes through here:
the staff pages, the portal and the demo data alike.

A change of stage or status is one conditional UPDATE (`_move`): of two people acting on the
same document at once (issuing it twice, approving and disputing it), one succeeds and the
other is told it has changed meanwhile; nothing is done twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.billing import announce
from frontdesk.billing.ledger import book
from frontdesk.billing.models import (
    ZERO,
    BillingSettings,
    Document,
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
from frontdesk.lib.money import CURRENCIES
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalUser

CENT = Decimal("0.01")
MAX_LINES = 100
MAX_AMOUNT = Decimal("999999999999.99")

D = TypeVar("D", bound=Document)


@dataclass(frozen=True)
class LineData:
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DocumentData:
    """What staff write on a quote or an invoice."""

    title: str
    currency: str
    tax_rate: Decimal
    note: str
    lines: Sequence[LineData]


def billing_settings(organization: Organization) -> BillingSettings:
    found, _created = BillingSettings.objects.get_or_create(organization=organization)
    return found


def update_billing_settings(*, organization: Organization, currency: str,
                            quote_valid_days: int, payment_days: int) -> BillingSettings:
    _check_currency(currency)
    found = billing_settings(organization)
    found.currency, found.quote_valid_days, found.payment_days = (
        currency, quote_valid_days, payment_days)
    found.save()
    return found


def _check_currency(currency: str) -> None:
    if currency not in CURRENCIES:
        raise ValidationError({"currency": _("Choose a currency from the list.")})


def _check(data: DocumentData) -> None:
    _check_currency(data.currency)
    if not data.lines:
        raise ValidationError(_("Add at least one line."))
    if len(data.lines) > MAX_LINES:
        raise ValidationError(_("A document has at most %(num)s lines.") % {"num": MAX_LINES})
    if not ZERO <= data.tax_rate <= 100:
        raise ValidationError({"tax_rate": _("The tax rate is a percentage from 0 to 100.")})
    if _totals(data)[2] > MAX_AMOUNT:
        raise ValidationError(_("The total is too large."))


def _totals(data: DocumentData) -> tuple[Decimal, Decimal, Decimal]:
    subtotal = sum((line.amount for line in data.lines), ZERO)
    tax = (subtotal * data.tax_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return subtotal, tax, subtotal + tax


def _write(document: D, data: DocumentData, line_model: type[models.Model],
           owner: str) -> D:
    """Save `document` with `data` and replace its lines (inside the caller's transaction)."""
    document.title, document.currency, document.tax_rate, document.note = (
        data.title.strip(), data.currency, data.tax_rate, data.note.strip())
    document.subtotal, document.tax, document.total = _totals(data)
    document.save()
    line_model._default_manager.filter(**{owner: document}).delete()
    line_model._default_manager.bulk_create([
        line_model(**{owner: document}, position=position, description=line.description.strip(),
                   quantity=line.quantity, unit_price=line.unit_price, amount=line.amount)
        for position, line in enumerate(data.lines)])
    return document


def _next_number(model: type[Quote] | type[Invoice], organization_id: int) -> int:
    top = model.objects.filter(organization_id=organization_id).aggregate(top=Max("number"))
    return (top["top"] or 0) + 1


def _numbered(save: Any, model: type[Quote] | type[Invoice], organization_id: int) -> Any:
    """Run `save(number)` with the organization's next number; again with the one after if
    another document took that number meanwhile (the unique constraint tells)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return save(_next_number(model, organization_id))
        except IntegrityError:
            continue
    raise ValidationError(_("Many documents were numbered at once. Please try again."))


def _same_org(organization: Organization, customer: Customer,
              contact: Contact | None = None) -> None:
    # The pages only offer the organization's own customers and contacts; the actions check
    # again, as the API and imports will call them too.
    if customer.organization_id != organization.pk:
        raise ValidationError(_("Choose a customer of this organization."))
    if contact is not None and contact.customer_id != customer.pk:
        raise ValidationError({"contact": _("Choose a contact of this customer.")})


def _move(document: D, field: str, allowed: Sequence[str], **changes: Any) -> D:
    """Set `document`'s `field` (and `changes`) in one UPDATE that holds only while it is
    still in one of `allowed`; else say it changed meanwhile."""
    if getattr(document, field) not in allowed:
        raise ValidationError(_("This cannot be done in its current state."))
    done = type(document)._default_manager.filter(
        pk=document.pk, **{f"{field}__in": list(allowed)}).update(**changes)
    if not done:
        raise ValidationError(_("Someone changed it meanwhile. Look at it again."))
    for name, value in changes.items():
        if not isinstance(value, models.expressions.Combinable):
            setattr(document, name, value)
    return document


# Quotes (SPEC B1)


def create_quote(*, organization: Organization, customer: Customer, data: DocumentData,
                 valid_until: dt.date | None, by: User | None) -> Quote:
    """A draft quote to `customer`, with the organization's next quote number."""
    _same_org(organization, customer)
    _check(data)

    def save(number: int) -> Quote:
        quote = Quote(organization=organization, customer=customer, number=number,
                      valid_until=valid_until, creator=by)
        _write(quote, data, QuoteLine, "quote")
        announce.record(quote, Activity.Kind.QUOTE_CREATED, by=by, title=quote.title)
        return quote

    quote: Quote = _numbered(save, Quote, organization.pk)
    return quote


def update_quote(*, quote: Quote, data: DocumentData, valid_until: dt.date | None) -> Quote:
    """Change a draft quote; one the customer has seen stays as it was sent."""
    if quote.stage != QuoteStage.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    _check(data)
    quote.valid_until = valid_until
    with transaction.atomic():
        if not Quote.objects.filter(pk=quote.pk, stage=QuoteStage.DRAFT).exists():
            raise ValidationError(_("Someone changed it meanwhile. Look at it again."))
        return _write(quote, data, QuoteLine, "quote")


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
        _move(quote, "stage", [QuoteStage.DRAFT], customer_id=customer.pk)
        activity.record(customer=before, organization_id=quote.organization_id,
                        kind=Activity.Kind.QUOTE_UNLINKED, by=by, number=quote.number,
                        title=quote.title)
        announce.record(quote, Activity.Kind.QUOTE_LINKED, by=by, title=quote.title)
    return quote


def send_quote(*, quote: Quote, by: User | None = None) -> Quote:
    """Show the quote to the customer in the portal, to accept or decline."""
    with transaction.atomic():
        _move(quote, "stage", [QuoteStage.DRAFT], stage=QuoteStage.SENT,
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
        _move(quote, "stage", [QuoteStage.SENT],
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
    _same_org(organization, customer, contact)
    _check(data)
    with transaction.atomic():
        invoice = Invoice(organization=organization, customer=customer, contact=contact,
                          creator=by)
        return _write(invoice, data, InvoiceLine, "invoice")


def update_invoice(*, invoice: Invoice, contact: Contact | None, data: DocumentData
                   ) -> Invoice:
    """Change a draft invoice; an issued one is put right by cancelling it."""
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    _same_org(invoice.organization, invoice.customer, contact)
    _check(data)
    invoice.contact = contact
    with transaction.atomic():
        if not Invoice.objects.filter(pk=invoice.pk, status=InvoiceStatus.DRAFT).exists():
            raise ValidationError(_("Someone changed it meanwhile. Look at it again."))
        return _write(invoice, data, InvoiceLine, "invoice")


def issue_invoice(*, invoice: Invoice, by: User | None, issued_on: dt.date | None = None
                  ) -> Invoice:
    """Give the draft the organization's next invoice number, show it to the customer, and
    charge its total to the customer's ledger."""
    issued_on = issued_on or timezone.localdate()
    due_on = issued_on + dt.timedelta(days=billing_settings(invoice.organization).payment_days)

    def save(number: int) -> Invoice:
        _move(invoice, "status", [InvoiceStatus.DRAFT], status=InvoiceStatus.ISSUED,
              number=number, issued_on=issued_on, due_on=due_on)
        book(LedgerEntry(
            organization_id=invoice.organization_id, customer_id=invoice.customer_id,
            kind=EntryKind.INVOICE, booked_on=issued_on, currency=invoice.currency,
            amount=invoice.total, invoice=invoice, creator=by))
        return invoice

    if invoice.total <= ZERO:
        raise ValidationError(_("An invoice of nothing cannot be issued."))
    with transaction.atomic():
        issued: Invoice = _numbered(save, Invoice, invoice.organization_id)
        announce.tell_customer(issued, "billing.invoice_issued", "invoice_id", "sees_invoices")
        announce.record(issued, Activity.Kind.INVOICE_ISSUED, by=by)
    return issued


def approve_invoice(*, invoice: Invoice, portal_user: PortalUser) -> Invoice:
    """The customer confirms an issued invoice in the portal (SPEC B2)."""
    _addressed_to(invoice, portal_user)
    with transaction.atomic():
        _move(invoice, "status", [InvoiceStatus.ISSUED, InvoiceStatus.DISPUTED],
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
        _move(invoice, "status", [InvoiceStatus.ISSUED, InvoiceStatus.APPROVED],
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
        _move(invoice, "status", [InvoiceStatus.DRAFT, InvoiceStatus.ISSUED,
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
    _same_org(organization, customer)
    _check_currency(currency)
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": _("Choose a kind of entry from the list.")})
    if not ZERO < amount <= MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    return book(LedgerEntry(
        organization=organization, customer=customer, kind=kind, booked_on=booked_on,
        currency=currency, amount=amount if kind == EntryKind.CHARGE else -amount,
        description=description.strip(), creator=by))
