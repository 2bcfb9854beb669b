"""Writing to a customer's ledger (SPEC B3): every entry goes through `book`."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from frontdesk.billing.models import Balance, LedgerEntry


def book(entry: LedgerEntry) -> LedgerEntry:
    """Write `entry` and add its amount to the customer's balance in its currency (one row,
    changed by one UPDATE: two entries booked at once both count)."""
    with transaction.atomic():
        entry.save()
        lookup = {"customer_id": entry.customer_id, "currency": entry.currency}
        if not Balance.objects.filter(**lookup).update(amount=F("amount") + entry.amount):
            try:
                with transaction.atomic():
                    Balance.objects.create(organization_id=entry.organization_id,
                                           amount=entry.amount, **lookup)
            except IntegrityError:
                # Another entry created the row meanwhile.
                Balance.objects.filter(**lookup).update(amount=F("amount") + entry.amount)
    return entry
