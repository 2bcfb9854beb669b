"""What the billing pages read: each list one indexed query, each account page two; the
hot ones compiled once (lib/prepared.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import CharField, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext

from frontdesk.billing.models import ZERO, Balance, Invoice, LedgerEntry, Quote
from frontdesk.customers.models import Customer
from frontdesk.lib.json_rows import JSONRows, rows_of
from frontdesk.lib.paging import Page, keyset_query, page_of
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.models import Membership
from frontdesk.organizations.permissions import Area, Level, has_level

CENT = Decimal("0.01")
ON_CUSTOMER_PAGE = 5
# An account's page of entries, each with the balance after it.
ENTRIES_PER_PAGE = 25

# What a list row shows (named tuples, not model instances: no note, no customer but its name).
QUOTE_ROW = ("pk", "number", "title", "stage", "total", "currency", "created_at", "valid_until",
             "customer_id")
INVOICE_ROW = ("pk", "number", "title", "status", "total", "currency", "due_on", "customer_id")
ENTRY_ROW = ("pk", "kind", "booked_on", "description", "currency", "amount", "invoice_id")


def list_rows(documents: QuerySet[Any], row: tuple[str, ...], before: int | None,
              after: int | None) -> QuerySet[Any]:
    """A page of `documents` (keyset_query) as named tuples of `row` and `customer_name`."""
    return keyset_query(documents.annotate(customer_name=F("customer__short_name"))
                        .values_list(*row, "customer_name", named=True), before, after)


@prepared
def _quote_rows(org_id: int, stage: str | None, before: int | None, after: int | None
                ) -> QuerySet[Any]:
    quotes = Quote.objects.for_org(org_id)
    if stage is not None:
        quotes = quotes.filter(stage=stage)
    return list_rows(quotes, QUOTE_ROW, before, after)


@prepared
def _invoice_rows(org_id: int, status: str | None, before: int | None, after: int | None
                  ) -> QuerySet[Any]:
    invoices = Invoice.objects.for_org(org_id)
    if status is not None:
        invoices = invoices.filter(status=status)
    return list_rows(invoices, INVOICE_ROW, before, after)


def quote_page(org_id: int, stage: str | None, before: int | None, after: int | None
               ) -> Page[Any]:
    """A page of the organization's quotes (of one stage), newest first."""
    return page_of(_quote_rows(org_id, stage, before, after), before, after)


def invoice_page(org_id: int, status: str | None, before: int | None, after: int | None
                 ) -> Page[Any]:
    """A page of the organization's invoices (of one status), newest first."""
    return page_of(_invoice_rows(org_id, status, before, after), before, after)


class AccountLine(NamedTuple):
    """An entry of an account page, with the customer's balance in its currency after it."""

    pk: int
    kind: str
    booked_on: dt.date
    description: str
    currency: str
    amount: Decimal
    invoice_id: int | None
    invoice_number: int | None
    balance: Decimal
    invoice_name: str  # "Invoice 12" in the page's language, or ""


@dataclass(frozen=True)
class Account:
    """A page of a customer's ledger: its lines oldest first; the balance in each currency;
    the cursor of the older page (None on the last), and whether this is the newest page."""

    entries: tuple[AccountLine, ...]  # plain: the page keeps the rows' HTML ({% memo %})
    balances: list[tuple[str, Decimal]]
    older: str | None
    newest: bool


def account_cursor(raw: str) -> tuple[dt.date, int] | None:
    """The page asked for by `?older=<date>.<id>` (the entries before that one); None for
    the newest page, or for anything else."""
    day, _dot, pk = raw.partition(".")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _newer_than(day: dt.date, pk: int) -> Q:
    return Q(booked_on__gt=day) | Q(booked_on=day, pk__gte=pk)


@prepared
def _entries(org_id: int, customer_id: int, day: dt.date | None, pk: int | None
             ) -> QuerySet[Any]:
    entries = LedgerEntry.objects.for_org(org_id).filter(customer_id=customer_id)
    if day is not None and pk is not None:
        entries = entries.exclude(_newer_than(day, pk))
    # The customer's balances come with every row (one or two currencies: a few bytes), so the
    # page is one statement; as text, so no amount passes through a float.
    balances = JSONRows(Balance.objects.filter(customer_id=OuterRef("customer_id"))
                        .annotate(amount_text=Cast("amount", CharField()))
                        .order_by("currency"), ("currency", "amount_text"))
    return (entries.annotate(invoice_number=F("invoice__number"), balance_rows=balances)
            .values_list(*ENTRY_ROW, "invoice_number", "balance_rows", named=True)
            .order_by("-booked_on", "-id")[:ENTRIES_PER_PAGE + 1])


@prepared
def _balances(org_id: int, customer_id: int) -> QuerySet[Any]:
    return (Balance.objects.for_org(org_id).filter(customer_id=customer_id)
            .values_list("currency", "amount").order_by("currency"))


def account(org_id: int, customer_id: int, older_than: tuple[dt.date, int] | None = None
            ) -> Account:
    """A page of the customer's account, newest first from the index: the balance after each
    entry is worked back from the customer's balance (billing.models.Balance), less the
    entries of the newer pages. The newest page is one read however long the customer's
    history; an older one adds the sum of the entries newer than it."""
    day, pk = older_than if older_than is not None else (None, None)
    rows = _entries(org_id, customer_id, day, pk)
    # Without a row (no entries, or past the last page), the balances are read on their own.
    totals = ({currency: Decimal(amount).quantize(CENT)
               for currency, amount in rows_of(rows[0].balance_rows)}
              if rows else dict(_balances(org_id, customer_id)))
    running = dict(totals)
    if day is not None and pk is not None:
        for currency, newer in (LedgerEntry.objects.for_org(org_id)
                                .filter(_newer_than(day, pk), customer_id=customer_id)
                                .values_list("currency").annotate(total=Sum("amount"))
                                .order_by()):
            running[currency] = running.get(currency, ZERO) - newer
    # Translated once for the page (in the template, each row's took a tenth of it).
    invoice_name = gettext("Invoice %(number)s")
    lines = []
    for row in rows[:ENTRIES_PER_PAGE]:
        balance = running.get(row.currency, ZERO)
        running[row.currency] = balance - row.amount
        lines.append(AccountLine(row.pk, row.kind, row.booked_on, row.description,
                                 row.currency, row.amount, row.invoice_id,
                                 row.invoice_number, balance,
                                 invoice_name % {"number": row.invoice_number}
                                 if row.invoice_id else ""))
    last = lines[-1] if lines else None
    return Account(entries=tuple(lines[::-1]), balances=sorted(totals.items()),
                   older=f"{last.booked_on.isoformat()}.{last.pk}"
                   if last is not None and len(rows) > ENTRIES_PER_PAGE else None,
                   newest=older_than is None)


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
