"""Portal sessions: a separate identity from staff, one per organization.

A portal session lives under its own key in the session (never `_auth_user_id`), so nothing
under /app/ ever treats a portal user as signed in. A session opened by a passwordless link
remembers the link: it ends when the link is revoked or expires, and it only reaches the
requests of that person (see support.visibility).

A person may act for several customers of the organization (SPEC X7: PortalMembership). The
session names the one they act for now ("customer"; none: their own, PortalUser.customer),
and the viewer's `portal_user` is the person as they act for it: its `customer_id` and
billing tabs (`sees_*`) are that customer's, so every page and function that scopes by the
viewer's customer keeps each customer's data apart without knowing of memberships. Such an
instance is never saved whole (actions save named fields only).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime

from frontdesk.accounts.sessions import PORTAL_KEY_PREFIX, portal_user_id_of
from frontdesk.lib.json_rows import JSONRows
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import (
    AccessLink,
    CustomerAccess,
    PortalFor,
    PortalMembership,
    PortalSettings,
    PortalUser,
    SeenByDefault,
)


class CustomerChoice(NamedTuple):
    """A customer a person may act for in the portal (SPEC X7), as the switcher names it."""

    id: int
    name: str


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
    # The customers the person may switch between, the current one among them (SPEC X7):
    # empty for a person of one customer, and for a link (it stays with its customer).
    customers: tuple[CustomerChoice, ...] = ()

    @property
    def customer_id(self) -> int:
        """The customer the viewer acts for now."""
        return self.portal_user.customer_id

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
                      link: AccessLink | None = None, customer_id: int | None = None) -> None:
    """Sign `portal_user` in, acting for `customer_id` (one of theirs, SPEC X7; None: their
    own). A link's session acts for the customer the link was sent for."""
    if link is not None:
        customer_id = link.customer_id
    session.cycle_key()
    session[_session_key(portal_user.organization_id)] = {
        "user": portal_user.pk,
        "link": link.pk if link else None,
        "fp": _password_fingerprint(portal_user),
        "customer": customer_id,
    }
    PortalUser.objects.filter(pk=portal_user.pk).update(last_login_at=timezone.now())


def switch_customer(session: SessionBase, viewer: PortalViewer, customer_id: int) -> bool:
    """Act for another of the viewer's customers from the next page on (SPEC X7). False, and
    nothing changed, unless it is one they may switch to now (`viewer.customers`: theirs, of
    this organization, open to them in the portal; never in a link's session)."""
    if viewer.via_link or customer_id not in {choice.id for choice in viewer.customers}:
        return False
    key = _session_key(viewer.portal_user.organization_id)
    data = session.get(key)
    if not isinstance(data, dict):
        return False
    session[key] = {**data, "customer": customer_id}
    return True


def logout_portal_user(session: SessionBase, organization: Organization) -> None:
    session.pop(_session_key(organization.pk), None)
    session.cycle_key()


@prepared
def _active_portal_user(portal_user_id: int, org_id: int) -> QuerySet[PortalUser, Any]:
    return PortalUser.objects.for_org(org_id).filter(
        pk=portal_user_id, is_active=True).values_list(_viewer_object())[:1]


@prepared
def _usable_link(link_id: int, portal_user_id: int, now: dt.datetime
                 ) -> QuerySet[AccessLink]:
    return AccessLink.objects.usable(now).filter(pk=link_id, portal_user_id=portal_user_id)[:1]


# What a portal page needs of its viewer, read along with the page's first query
# (`viewer_of_session`); the other fields are loaded if something asks for them.
VIEWER_FIELDS = ("id", "organization_id", "customer_id", "email", "first_name", "last_name",
                 "language", "password", "is_active", "sees_quotes", "sees_invoices",
                 "sees_balance", "sees_shared")


_VIEWER_FLAGS = ("is_active", "sees_quotes", "sees_invoices", "sees_balance", "sees_shared")

# Of each further customer a person acts for (SPEC X7): its id and name, their tabs there,
# and the customer's portal terms (`_Acting`).
_MEMBERSHIP_ROW = ("customer_id", "customer__short_name", "sees_quotes", "sees_invoices",
                   "sees_balance", "sees_shared", "customer__portal_access__allowed",
                   "customer__portal_access__since")


