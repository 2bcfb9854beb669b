"""Rating links (SPEC X2): the e-mail that tells a requester their request was closed carries
one link per rating, each opening a page where they confirm it (a GET changes nothing: mail
scanners follow links) without signing in.

A rating link is a credential for one request and one portal user, and for nothing else: it
opens no portal session. Its token is signed (django.core.signing, with a salt of its own)
and names an `AccessLink` row and the request. The row is made for the e-mail and its own
secret thrown away (that secret would open a session); it is what makes the rating link
expire with the other links (`FRONTDESK_LINK_DAYS`) and stop working when the person's links
are revoked (`revoke_access_links`, `set_portal_access`) or they lose access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

from frontdesk.lib.jinja import absolute_url
from frontdesk.lib.tokens import new_token
from frontdesk.organizations.models import Organization
from frontdesk.portal.auth import viewer_outside_a_page
from frontdesk.portal.models import AccessLink, PortalSettings, PortalUser
from frontdesk.support.models import Rating, Task
from frontdesk.support.visibility import requests_visible_to

# A signature made for rating links is no signature of anything else of the project's.
_SALT = "frontdesk.portal.rating_link"


@dataclass(frozen=True)
class RatingLink:
    """What a valid rating link lets its holder do: rate `task` as `portal_user`."""

    portal_user: PortalUser
    task: Task


def mint_rating_token(portal_user: PortalUser, task: Task) -> str:
    """A new rating token for `portal_user`'s request `task` (its requester). Called by the
    e-mail builder at delivery time, so the token exists only in the e-mail."""
    _secret, hashed = new_token()  # the secret is not kept: this row opens no session
    link = AccessLink.objects.create(
        organization_id=portal_user.organization_id, portal_user=portal_user,
        customer_id=None if task.customer_id == portal_user.customer_id else task.customer_id,
        token_hash=hashed,
        expires_at=timezone.now() + dt.timedelta(days=settings.FRONTDESK_LINK_DAYS))
    return signing.Signer(salt=_SALT).sign(f"{link.pk}.{task.pk}")


def rating_urls(portal_user: PortalUser, task: Task) -> list[tuple[str, str]]:
    """(label, absolute URL) of each rating, all with one new token, for an e-mail."""
    token = mint_rating_token(portal_user, task)
    base = absolute_url("portal:rate_by_link", task.organization.slug, task.pk, token)
    return [(str(label), f"{base}?rating={value}") for value, label in Rating.choices]


def open_rating_link(*, organization: Organization, portal_settings: PortalSettings,
                     task_id: int, token: str) -> RatingLink | None:
    """The request and person a rating token of this organization is good for, if `task_id`
    is its request; None for a tampered or made-up token, another request's or
    organization's, an expired or revoked link, a person who lost access (or whose customer
    the portal is no longer open to, SPEC P10), or a request that is no longer theirs to see
    as its requester (moved to another customer, another requester). Reads only."""
    try:
        link_id, signed_task_id = (int(part) for part in
                                   signing.Signer(salt=_SALT).unsign(token).split("."))
    except (signing.BadSignature, ValueError):
        return None
    if signed_task_id != task_id:
        return None
    link = (AccessLink.objects.usable().for_org(organization).select_related("portal_user")
            .filter(pk=link_id).first())
    if link is None:
        return None
    person = link.portal_user
    viewer = viewer_outside_a_page(person, portal_settings=portal_settings,
                                   customer_id=link.customer_id)
    if viewer is None:
        return None
    task = requests_visible_to(viewer).filter(pk=task_id, requester_id=person.pk).first()
    return None if task is None else RatingLink(portal_user=person, task=task)
