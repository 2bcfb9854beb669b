"""What the billing pages read: each list one indexed query, each account one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from frontdesk.billing.models import ZERO, Balance, Invoice, LedgerEntry, Quote
from frontdesk.customers.models import Customer
from frontdesk.lib.paging import Page, keyset_query, page_of
from frontdesk.organizations.models import Membership
from frontdesk.organizations.permissions import Area, Level, has_level

ON_CUSTOMER_PAGE = 5
# An account shows its newest this many entries, each with the balance after it.
ENTRIES_SHOWN = 200


def quote_page(quotes: QuerySet[Quote], before: int | None, after: int | None) -> Page[Quote]:
    rows = keyset_query(quotes.select_related("customer"), before, after)
    return page_of(list(rows), before, after)


def invoice_page(invoices: QuerySet[Invoice], before: int | None, after: int | None
                 ) -> Page[Invoice]:
    rows = keyset_query(invoices.select_related("customer"), before, after)
    return page_of(list(rows), before, after)


@dataclass(frozen=True)
class Account:
    """A customer's ledger: the newest entries, oldest first, each with `balance`, the
    customer's balance in its currency after it; and the balance in each currency."""

    entries: list[Any]  # LedgerEntry rows with `balance`
    balances: list[tuple[str, Decimal]]
    older_left_out: bool


def account(entries: QuerySet[LedgerEntry], balances: QuerySet[Balance]) -> Account:
    """The account made of `entries` and `balances` (one customer's, already scoped): its
    newest entries read newest first from the index, and the balance after each worked back
    from the customer's balance (billing.models.Balance): two reads, however long the
    customer's history."""
    newest = list(entries.order_by("-booked_on", "-id")[:ENTRIES_SHOWN + 1])
    totals = {row.currency: row.amount for row in balances}
    running = dict(totals)
    for entry in newest[:ENTRIES_SHOWN]:
        entry.balance = running.get(entry.currency, ZERO)  # type: ignore[attr-defined]
        running[entry.currency] = entry.balance - entry.amount  # type: ignore[attr-defined]
    return Account(entries=newest[:ENTRIES_SHOWN][::-1], balances=sorted(totals.items()),
                   older_left_out=len(newest) > ENTRIES_SHOWN)


@dataclass(frozen=True)
class CustomerBilling:
    """The billing cards of a customer's page (SPEC C6): what the member may see."""

    quotes: list[Quote] | None
    invoices: list[Invoice] | None
    balances: list[tuple[str, Decimal]] | None


def customer_billing(customer: Customer, membership: Membership) -> CustomerBilling:
    """The newest quotes (with View in Offers), invoices and balance (with View in Ledger)."""
    quotes = invoices = balances = None
    if has_level(membership, Area.OFFERS, Level.VIEW):
        quotes = list(Quote.objects.for_org(customer.organization_id)
                      .filter(customer=customer).order_by("-id")[:ON_CUSTOMER_PAGE])
    if has_level(membership, Area.LEDGER, Level.VIEW):
        invoices = list(Invoice.objects.for_org(customer.organization_id)
                        .filter(customer=customer).order_by("-id")[:ON_CUSTOMER_PAGE])
        balances = sorted((row.currency, row.amount) for row in
                          Balance.objects.for_org(customer.organization_id)
                          .filter(customer=customer))
    return CustomerBilling(quotes=quotes, invoices=invoices, balances=balances)


def lines_of(document: Any) -> list[Any]:
    return list(document.lines.all())
