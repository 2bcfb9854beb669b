"""What the billing pages read: each list one indexed query, each account one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Sum, Window

from frontdesk.billing.models import Invoice, LedgerEntry, Quote
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


def account(entries: QuerySet[LedgerEntry]) -> Account:
    """The account made of `entries` (one customer's, already scoped): the running balance
    is summed by the database over every entry, in date order, per currency."""
    ordered = (entries.annotate(balance=Window(Sum("amount"), partition_by=[F("currency")],
                                               order_by=[F("booked_on").asc(), F("id").asc()]))
               .order_by("-booked_on", "-id"))
    newest = list(ordered[:ENTRIES_SHOWN + 1])
    balances: dict[str, Decimal] = {}
    for entry in newest:
        balances.setdefault(entry.currency, entry.balance)
    if len(newest) > ENTRIES_SHOWN:
        # A currency whose last entry is older than the page's: summed on its own.
        for row in (entries.exclude(currency__in=list(balances)).values("currency")
                    .annotate(total=Sum("amount")).order_by("currency")):
            balances[row["currency"]] = row["total"]
    return Account(entries=newest[:ENTRIES_SHOWN][::-1], balances=sorted(balances.items()),
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
        balances = [(row["currency"], row["total"]) for row in
                    LedgerEntry.objects.for_org(customer.organization_id)
                    .filter(customer=customer).values("currency")
                    .annotate(total=Sum("amount")).order_by("currency")]
    return CustomerBilling(quotes=quotes, invoices=invoices, balances=balances)


def lines_of(document: Any) -> list[Any]:
    return list(document.lines.all())
