"""What quotes and invoices share (SPEC B1, B2), for the actions in billing/services.py: what
staff write on one (`DocumentData`, its `LineData`) and its checks, writing it with its lines,
numbering it per organization, and changing its stage or status.

A change of stage or status is one conditional UPDATE (`move`): of two people acting on the
same document at once (issuing it twice, approving and disputing it), one succeeds and the
other is told it has changed meanwhile; nothing is done twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from frontdesk.billing.models import ZERO, Document, Invoice, Quote
from frontdesk.customers.models import Contact, Customer
from frontdesk.lib.money import CURRENCIES
from frontdesk.organizations.models import Organization

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


def check_currency(currency: str) -> None:
    if currency not in CURRENCIES:
        raise ValidationError({"currency": _("Choose a currency from the list.")})


def check_document(data: DocumentData) -> None:
    """Refuse what no quote or invoice may hold, saying why (nothing is written yet)."""
    check_currency(data.currency)
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


def write_document(document: D, data: DocumentData, line_model: type[models.Model],
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


def numbered(save: Any, model: type[Quote] | type[Invoice], organization_id: int) -> Any:
    """Run `save(number)` with the organization's next number; again with the one after if
    another document took that number meanwhile (the unique constraint tells)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return save(_next_number(model, organization_id))
        except IntegrityError:
            continue
    raise ValidationError(_("Many documents were numbered at once. Please try again."))


def same_org(organization: Organization, customer: Customer,
             contact: Contact | None = None) -> None:
    # The pages only offer the organization's own customers and contacts; the actions check
    # again, as the API and imports will call them too.
    if customer.organization_id != organization.pk:
        raise ValidationError(_("Choose a customer of this organization."))
    if contact is not None and contact.customer_id != customer.pk:
        raise ValidationError({"contact": _("Choose a contact of this customer.")})


def move(document: D, field: str, allowed: Sequence[str], **changes: Any) -> D:
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
