"""What billing's actions tell others (services.py): the customer's activity line (SPEC C8), and
the e-mails to the customer's people and to the document's maker (SPEC E1), built at delivery
(emails.py)."""

from __future__ import annotations

from typing import Any

from frontdesk.accounts.models import User
from frontdesk.billing.models import Invoice, Quote
from frontdesk.customers import activity
from frontdesk.mail.services import Email, queue_emails
from frontdesk.portal.models import PortalMembership, PortalUser


def record(document: Quote | Invoice, kind: str, *, by: User | None = None,
           portal_user: PortalUser | None = None, **data: Any) -> None:
    """The customer's activity line (SPEC C8) of what happened to `document`."""
    activity.record(customer=document.customer_id, organization_id=document.organization_id,
                    kind=kind, by=by, by_portal_user=portal_user, number=document.number,
                    **data)


def tell_customer(document: Quote | Invoice, kind: str, key: str, tab: str) -> None:
    """E-mail the customer's people who can log in to the portal (a password: a link session
    sees no billing) and may use the tab `tab` (sees_quotes, sees_invoices) about
    `document`, its own people and those acting for it (SPEC X7)."""
    organization = document.organization
    people = (PortalUser.objects.for_org(organization).filter(
        customer_id=document.customer_id, is_active=True, **{tab: True})
        .exclude(password="").order_by("pk"))
    # And those of other customers acting for this one with that tab (SPEC X7): their
    # e-mail names the customer, so that their link acts for it.
    members = (PortalMembership.objects.filter(
        customer_id=document.customer_id, portal_user__is_active=True, **{tab: True})
        .exclude(portal_user__password="").select_related("portal_user").order_by("pk"))
    queue_emails([Email(kind=kind, to=person.email, organization=organization,
                        language=person.language or organization.language,
                        context={"portal_user_id": person.pk, key: document.pk})
                  for person in people]
                 + [Email(kind=kind, to=member.portal_user.email, organization=organization,
                          language=member.portal_user.language or organization.language,
                          context={"portal_user_id": member.portal_user_id, key: document.pk,
                                   "customer_id": document.customer_id})
                    for member in members])


def tell_creator(document: Quote | Invoice, key: str, answer: str) -> None:
    """E-mail the staff member who made `document` that the customer answered."""
    creator = (None if document.creator_id is None
               else User.objects.filter(pk=document.creator_id, is_active=True).first())
    if creator is None:
        return
    organization = document.organization
    queue_emails([Email(kind="billing.customer_answered", to=creator.email,
                        organization=organization,
                        language=creator.language or organization.language,
                        context={"user_id": creator.pk, key: document.pk, "answer": answer})])