def _viewer_object() -> JSONObject:
    """Of a portal user's row: VIEWER_FIELDS, their own customer's name and portal terms
    (NULL for none), and the further customers they act for with each one's tabs and terms
    (`memberships`, JSONRows): all a page needs to know who looks, for which customer, on
    which terms, read in the page's first statement."""
    memberships = JSONRows(PortalMembership.objects.filter(portal_user_id=OuterRef("pk"))
                           .order_by("customer__short_name", "customer_id"), _MEMBERSHIP_ROW)
    return JSONObject(**{name: name for name in VIEWER_FIELDS},
                      customer_name="customer__short_name",
                      access_allowed="customer__portal_access__allowed",
                      access_since="customer__portal_access__since",
                      memberships=memberships)


def viewer_of_session(session_key: str, now: dt.datetime) -> Subquery:
    """For a query of an organization's rows (`organization` = OuterRef): the active portal
    user of that organization whom the session's column names, as the JSON object of
    `_viewer_object`. `portal_viewer` accepts it only if the data names them."""
    return Subquery(PortalUser.objects.filter(
        pk=portal_user_id_of(session_key, now), organization=OuterRef("organization"),
        is_active=True,
    ).values(viewer=_viewer_object())[:1])


def _json_datetime(value: Any) -> dt.datetime | None:
    # PostgreSQL's JSON writes an offset; SQLite's the stored UTC text without one.
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


class _Acting(NamedTuple):
    """One customer a person may act for: its id and name, the person's tabs there, and the
    customer's portal terms (CustomerAccess.allowed and since; None without a row)."""

    customer_id: int
    name: str
    sees_quotes: bool
    sees_invoices: bool
    sees_balance: bool
    sees_shared: bool
    allowed: bool | None
    since: dt.datetime | None


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _viewer_from_row(row: dict[str, Any], db: str | None
                     ) -> tuple[PortalUser, list[_Acting]]:
    """The person of a `_viewer_object` row, and the customers they act for, their own first."""
    # Booleans come as 1 and 0 from SQLite's JSON.
    values = {**row, **{name: bool(row[name]) for name in _VIEWER_FLAGS}}
    person = PortalUser.from_db(db, list(VIEWER_FIELDS), [values[name] for name in VIEWER_FIELDS])
    acting = [_Acting(person.customer_id, row.get("customer_name") or "", person.sees_quotes,
                      person.sees_invoices, person.sees_balance, person.sees_shared,
                      _optional_bool(row.get("access_allowed")),
                      _json_datetime(row.get("access_since")))]
    memberships = row.get("memberships")
    if isinstance(memberships, str):  # JSON text within the JSON object
        memberships = json.loads(memberships)
    for customer_id, name, quotes, invoices, balance, shared, allowed, since in (
            memberships or ()):
        acting.append(_Acting(customer_id, name, bool(quotes), bool(invoices), bool(balance),
                              bool(shared), _optional_bool(allowed), _json_datetime(since)))
    return person, acting


def _act_as(portal_user: PortalUser, acting: _Acting) -> PortalUser:
    """`portal_user` acting for `acting`'s customer, with their tabs there (a copy, unless it
    is their own customer and tabs already)."""
    if (portal_user.customer_id, portal_user.sees_quotes, portal_user.sees_invoices,
            portal_user.sees_balance, portal_user.sees_shared) == acting[:1] + acting[2:6]:
        return portal_user
    person = copy.copy(portal_user)
    person._state = copy.copy(portal_user._state)
    # Its organization stays cached; its own customer's object is not this customer's.
    person._state.fields_cache = {name: value for name, value
                                  in portal_user._state.fields_cache.items()
                                  if name != "customer"}
    person.customer_id = acting.customer_id
    (person.sees_quotes, person.sees_invoices, person.sees_balance,
     person.sees_shared) = acting[2:6]
    return person


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
    customer_id = data.get("customer")
    if read_along is None or read_along.get("id") != user_id:
        found = _active_portal_user(user_id, organization.pk)
        if not found:
            return None
        read_along = found[0][0]
    person, acting = _viewer_from_row(read_along, organization._state.db)
    # The customer the session acts for; their own when it names none, or one they no
    # longer act for (the membership was removed: that customer is out of reach at once).
    current = next((item for item in acting if item.customer_id == customer_id), acting[0])
    may_use, only_own, since = viewer_terms(portal_settings, current.allowed, current.since)
    if not may_use:
        return None
    person.organization = organization  # the one the request already loaded
    link = None
    if link_id is not None:
        links = _usable_link(link_id, person.pk, timezone.now())
        # A link acts only for the customer it was sent for (None: the person's own).
        if not links or (links[0].customer_id or person.customer_id) != current.customer_id:
            return None
        link = links[0]
    elif not constant_time_compare(data.get("fp", ""), _password_fingerprint(person)):
        return None
    choices: tuple[CustomerChoice, ...] = ()
    if link is None and len(acting) > 1:
        # Only the customers whose terms let them in (SPEC P10): the others are not offered
        # and cannot be switched to.
        choices = tuple(CustomerChoice(item.customer_id, item.name) for item in acting
                        if viewer_terms(portal_settings, item.allowed, item.since)[0])
    return PortalViewer(portal_user=_act_as(person, current), link=link, only_own=only_own,
                        since=since, customers=choices)


