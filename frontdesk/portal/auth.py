"""Portal sessions: a separate identity from staff, one per organization.

A portal session lives under its own key in the session (never `_auth_user_id`), so nothing
under /app/ ever treats a portal user as signed in. A session opened by a passwordless link
remembers the link: it ends when the link is revoked or expires, and it only reaches the
requests of that person (see support.visibility).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime

from frontdesk.accounts.sessions import PORTAL_KEY_PREFIX, portal_user_id_of
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import (
    AccessLink,
    CustomerAccess,
    PortalFor,
    PortalSettings,
    PortalUser,
    SeenByDefault,
)


@dataclass(frozen=True)
class PortalViewer:
    """Who is looking at the portal, through what (a password login or a link), and on which
    terms of their organization and customer (SPEC P10: `only_own`, `since`)."""

    portal_user: PortalUser
    link: AccessLink | None = None
    # The organization shows each person only their own requests (SeenByDefault.OWN).
    only_own: bool = False
    # The customer's people see its requests from this moment on (CustomerAccess.since).
    since: dt.datetime | None = None

    @property
    def via_link(self) -> bool:
        return self.link is not None

    @property
    def own_requests_only(self) -> bool:
        """A link reaches only the requests of its person, not the whole customer's; so does
        every session where the organization shows each person only their own."""
        return self.link is not None or self.only_own


def viewer_terms(portal_settings: PortalSettings | None, allowed: bool | None,
                 shows_since: dt.datetime | None) -> tuple[bool, bool, dt.datetime | None]:
    """(may use the portal, sees only their own requests, sees requests since) for a person
    of a customer whose CustomerAccess has `allowed` and `shows_since` (None, None without
    one), under `portal_settings` (SPEC P10)."""
    if portal_settings is None:
        return True, False, shows_since
    may_use = (allowed is not False if portal_settings.portal_for == PortalFor.ALL
               else allowed is True)
    return may_use, portal_settings.seen_by_default == SeenByDefault.OWN, shows_since


def _session_key(organization_id: int) -> str:
    return f"{PORTAL_KEY_PREFIX}{organization_id}"


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
    return PortalUser.objects.for_org(org_id).filter(pk=portal_user_id, is_active=True).annotate(
        access_allowed=F("customer__portal_access__allowed"),
        access_since=F("customer__portal_access__since"))[:1]


@prepared
def _usable_link(link_id: int, portal_user_id: int, now: dt.datetime
                 ) -> QuerySet[AccessLink]:
    return AccessLink.objects.usable(now).filter(pk=link_id, portal_user_id=portal_user_id)[:1]


# What a portal page needs of its viewer, read along with the page's first query
# (`viewer_of_session`); the other fields are loaded if something asks for them.
VIEWER_FIELDS = ("id", "organization_id", "customer_id", "email", "first_name", "last_name",
                 "language", "password", "is_active", "sees_quotes", "sees_invoices",
                 "sees_balance")


_VIEWER_FLAGS = ("is_active", "sees_quotes", "sees_invoices", "sees_balance")


def viewer_of_session(session_key: str, now: dt.datetime) -> Subquery:
    """For a query of an organization's rows (`organization` = OuterRef): the active portal
    user of that organization whom the session's column names, as a JSON object of
    VIEWER_FIELDS and their customer's portal terms (NULL for none). `portal_viewer` accepts
    it only if the data names them."""
    return Subquery(PortalUser.objects.filter(
        pk=portal_user_id_of(session_key, now), organization=OuterRef("organization"),
        is_active=True,
    ).values(viewer=JSONObject(**{name: name for name in VIEWER_FIELDS},
                               access_allowed="customer__portal_access__allowed",
                               access_since="customer__portal_access__since"))[:1])


def _json_datetime(value: Any) -> dt.datetime | None:
    # PostgreSQL's JSON writes an offset; SQLite's the stored UTC text without one.
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _viewer_from_row(row: dict[str, Any], db: str | None
                     ) -> tuple[PortalUser, bool | None, dt.datetime | None]:
    # Booleans come as 1 and 0 from SQLite's JSON.
    values = {**row, **{name: bool(row[name]) for name in _VIEWER_FLAGS}}
    allowed = row.get("access_allowed")
    return (PortalUser.from_db(db, list(VIEWER_FIELDS),
                               [values[name] for name in VIEWER_FIELDS]),
            None if allowed is None else bool(allowed), _json_datetime(row.get("access_since")))


def portal_viewer(session: SessionBase, organization: Organization,
                  read_along: dict[str, Any] | None = None,
                  portal_settings: PortalSettings | None = None) -> PortalViewer | None:
    """The signed-in portal user of `organization`, or None: also when the portal is not open
    to their customer (SPEC P10). `read_along`: what `viewer_of_session` read with the page's
    first query, if it did (else it is read here)."""
    data = session.get(_session_key(organization.pk))
    if not isinstance(data, dict):
        return None
    user_id, link_id = data.get("user"), data.get("link")
    if not isinstance(user_id, int) or not (link_id is None or isinstance(link_id, int)):
        return None
    if read_along is not None and read_along.get("id") == user_id:
        portal_user, allowed, since = _viewer_from_row(read_along, organization._state.db)
    else:
        found = _active_portal_user(user_id, organization.pk)
        if not found:
            return None
        portal_user = found[0]
        allowed = portal_user.access_allowed
        since = portal_user.access_since
    may_use, only_own, since = viewer_terms(portal_settings, allowed, since)
    if not may_use:
        return None
    portal_user.organization = organization  # the one the request already loaded
    link = None
    if link_id is not None:
        links = _usable_link(link_id, portal_user.pk, timezone.now())
        if not links:
            return None
        link = links[0]
    elif not constant_time_compare(data.get("fp", ""), _password_fingerprint(portal_user)):
        return None
    return PortalViewer(portal_user=portal_user, link=link, only_own=only_own, since=since)


def refresh_fingerprint(session: SessionBase, portal_user: PortalUser) -> None:
    """After the person sets a password in this session, keep this session signed in."""
    key = _session_key(portal_user.organization_id)
    data = session.get(key)
    if isinstance(data, dict):
        session[key] = {**data, "link": None, "fp": _password_fingerprint(portal_user)}


def viewer_outside_a_page(portal_user: PortalUser, *, in_portal: bool = True,
                          portal_settings: PortalSettings | None = None
                          ) -> PortalViewer | None:
    """`portal_user` as a password viewer of their portal, on their organization's and
    customer's terms (SPEC P10), where no page read them: for e-mails to customers. None
    when they lost access, or, `in_portal`, when the portal is not open to their customer
    (what they may read by e-mail is still what they would see in the portal).
    `portal_settings`: their organization's, where the caller has them already."""
    if portal_settings is None:
        portal_settings = PortalSettings.objects.filter(
            organization_id=portal_user.organization_id).first()
    access = CustomerAccess.objects.filter(customer_id=portal_user.customer_id).first()
    may_use, only_own, since = viewer_terms(
        portal_settings, access.allowed if access else None, access.since if access else None)
    if (in_portal and not may_use) or not portal_user.is_active:
        return None
    return PortalViewer(portal_user=portal_user, only_own=only_own, since=since)
