"""What a customer sees of quotes, invoices and their account, in one place (STYLE: "what a
customer may see … is one function"), used by every portal page of billing.

- Only a password session sees any of it: a passwordless link reaches its person's requests
  and nothing else (SPEC P4).
- Only the tabs the organization switched on (PortalSettings.show_*; SPEC P15).
- Only the viewer's own customer's documents (SPEC P7), never a draft: a quote once sent, an
  invoice once issued (it has a number then).
"""

from __future__ import annotations

from django.db.models import QuerySet

from frontdesk.billing.models import Balance, Invoice, LedgerEntry, Quote, QuoteStage
from frontdesk.portal.auth import PortalViewer
from frontdesk.portal.models import PortalSettings


def tabs_shown(viewer: PortalViewer | None, portal_settings: PortalSettings) -> dict[str, bool]:
    """Which billing tabs the viewer has."""
    password = viewer is not None and not viewer.own_requests_only
    return {"quotes": password and portal_settings.show_quotes,
            "invoices": password and portal_settings.show_invoices,
            "balance": password and portal_settings.show_balance}


def quotes_visible_to(viewer: PortalViewer) -> QuerySet[Quote]:
    portal_user = viewer.portal_user
    return (Quote.objects.for_org(portal_user.organization_id)
            .filter(customer_id=portal_user.customer_id).exclude(stage=QuoteStage.DRAFT))


def invoices_visible_to(viewer: PortalViewer) -> QuerySet[Invoice]:
    portal_user = viewer.portal_user
    return (Invoice.objects.for_org(portal_user.organization_id)
            .filter(customer_id=portal_user.customer_id, number__isnull=False))


def entries_visible_to(viewer: PortalViewer) -> QuerySet[LedgerEntry]:
    portal_user = viewer.portal_user
    return (LedgerEntry.objects.for_org(portal_user.organization_id)
            .filter(customer_id=portal_user.customer_id))


def balances_visible_to(viewer: PortalViewer) -> QuerySet[Balance]:
    portal_user = viewer.portal_user
    return (Balance.objects.for_org(portal_user.organization_id)
            .filter(customer_id=portal_user.customer_id))