def refresh_fingerprint(session: SessionBase, portal_user: PortalUser) -> None:
    """After the person sets a password in this session, keep this session signed in."""
    key = _session_key(portal_user.organization_id)
    data = session.get(key)
    if isinstance(data, dict):
        session[key] = {**data, "link": None, "fp": _password_fingerprint(portal_user)}


def viewer_outside_a_page(portal_user: PortalUser, *, in_portal: bool = True,
                          portal_settings: PortalSettings | None = None,
                          customer_id: int | None = None) -> PortalViewer | None:
    """`portal_user` as a password viewer of their portal, acting for `customer_id` (one of
    the customers they act for, SPEC X7; None: their own), on their organization's and that
    customer's terms (SPEC P10), where no page read them: for e-mails to customers. None
    when they lost access, do not act for that customer, or, `in_portal`, when the portal is
    not open to that customer (what they may read by e-mail is still what they would see in
    the portal). `portal_settings`: their organization's, where the caller has them already."""
    if not portal_user.is_active:
        return None
    if portal_settings is None:
        portal_settings = PortalSettings.objects.filter(
            organization_id=portal_user.organization_id).first()
    acting = _acting_for(portal_user, customer_id)
    if acting is None:
        return None
    may_use, only_own, since = viewer_terms(portal_settings, acting.allowed, acting.since)
    if in_portal and not may_use:
        return None
    return PortalViewer(portal_user=_act_as(portal_user, acting), only_own=only_own,
                        since=since)


def _acting_for(portal_user: PortalUser, customer_id: int | None) -> _Acting | None:
    """`portal_user`'s tabs and the terms of `customer_id` (their own for None), if they act
    for it."""
    if customer_id is None or customer_id == portal_user.customer_id:
        access = CustomerAccess.objects.filter(customer_id=portal_user.customer_id).first()
        return _Acting(portal_user.customer_id, "", portal_user.sees_quotes,
                       portal_user.sees_invoices, portal_user.sees_balance,
                       portal_user.sees_shared,
                       access.allowed if access else None, access.since if access else None)
    found = (PortalMembership.objects.filter(portal_user_id=portal_user.pk,
                                             customer_id=customer_id)
             .values_list(*_MEMBERSHIP_ROW).first())
    return None if found is None else _Acting(*found)


def customer_to_open(portal_user: PortalUser, portal_settings: PortalSettings | None
                     ) -> int | None:
    """The customer a password log-in acts for (SPEC X7): the person's own, or where the
    portal is not open to it (SPEC P10), the first of the others that it is open to; None
    when it is open to none of theirs (or they lost access)."""
    if not portal_user.is_active:
        return None
    own = _acting_for(portal_user, None)
    assert own is not None
    others = (PortalMembership.objects.filter(portal_user_id=portal_user.pk)
              .order_by("customer__short_name", "customer_id").values_list(*_MEMBERSHIP_ROW))
    for item in [own, *(_Acting(*row) for row in others)]:
        if viewer_terms(portal_settings, item.allowed, item.since)[0]:
            return item.customer_id
    return None


def shared_work_shown(viewer: PortalViewer | None, portal_settings: PortalSettings) -> bool:
    """Whether the viewer has the portal's module of the tasks and files shared with their
    customer (SPEC P15, P16): where the organization shows it, to people signed in with a
    password (a link reaches only its person's own requests), who have the tab."""
    return (viewer is not None and not viewer.via_link and portal_settings.show_documents
            and viewer.portal_user.sees_shared)
