"""Actions of the customer portal: requesters (the public form, portal requests, sign-up),
profiles, passwords and the portal's settings. Passwordless links and access are in
access_links.py, invitations in invitations.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import normalize_email_address
from frontdesk.core.models import RateCounter
from frontdesk.customers import announce as customer_announce
from frontdesk.customers.models import Customer
from frontdesk.customers.services import find_customer_by_email, new_requester_customer
from frontdesk.lib.inserts import Insert, new
from frontdesk.lib.prepared import prepared
from frontdesk.mail.services import queue_email
from frontdesk.organizations.models import Organization
from frontdesk.portal.access_links import send_new_link
from frontdesk.portal.look import check_css, css_version
from frontdesk.portal.models import (
    CustomerAccess,
    PortalSettings,
    PortalUser,
    RequestsShown,
)
from frontdesk.support.models import Source, Task, Topic
from frontdesk.support.services import NewRequest, create_request


def find_or_create_portal_user(*, organization: Organization, email: str, first_name: str,
                               last_name: str) -> PortalUser:
    """The portal user with this e-mail in this organization; else a new one, without a
    password, joined to the customer whose e-mail or contact e-mail matches, or to a new
    customer record made for them (SPEC P3, P6)."""
    requester = _Requester(organization=organization, email=email, first_name=first_name,
                           last_name=last_name)
    with transaction.atomic():
        person = requester.save()
        if requester.new_customer is not None:
            customer_announce.customer_created(requester.new_customer)
        return person


@prepared
def _portal_users_with_email(org_id: int, email: str) -> QuerySet[PortalUser]:
    return PortalUser.objects.for_org(org_id).filter(email=email)[:1]


class _Requester:
    """Who is writing in, as read before the write transaction: their portal user, or the
    one to create for them (and a customer record unless one has their e-mail), made ready
    to be inserted."""

    def __init__(self, *, organization: Organization, email: str, first_name: str,
                 last_name: str) -> None:
        email = normalize_email_address(email)
        first_name, last_name = first_name.strip(), last_name.strip()
        self.organization, self.email = organization, email
        self._new_customer: Insert[Customer] | None = None
        # The customer record made for them, once saved (`save`); None when none was.
        self.new_customer: Customer | None = None
        self._new_portal_user: Insert[PortalUser] | None = None
        found = _portal_users_with_email(organization.pk, email)
        if found:
            self.portal_user = found[0]
            return
        customer = find_customer_by_email(organization=organization, email=email)
        if customer is None:
            customer = new_requester_customer(
                organization=organization,
                name=f"{first_name} {last_name}".strip() or email.split("@")[0], email=email)
            self._new_customer = Insert([customer])
        self.portal_user = new(PortalUser, organization=organization, customer=customer,
                               email=email, first_name=first_name, last_name=last_name)
        self._new_portal_user = Insert([self.portal_user], unless=("organization", "email"))

    def save(self) -> PortalUser:
        """The portal user, created (with the customer record when new) if need be. Call it
        (once) inside the write transaction. Not `portal_user` when the same person wrote in
        twice at once and the other submission created them first."""
        if self._new_portal_user is None:
            return self.portal_user
        if self._new_customer is not None:
            self.new_customer = self._new_customer.run()[0]
        if self._new_portal_user.run():
            return self.portal_user
        # This one's new customer record is not needed.
        if self.new_customer is not None:
            Customer.objects.filter(pk=self.new_customer.pk).delete()
            self.new_customer = None
        return PortalUser.objects.for_org(self.organization).get(email=self.email)


def submit_public_request(*, organization: Organization, topic: Topic, first_name: str,
                          last_name: str, email: str, title: str, description: str,
                          files: Sequence[UploadedFile] = (),
                          answers: Mapping[str, Any] | None = None,
                          admit: Callable[[], bool] | None = None,
                          source: Source = Source.FORM) -> Task | None:
    """The public support form (SPEC P2, P3): no account needed; `answers`: to the topic's
    form (SPEC T3, services.create_request). Incoming e-mail (SPEC E2) makes its requests here
    too, with `source` EMAIL: the requester is found or made the same way (P6).

    All reads come first (who the requester is), and the rows are made: the write
    transaction then only sends the inserts: on SQLite it is the single writer's turn that
    every other submission waits for. `admit`, when given, runs first (the form's flood
    counters): when it says no, nothing more is written and None is returned.
    """
    requester = _Requester(organization=organization, email=email, first_name=first_name,
                           last_name=last_name)
    request = NewRequest(topic=topic, requester=requester.portal_user, title=title,
                         description=description, files=files, source=source,
                         answers=answers)
    # On SQLite the counters are written in the request's transaction: one writer's turn, not
    # two. On PostgreSQL they are counted first, on their own: the counter row of an address
    # is locked only while it is counted, not while the request is written, and submissions
    # from one address (an office behind one router) do not wait for each other's requests.
    count_apart = connections[router.db_for_write(RateCounter)].vendor != "sqlite"
    if admit is not None and count_apart and not admit():
        return None
    with transaction.atomic():
        if admit is not None and not count_apart and not admit():
            return None
        portal_user = requester.save()
        if portal_user is not requester.portal_user:
            request = NewRequest(topic=topic, requester=portal_user, title=title,
                                 description=description, files=files, source=source,
                                 answers=answers)
        # Its customer.created webhook is the worker's, with the request's notifications: no
        # statement more here (customers.announce.requester_customer_created).
        return request.save(new_customer=requester.new_customer)


def submit_portal_request(*, portal_user: PortalUser, topic: Topic, title: str,
                          description: str, files: Sequence[UploadedFile] = (),
                          answers: Mapping[str, Any] | None = None,
                          cc: Sequence[str] = ()) -> Task:
    """A request made by a signed-in portal user, with the answers to the topic's form and
    the addresses to copy (`cc`, SPEC X5: each a follower added by them; an address of one of
    their customer's people makes that colleague a follower). A refused address
    (ValidationError) leaves no request behind."""
    from frontdesk.support.followers import add_follower

    def submit() -> Task:
        return create_request(topic=topic, requester=portal_user, title=title,
                              description=description, files=files, source=Source.PORTAL,
                              answers=answers)

    if not cc:
        return submit()  # create_request's own transaction: no savepoint more
    with transaction.atomic():
        task = submit()
        for address in cc:
            if address.lower() != portal_user.email.lower():  # they get the e-mails anyway
                add_follower(task=task, email=address, by_portal_user=portal_user)
    return task


def set_portal_modules(*, portal_user: PortalUser, quotes: bool, invoices: bool,
                       balance: bool, shared: bool = True) -> None:
    """Which of the portal's tabs this person may use (SPEC P15), where the organization
    shows them: e.g. invoices for the billing contact only; `shared`: the tasks and files
    shared with the customer (SPEC P16)."""
    PortalUser.objects.filter(pk=portal_user.pk).update(
        sees_quotes=quotes, sees_invoices=invoices, sees_balance=balance, sees_shared=shared)
    (portal_user.sees_quotes, portal_user.sees_invoices, portal_user.sees_balance,
     portal_user.sees_shared) = (quotes, invoices, balance, shared)


def sign_up(*, organization: Organization, email: str, first_name: str, last_name: str
            ) -> None:
    """Someone opens a portal account themselves (SPEC P5): a portal user joined to the
    customer whose e-mail or contact e-mail is theirs, or to a new customer record (P6), and an
    e-mail whose link proves the address and asks for a password. Nothing is reachable before
    that link is opened. Someone known already gets a fresh link instead; the page says the
    same either way, so it does not tell who is known."""
    normalized = normalize_email_address(email)
    known = PortalUser.objects.for_org(organization).filter(email=normalized).first()
    if known is not None:
        if known.is_active:
            send_new_link(organization=organization, email=normalized)
        return
    with transaction.atomic():
        person = find_or_create_portal_user(organization=organization, email=normalized,
                                            first_name=first_name, last_name=last_name)
        queue_email(kind="portal.welcome", to=person.email, organization=organization,
                    language=person.language or organization.language,
                    context={"portal_user_id": person.pk})


def update_profile(*, portal_user: PortalUser, first_name: str, last_name: str,
                   language: str) -> PortalUser:
    """A portal user's own name and language (SPEC P5); their e-mail stays (it is how the
    organization knows them)."""
    portal_user.first_name, portal_user.last_name = first_name.strip(), last_name.strip()
    portal_user.language = language
    portal_user.full_clean(exclude=["customer", "organization", "email", "password"])
    portal_user.save(update_fields=["first_name", "last_name", "language"])
    return portal_user


def set_password(*, portal_user: PortalUser, password: str) -> None:
    """Give a portal user a password (a full portal account from then on)."""
    password_validation.validate_password(password)
    portal_user.set_password(password)
    portal_user.save(update_fields=["password"])


def authenticate(*, organization: Organization, email: str, password: str
                 ) -> PortalUser | None:
    portal_user = (PortalUser.objects.for_org(organization)
                   .filter(email=normalize_email_address(email), is_active=True).first())
    if portal_user is None or not portal_user.check_password(password):
        # Spend the same time as a real check, so timing does not tell who is known.
        PortalUser(password="").set_password(password)
        return None
    return portal_user


PORTAL_SETTINGS_FIELDS = ("public_form_enabled", "display_name", "logo", "form_title",
                          "form_description", "brand_color", "stage_open", "stage_in_progress",
                          "stage_waiting", "stage_closed", "show_quotes", "show_invoices",
                          "show_balance", "show_faq", "signup_enabled", "login_message",
                          "custom_css", "announcement", "greeting", "greeting_text",
                          "home_charts", "home_recent_requests", "home_recent_invoices",
                          "home_recent_faq", "home_recent_documents", "home_handlers",
                          "portal_for", "seen_by_default", "show_documents",
                          "support_reminder_days")


def update_portal_settings(*, portal_settings: PortalSettings, changes: dict[str, Any]
                           ) -> PortalSettings:
    """Change the portal's switches, branding, stage names, tabs and home page (SPEC P1, P2,
    P13, P14, P15, X4). A style sheet that could load from elsewhere is refused (look.py)."""
    days_before = portal_settings.support_reminder_days
    for name, value in changes.items():
        if name not in PORTAL_SETTINGS_FIELDS:
            raise ValueError(f"not a portal setting: {name}")
        setattr(portal_settings, name, value)
    if "custom_css" in changes:
        check_css(portal_settings.custom_css)
        portal_settings.css_version = css_version(portal_settings.custom_css)
    portal_settings.full_clean()
    with transaction.atomic():
        portal_settings.save()
        if portal_settings.support_reminder_days != days_before:
            # Every customer's support-period reminder anew, by the new days (SPEC P18).
            from frontdesk.portal.reminders import schedule_organization

            schedule_organization(organization_id=portal_settings.organization_id,
                                  days=portal_settings.support_reminder_days)
    return portal_settings


def set_customer_access(*, customer: Customer, allowed: bool, shows: str,
                        since: dt.datetime | None = None) -> CustomerAccess:
    """Set one customer's terms in the portal (SPEC P10): whether its people may use it where
    the portal is open only to customers given access, and which of its requests they see
    there: all, those made since `since`, or only new ones (from this moment on). Counts from
    their next page on (auth.portal_viewer reads the terms with every page)."""
    if shows == RequestsShown.SINCE and since is None:
        raise ValidationError(_("Choose the date from which requests are shown."))
    if shows not in RequestsShown.values:
        raise ValidationError(_("Choose which requests are shown."))
    with transaction.atomic():
        access, _created = CustomerAccess.objects.select_for_update().get_or_create(
            customer=customer, defaults={"organization_id": customer.organization_id})
        if shows == RequestsShown.ALL:
            access.since = None
        elif shows == RequestsShown.SINCE:
            access.since = since
        elif access.shows != RequestsShown.NEW or access.since is None:
            access.since = timezone.now()  # "only new ones" counts from when it was chosen
        access.allowed, access.shows = allowed, shows
        access.save()
    return access
