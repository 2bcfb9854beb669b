"""Quotes, invoices and each customer's ledger (SPEC B1–B3).

Amounts are decimals with two places, in the currency each document or entry was made in (an
organization may change its currency; what was written stays as written). A document's
totals are stored with it, computed from its lines by the actions (services.py), so lists and
the portal read one row per document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frontdesk.customers.models import Contact, Customer
from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet
from frontdesk.portal.models import PortalUser

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0.00")


def money_field(verbose_name: StrOrPromise | None = None, **options: Any
                ) -> models.DecimalField[Any, Any]:
    """An amount of money: up to a thousand billion, to the cent."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **options)


class BillingSettings(models.Model):
    """An organization's billing defaults: the currency of new documents, and how long a
    quote stays valid and an invoice may wait to be paid."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        related_name="billing_settings")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    quote_valid_days = models.PositiveSmallIntegerField(_("quotes are valid for (days)"),
                                                        default=30)
    payment_days = models.PositiveSmallIntegerField(_("invoices are due after (days)"),
                                                    default=14)

    def __str__(self) -> str:
        return f"billing settings of {self.organization_id}"


class QuoteStage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("quote stage", "Draft")
    SENT = "sent", pgettext_lazy("quote stage", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("quote stage", "Accepted")
    DECLINED = "declined", pgettext_lazy("quote stage", "Declined")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("invoice status", "Draft")
    ISSUED = "issued", pgettext_lazy("invoice status", "Issued")
    APPROVED = "approved", pgettext_lazy("invoice status", "Approved")
    DISPUTED = "disputed", pgettext_lazy("invoice status", "Disputed")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    CANCELLED = "cancelled", pgettext_lazy("invoice status", "Cancelled")


class Document(models.Model):
    """What a quote and an invoice have alike."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # the list's index leads with it
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("customer"),
                                 db_index=False)  # the customer's index leads with it
    title = models.CharField(_("title"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    # Percent, applied to the sum of the lines.
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2,
                                   default=ZERO)
    subtotal = money_field(default=ZERO)
    tax = money_field(default=ZERO)
    total = money_field(default=ZERO)
    note = models.TextField(_("note to the customer"), blank=True)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Quote(Document):
    """An offer to a customer (SPEC B1): numbered when made, shown to the customer once
    sent, accepted or declined by them (in the portal) or recorded so by staff."""

    number = models.PositiveIntegerField(_("number"))
    stage = models.CharField(_("stage"), max_length=10, choices=QuoteStage.choices,
                             default=QuoteStage.DRAFT)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Who accepted or declined it in the portal (None when staff recorded it).
    decided_by = models.ForeignKey(PortalUser, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", db_index=False)

    objects = OrgQuerySet["Quote"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"],
                                    name="quote_number_unique"),
        ]
        indexes = [
            models.Index(fields=["organization", "-id"], name="quote_org_id"),
            models.Index(fields=["customer", "-id"], name="quote_customer_id"),
        ]

    def __str__(self) -> str:
        return f"Q{self.number}"


class Invoice(Document):
    """An invoice to a customer (SPEC B2), for one of its contacts if given. A draft has no
    number: numbers are given in order when invoices are issued, so issued invoices have no
    gaps. Issuing it charges the customer's ledger; the customer approves or disputes it in
    the portal."""

    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("contact"), db_index=False)
    status = models.CharField(_("status"), max_length=10, choices=InvoiceStatus.choices,
                              default=InvoiceStatus.DRAFT)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    paid = money_field(default=ZERO)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(PortalUser, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", db_index=False)
    dispute_reason = models.TextField(_("reason"), blank=True)

    objects = OrgQuerySet["Invoice"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"],
                                    name="invoice_number_unique"),
        ]
        indexes = [
            models.Index(fields=["organization", "-id"], name="invoice_org_id"),
            models.Index(fields=["organization", "status", "-id"], name="invoice_org_status_id"),
            models.Index(fields=["customer", "-id"], name="invoice_customer_id"),
        ]

    def __str__(self) -> str:
        return f"INV{self.number or '-'}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.total - self.paid, ZERO)


class Line(models.Model):
    """A line of a quote or an invoice (SPEC B1: line items)."""

    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = money_field(_("unit price"))
    amount = money_field()

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class QuoteLine(Line):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")

    def __str__(self) -> str:
        return self.description


class InvoiceLine(Line):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    def __str__(self) -> str:
        return self.description


class EntryKind(models.TextChoices):
    INVOICE = "invoice", pgettext_lazy("ledger entry", "Invoice")
    CHARGE = "charge", pgettext_lazy("ledger entry", "Charge")
    PAYMENT = "payment", pgettext_lazy("ledger entry", "Payment received")
    CREDIT = "credit", pgettext_lazy("ledger entry", "Credit")
    CANCELLATION = "cancellation", pgettext_lazy("ledger entry", "Invoice cancelled")


# What each kind does to what the customer owes: + raises it, - lowers it.
RAISES_BALANCE = {EntryKind.INVOICE, EntryKind.CHARGE}


class LedgerEntry(models.Model):
    """One line of a customer's account (SPEC B3, "cari hesap"): `amount` is what it adds
    to what the customer owes (negative for a payment or a credit). Entries are never edited:
    a mistake is put right by another entry, as in any ledger."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # ledger_org_customer leads with it
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    booked_on = models.DateField(_("date"))
    # Staff's words on an entry of their own. An entry of an invoice has none: the pages name
    # the invoice in the reader's language.
    description = models.CharField(_("description"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    amount = money_field()
    invoice = models.ForeignKey(Invoice, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="entries")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["LedgerEntry"].as_manager()

    class Meta:
        indexes = [
            # A customer's account in date order, and its balance per currency.
            models.Index(fields=["organization", "customer", "booked_on", "id"],
                         name="ledger_org_customer"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} on {self.customer_id}"


class Balance(models.Model):
    """What a customer owes in one currency: the sum of their ledger entries in it, kept by
    the actions with each entry (ledger.book). An account page then reads its newest
    entries and this row, whatever the length of the customer's history."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)  # balance_unique leads with it
    currency = models.CharField(max_length=3)
    amount = money_field(default=ZERO)

    objects = OrgQuerySet["Balance"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "currency"], name="balance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.customer_id}"

