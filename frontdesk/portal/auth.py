"""Portal sessions: a separate identity from staff, one per organization.

A portal session lives under its own key in the session (never `_auth_user_id`), so nothing
under /app/ ever treats a portal user as signed in. A session opened by a passwordless link
remembers the link: it ends when the link is revoked or expires, and it only reaches the
requests of that person (see support.visibility).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from frontdesk.lib.prepared import prepared
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import AccessLink, PortalUser


@dataclass(frozen=True)
class PortalViewer:
    """Who is looking at the portal, and through what: a password login or a link."""

    portal_user: PortalUser
    link: AccessLink | None = None

    @property
    def own_requests_only(self) -> bool:
        """A link reaches only the requests of its person, not the whole customer's."""
        return self.link is not None


def _session_key(organization_id: int) -> str:
    return f"portal:{organization_id}"


def _password_fingerprint(portal_user: PortalUser) -> str:
    # Changing the password ends every other password session of that person.
    return salted_hmac("frontdesk.portal.session", portal_user.password or "-").hexdigest()


def login_portal_user(session: SessionBase, portal_user: PortalUser,
                      link: AccessLink | None = None) -> None:
    session.cycle_key()
    session[_session_key(portal_user.organization_id)] = {
        "user": portal_user.pk,
        "link": link.pk if link else None,
        "fp": _password_fingerprint(portal_user),
    }
    PortalUser.objects.filter(pk=portal_user.pk).update(last_login_at=timezone.now())


def logout_portal_user(session: SessionBase, organization: Organization) -> None:
    session.pop(_session_key(organization.pk), None)
    session.cycle_key()


@prepared
def _active_portal_user(portal_user_id: int, org_id: int) -> QuerySet[PortalUser]:
    return PortalUser.objects.for_org(org_id).filter(pk=portal_user_id, is_active=True)[:1]


@prepared
def _usable_link(link_id: int, portal_user_id: int, now: dt.datetime
                 ) -> QuerySet[AccessLink]:
    return AccessLink.objects.usable(now).filter(pk=link_id, portal_user_id=portal_user_id)[:1]


def portal_viewer(session: SessionBase, organization: Organization) -> PortalViewer | None:
    """The signed-in portal user of `organization`, or None."""
    data = session.get(_session_key(organization.pk))
    if not isinstance(data, dict):
        return None
    user_id, link_id = data.get("user"), data.get("link")
    if not isinstance(user_id, int) or not (link_id is None or isinstance(link_id, int)):
        return None
    found = _active_portal_user(user_id, organization.pk)
    if not found:
        return None
    portal_user = found[0]
    portal_user.organization = organization  # the one the request already loaded
    link = None
    if link_id is not None:
        links = _usable_link(link_id, portal_user.pk, timezone.now())
        if not links:
            return None
        link = links[0]
    elif not constant_time_compare(data.get("fp", ""), _password_fingerprint(portal_user)):
        return None
    return PortalViewer(portal_user=portal_user, link=link)


def refresh_fingerprint(session: SessionBase, portal_user: PortalUser) -> None:
    """After the person sets a password in this session, keep this session signed in."""
    key = _session_key(portal_user.organization_id)
    data = session.get(key)
    if isinstance(data, dict):
        session[key] = {**data, "link": None, "fp": _password_fingerprint(portal_user)}
