"""The bench's billing (SPEC B1–B3): quotes and invoices with two lines each, the ledger
entries issuing, paying and cancelling them write, and each customer's balance. One invoice
for every four requests and one quote for every ten, spread over the customers; the big
customer has its share of its requests (1,250 invoices for 5,000 requests). Written as rows
(bulk_rows), as the requests are."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction

from frontdesk.billing.models import (
    Balance,
    EntryKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    Quote,
    QuoteLine,
    QuoteStage,
)
from frontdesk.core.bench_shapes import OrgRows
from frontdesk.core.bulk_rows import IdRange, Rows, skip_foreign_key_checks
from frontdesk.portal.models import PortalSettings

REQUESTS_PER_INVOICE = 4
REQUESTS_PER_QUOTE = 10
TAX = Decimal("21.00")
HOUR = Decimal("85.00")
CONTRACT = Decimal("250.00")
CENT = Decimal("0.01")
SPAN_DAYS = 730


def seed_billing(rng: random.Random, orgs: list[tuple[OrgRows, int]], big_customer: int,
                 big_requests: int, today: dt.date) -> dict[str, Any]:
    """Quotes, invoices, entries and balances for each (organization, its request count);
    the measured organization (the first) shows the balance in its portal. What the bench's
    billing pages look for."""
    ids = {model: IdRange(model) for model in (Quote, QuoteLine, Invoice, InvoiceLine,
                                               LedgerEntry, Balance)}
    quotes = Rows(Quote, ["id", "organization_id", "customer_id", "title", "currency",
                          "tax_rate", "subtotal", "tax", "total", "note", "creator_id",
                          "created_at", "number", "stage", "valid_until", "sent_at"])
    quote_lines = Rows(QuoteLine, ["id", "quote_id", "position", "description", "quantity",
                                   "unit_price", "amount"])
    invoices = Rows(Invoice, ["id", "organization_id", "customer_id", "title", "currency",
                              "tax_rate", "subtotal", "tax", "total", "note", "creator_id",
                              "created_at", "number", "status", "issued_on", "due_on", "paid",
                              "dispute_reason"])
    invoice_lines = Rows(InvoiceLine, ["id", "invoice_id", "position", "description",
                                       "quantity", "unit_price", "amount"])
    entries = Rows(LedgerEntry, ["id", "organization_id", "customer_id", "kind", "booked_on",
                                 "description", "currency", "amount", "invoice_id",
                                 "creator_id", "created_at"])
    owed: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    found: dict[str, Any] = {}
    for rows, requests in orgs:
        org_id = rows.organization.pk
        big_share = big_requests if big_customer in rows.customer_ids else 0
        owners = _owners(rng, rows, requests // REQUESTS_PER_INVOICE, big_customer,
                         big_share // REQUESTS_PER_INVOICE)
        number = 0
        for slot, customer_id in enumerate(owners):
            invoice_id = ids[Invoice].take(1)[0]
            age = slot / len(owners)
            issued_on = today - dt.timedelta(days=int((1 - age) * SPAN_DAYS))
            created = dt.datetime.combine(issued_on, dt.time(9))
            hours = Decimal(rng.randint(1, 12))
            subtotal = CONTRACT + hours * HOUR
            tax = (subtotal * TAX / 100).quantize(CENT)
            total = subtotal + tax
            status = _invoice_status(rng, age)
            issued = status != InvoiceStatus.DRAFT
            if issued:
                number += 1
            paid = total if status == InvoiceStatus.PAID else Decimal(0)
            creator = rng.choice(rows.staff_ids)
            invoices.add(invoice_id, org_id, customer_id, f"Maintenance and support {slot}",
                         "EUR", TAX, subtotal, tax, total, "", creator, created,
                         number if issued else None, status.value,
                         issued_on if issued else None,
                         issued_on + dt.timedelta(days=14) if issued else None, paid,
                         "The hours do not match our records."
                         if status == InvoiceStatus.DISPUTED else "")
            for position, (text, quantity, price) in enumerate(
                    (("Maintenance contract", Decimal(1), CONTRACT),
                     ("Support hours", hours, HOUR))):
                invoice_lines.add(ids[InvoiceLine].take(1)[0], invoice_id, position, text,
                                  quantity, price, quantity * price)
            if issued:
                booked = [(EntryKind.INVOICE, issued_on, total)]
                if status == InvoiceStatus.PAID:
                    booked.append((EntryKind.PAYMENT, issued_on + dt.timedelta(days=10),
                                   -total))
                elif status == InvoiceStatus.CANCELLED:
                    booked.append((EntryKind.CANCELLATION, issued_on + dt.timedelta(days=3),
                                   -total))
                for kind, day, amount in booked:
                    entries.add(ids[LedgerEntry].take(1)[0], org_id, customer_id, kind.value,
                                day, "", "EUR", amount, invoice_id, creator, created)
                    owed[org_id, customer_id] += amount
        quote_owners = _owners(rng, rows, requests // REQUESTS_PER_QUOTE, big_customer,
                               big_share // REQUESTS_PER_QUOTE)
        for slot, customer_id in enumerate(quote_owners):
            quote_id = ids[Quote].take(1)[0]
            age = slot / len(quote_owners)
            created_on = today - dt.timedelta(days=int((1 - age) * SPAN_DAYS))
            created = dt.datetime.combine(created_on, dt.time(10))
            hours = Decimal(rng.randint(2, 40))
            subtotal = CONTRACT + hours * HOUR
            tax = (subtotal * TAX / 100).quantize(CENT)
            stage = (QuoteStage.SENT if age > 0.95 else rng.choice(
                [QuoteStage.ACCEPTED, QuoteStage.ACCEPTED, QuoteStage.DECLINED]))
            quotes.add(quote_id, org_id, customer_id, f"Upgrade proposal {slot}", "EUR", TAX,
                       subtotal, tax, subtotal + tax, "", rng.choice(rows.staff_ids), created,
                       slot + 1, stage.value, created_on + dt.timedelta(days=30), created)
            for position, (text, quantity, price) in enumerate(
                    (("Hardware", Decimal(1), CONTRACT), ("Installation hours", hours, HOUR))):
                quote_lines.add(ids[QuoteLine].take(1)[0], quote_id, position, text, quantity,
                                price, quantity * price)
    balances = Rows(Balance, ["id", "organization_id", "customer_id", "currency", "amount"])
    for (org_id, customer_id), amount in sorted(owed.items()):
        balances.add(ids[Balance].take(1)[0], org_id, customer_id, "EUR", amount)
    with transaction.atomic():
        skip_foreign_key_checks()
        for table in (quotes, quote_lines, invoices, invoice_lines, entries, balances):
            table.write()
    measured = orgs[0][0].organization
    PortalSettings.objects.filter(organization=measured).update(show_balance=True)
    shown = (Invoice.objects.for_org(measured).filter(customer_id=big_customer,
                                                      number__isnull=False)
             .order_by("-pk").values_list("number", flat=True).first())
    found["billing"] = {
        "newest_invoice_id": Invoice.objects.for_org(measured).order_by("-pk")
        .values_list("pk", flat=True).first(),
        "big_newest_invoice_number": shown,
        "big_entries": LedgerEntry.objects.filter(customer_id=big_customer).count(),
        "invoices": Invoice.objects.for_org(measured).count(),
    }
    return found


def _owners(rng: random.Random, rows: OrgRows, count: int, big_customer: int, big_count: int
            ) -> list[int]:
    """The customer of each of `count` documents, in order: `big_count` of them the big
    customer's, the others drawn from the other customers."""
    others = [pk for pk in rows.customer_ids if pk != big_customer]
    owners = [big_customer] * big_count + [rng.choice(others)
                                           for _ in range(max(count - big_count, 0))]
    rng.shuffle(owners)
    return owners


def _invoice_status(rng: random.Random, age: float) -> InvoiceStatus:
    """Old invoices are paid (a few cancelled or approved and left unpaid); the newest tenth
    are mostly issued, some disputed, some still drafts."""
    draw = rng.random()
    if age < 0.9:
        return (InvoiceStatus.PAID if draw < 0.85 else InvoiceStatus.CANCELLED if draw < 0.9
                else InvoiceStatus.APPROVED)
    return (InvoiceStatus.ISSUED if draw < 0.7 else InvoiceStatus.DISPUTED if draw < 0.8
            else InvoiceStatus.DRAFT)


def models_loaded() -> list[Any]:
    """The tables whose id sequences move past the rows written here."""
    return [Quote, QuoteLine, Invoice, InvoiceLine, LedgerEntry, Balance]
