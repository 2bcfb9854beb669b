"""What a customer sees of quotes, invoices and their account, in one place (STYLE: "what a
customer may see … is one function"), used by every portal page of billing.

- Only a password session sees any of it: a passwordless link reaches its person's requests
  and nothing else (SPEC P4).
- Only the tabs the organization switched on (PortalSettings.show_*), and of those the ones
  this person may use (PortalUser.sees_*; SPEC P15).
- Only the viewer's own customer's documents (SPEC P7), never a draft: a quote once sent, an
  invoice once issued (it has a number then).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Count, QuerySet, Sum
from django.db.models.functions import Cast

from frontdesk.billing.models import Invoice, Quote, QuoteStage
from frontdesk.billing.queries import (
    INVOICE_ROW,
    QUOTE_ROW,
    Account,
    account,
    list_rows,
)
from frontdesk.lib.paging import Page, page_of
from frontdesk.lib.prepared import prepared
from frontdesk.portal.auth import PortalViewer
from frontdesk.portal.models import PortalSettings


def tabs_shown(viewer: PortalViewer | None, portal_settings: PortalSettings) -> dict[str, bool]:
    """Which billing tabs the viewer has."""
    if viewer is None or viewer.via_link:
        return {"quotes": False, "invoices": False, "balance": False}
    person = viewer.portal_user
    return {"quotes": portal_settings.show_quotes and person.sees_quotes,
            "invoices": portal_settings.show_invoices and person.sees_invoices,
            "balance": portal_settings.show_balance and person.sees_balance}


def quotes_visible_to(viewer: PortalViewer) -> QuerySet[Quote]:
    portal_user = viewer.portal_user
    return (Quote.objects.for_org(portal_user.organization_id)
            .filter(customer_id=portal_user.customer_id).exclude(stage=QuoteStage.DRAFT))


def invoices_visible_to(viewer: PortalViewer) -> QuerySet[Invoice]:
    portal_user = viewer.portal_user
    return (Invoice.objects.for_org(portal_user.organization_id)
            .filter(customer_id=portal_user.customer_id, number__isnull=False))


@prepared
def _customer_quote_rows(org_id: int, customer_id: int, before: int | None,
                         after: int | None) -> QuerySet[Any]:
    quotes = (Quote.objects.for_org(org_id).filter(customer_id=customer_id)
              .exclude(stage=QuoteStage.DRAFT))
    return list_rows(quotes, QUOTE_ROW, before, after)


@prepared
def _customer_invoice_rows(org_id: int, customer_id: int, before: int | None,
                           after: int | None) -> QuerySet[Any]:
    invoices = Invoice.objects.for_org(org_id).filter(customer_id=customer_id,
                                                     number__isnull=False)
    return list_rows(invoices, INVOICE_ROW, before, after)


def quote_page_visible_to(viewer: PortalViewer, before: int | None, after: int | None
                          ) -> Page[Any]:
    """A page of the viewer's customer's quotes (as `quotes_visible_to`), newest first."""
    portal_user = viewer.portal_user
    return page_of(_customer_quote_rows(portal_user.organization_id, portal_user.customer_id,
                                        before, after), before, after)


def invoice_page_visible_to(viewer: PortalViewer, before: int | None, after: int | None
                            ) -> Page[Any]:
    """A page of the viewer's customer's invoices (as `invoices_visible_to`), newest first."""
    portal_user = viewer.portal_user
    return page_of(_customer_invoice_rows(portal_user.organization_id,
                                          portal_user.customer_id, before, after),
                   before, after)


def account_visible_to(viewer: PortalViewer, older_than: tuple[dt.date, int] | None
                       ) -> Account:
    """A page of the viewer's customer's account."""
    portal_user = viewer.portal_user
    return account(portal_user.organization_id, portal_user.customer_id, older_than)


def invoice_figures_visible_to(viewer: PortalViewer) -> list[Any]:
    """How many of the viewer's customer's invoices are in each status, with their total per
    currency (the portal home's chart, SPEC P14). One query."""
    return list(invoices_visible_to(viewer).order_by().values("status", "currency")
                .annotate(count=Count("pk"), total=Sum("total"))
                .order_by("status", "currency")
                .values_list("status", "currency", "count", "total", named=True))


RECENT_INVOICES = 5


def recent_invoices_of(org_id: int, customer_id: int) -> QuerySet[Any]:
    """The customer's newest invoices (RECENT_INVOICES), as `invoices_visible_to` shows them,
    as a query to read along with others (portal/home.py); `total_text`: the total as text,
    never a float."""
    return (Invoice.objects.for_org(org_id)
            .filter(customer_id=customer_id, number__isnull=False).order_by("-pk")
            .annotate(total_text=Cast("total", CharField()))[:RECENT_INVOICES])
