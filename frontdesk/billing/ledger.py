"""Writing to a customer's ledger (SPEC B3): every entry goes through `book`."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from frontdesk.billing.models import Balance, LedgerEntry


def book(entry: LedgerEntry) -> LedgerEntry:
    """Write `entry` and add its amount to the customer's balance in its currency (one row,
    changed by one UPDATE: two entries booked at once both count)."""
    with transaction.atomic():
        entry.save()
        _add_to_balance(entry.organization_id, entry.customer_id, entry.currency, entry.amount)
    return entry


def _add_to_balance(org_id: int, customer_id: int, currency: str, amount: Decimal) -> None:
    lookup = {"customer_id": customer_id, "currency": currency}
    if not Balance.objects.filter(**lookup).update(amount=F("amount") + amount):
        try:
            with transaction.atomic():
                Balance.objects.create(organization_id=org_id, amount=amount, **lookup)
        except IntegrityError:
            # Another entry created the row meanwhile.
            Balance.objects.filter(**lookup).update(amount=F("amount") + amount)


def move_account(*, source_id: int, target_id: int) -> int:
    """Move every ledger entry of customer `source_id` to customer `target_id`, with what they
    add up to (merging customers, SPEC C11). Returns how many entries moved.

    The source's balances are locked first, so no entry can be booked on them meanwhile, and
    each is added to the target's balance in its currency the way `book` adds an entry (one
    UPDATE): an entry booked for the target at the same moment still counts, which working
    the target's balance out again from a sum of its entries would not promise."""
    with transaction.atomic():
        balances = list(Balance.objects.select_for_update().filter(customer_id=source_id)
                        .order_by("currency"))
        moved = LedgerEntry.objects.filter(customer_id=source_id).update(customer_id=target_id)
        for balance in balances:
            _add_to_balance(balance.organization_id, target_id, balance.currency,
                            balance.amount)
        Balance.objects.filter(pk__in=[balance.pk for balance in balances]).delete()
    return moved
