from __future__ import annotations

from decimal import Decimal

from frontdesk.accounts.models import User
from frontdesk.billing import services
from frontdesk.billing.documents import DocumentData, LineData
from frontdesk.billing.models import Invoice, Quote
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalSettings


def document(title: str = "Website care", *lines: tuple[str, str, str], tax: str = "0",
             currency: str = "EUR") -> DocumentData:
    """A quote's or an invoice's data: lines of (description, quantity, unit price)."""
    lines = lines or (("Hosting, one year", "1", "120.00"), ("Support hours", "2.5", "80.00"))
    return DocumentData(title=title, currency=currency, tax_rate=Decimal(tax), note="",
                        lines=[LineData(d, Decimal(q), Decimal(p)) for d, q, p in lines])


def line_post(*lines: tuple[str, str, str], extra: int = 2, **head: str) -> dict[str, str]:
    """The POST of a document's form: its head fields, then the lines' formset (with `extra`
    rows left blank)."""
    data = {"title": "Website care", "currency": "EUR", "tax_rate": "0", "note": "", **head}
    rows = [*lines, *[("", "1", "") for _ in range(extra)]]
    data.update({"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0",
                 "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "100"})
    for index, (description, quantity, price) in enumerate(rows):
        data.update({f"lines-{index}-description": description,
                     f"lines-{index}-quantity": quantity,
                     f"lines-{index}-unit_price": price})
    return data


class BillingTestCase(FrontdeskTestCase):
    def quote(self, customer: Customer | None = None, *, sent: bool = False,
              title: str = "Website care", by: User | None = None) -> Quote:
        customer = customer or self.customer_a1
        organization = self.org_b if customer.organization_id == self.org_b.pk else self.org_a
        quote = services.create_quote(organization=organization, customer=customer,
                                      data=document(title), valid_until=None,
                                      by=by or self.admin_a)
        if sent:
            services.send_quote(quote=quote)
        return quote

    def invoice(self, customer: Customer | None = None, *, issued: bool = False,
                title: str = "Website care", tax: str = "0") -> Invoice:
        customer = customer or self.customer_a1
        organization = self.org_b if customer.organization_id == self.org_b.pk else self.org_a
        invoice = services.create_invoice(organization=organization, customer=customer,
                                          contact=None, data=document(title, tax=tax),
                                          by=self.admin_a)
        if issued:
            services.issue_invoice(invoice=invoice, by=self.admin_a)
        return invoice

    def customer_b(self) -> Customer:
        return Customer.objects.create(organization=self.org_b, short_name="Umbrella")

    def portal_tabs(self, **switches: bool) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(**switches)
