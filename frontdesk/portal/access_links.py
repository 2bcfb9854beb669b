"""Passwordless links to the customer portal (SPEC P3, P4): made for each e-mail that
carries one, used, sent again on request, revoked; and a person's portal access, which ends
their links when revoked (P9)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.customers import activity
from frontdesk.customers.models import Activity
from frontdesk.lib.tokens import hash_token, new_token
from frontdesk.mail.services import queue_email
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import AccessLink, PortalUser


def mint_access_link(portal_user: PortalUser, *, customer_id: int | None = None) -> str:
    """A new passwordless link for `portal_user`, acting for `customer_id` (one they act for,
    SPEC X7; None: their own); returns the token (only its hash is kept).

    Called by the e-mail builders at delivery time, so the token exists only in the e-mail.
    """
    raw, hashed = new_token()
    AccessLink.objects.create(
        organization_id=portal_user.organization_id, portal_user=portal_user,
        customer_id=None if customer_id == portal_user.customer_id else customer_id,
        token_hash=hashed,
        expires_at=timezone.now() + dt.timedelta(days=settings.FRONTDESK_LINK_DAYS),
    )
    return raw


def use_access_link(*, organization: Organization, token: str) -> AccessLink | None:
    """The usable link of this organization behind `token`, or None (guessed, expired,
    revoked, another organization's, or its person lost access)."""
    link = (AccessLink.objects.usable().for_org(organization)
            .select_related("portal_user").filter(token_hash=hash_token(token)).first())
    if link is not None:
        AccessLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link


def revoke_access_links(*, portal_user: PortalUser) -> int:
    """End every passwordless link (and the sessions opened with them) of this person."""
    return AccessLink.objects.filter(portal_user=portal_user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


@transaction.atomic
def set_portal_access(*, portal_user: PortalUser, active: bool, by: User | None = None
                      ) -> None:
    """Revoke a portal user's access (their sessions end, their passwordless links stop
    working) or grant it again (SPEC P9). Their requests and posts stay."""
    with transaction.atomic():
        PortalUser.objects.filter(pk=portal_user.pk).update(is_active=active)
        portal_user.is_active = active
        if not active:
            revoke_access_links(portal_user=portal_user)
        activity.record(customer=portal_user.customer_id,
                        organization_id=portal_user.organization_id,
                        kind=Activity.Kind.PORTAL_ACCESS, by=by, email=portal_user.email,
                        state="granted" if active else "revoked")


def send_new_link(*, organization: Organization, email: str) -> None:
    """E-mail a fresh link if this address belongs to an active portal user here. Says
    nothing either way: the page must not reveal who is known."""
    portal_user = (PortalUser.objects.for_org(organization)
                   .filter(email=normalize_email_address(email), is_active=True).first())
    if portal_user is None:
        return
    queue_email(kind="portal.access_link", to=portal_user.email, organization=organization,
                language=portal_user.language or organization.language,
                context={"portal_user_id": portal_user.pk})
