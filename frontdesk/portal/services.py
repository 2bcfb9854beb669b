"""Actions of the customer portal: requesters, passwordless links, passwords."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.core.models import RateCounter
from frontdesk.customers import activity
from frontdesk.customers import announce as customer_announce
from frontdesk.customers.models import Activity, Customer
from frontdesk.customers.services import find_customer_by_email, new_requester_customer
from frontdesk.lib.inserts import Insert, new
from frontdesk.lib.prepared import prepared
from frontdesk.lib.tokens import hash_token, new_token
from frontdesk.mail.services import Email, queue_email, queue_emails
from frontdesk.organizations.models import Organization
from frontdesk.portal.look import check_css, css_version
from frontdesk.portal.models import (
    AccessLink,
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


def set_portal_modules(*, portal_user: PortalUser, quotes: bool, invoices: bool,
                       balance: bool, shared: bool = True) -> None:
    """Which of the portal's tabs this person may use (SPEC P15), where the organization
    shows them: e.g. invoices for the billing contact only; `shared`: the tasks and files
    shared with the customer (SPEC P16)."""
    PortalUser.objects.filter(pk=portal_user.pk).update(
        sees_quotes=quotes, sees_invoices=invoices, sees_balance=balance, sees_shared=shared)
    (portal_user.sees_quotes, portal_user.sees_invoices, portal_user.sees_balance,
     portal_user.sees_shared) = (quotes, invoices, balance, shared)


MAX_INVITATIONS = 50


@dataclass
class Invitations:
    """What `invite_portal_users` did with each address."""

    invited: list[str] = field(default_factory=list)  # new portal users, or invited again
    elsewhere: list[str] = field(default_factory=list)  # another customer's portal users
    revoked: list[str] = field(default_factory=list)  # this customer's, without access


def invite_portal_users(*, customer: Customer, emails: Sequence[str], by: User) -> Invitations:
    """Give these people access to the customer's portal account (SPEC P8): a portal user for
    each new address, joined to `customer`, and an invitation e-mail with a link that opens
    the portal and asks them to choose a password. Someone of this customer already is
    invited again; someone of another customer stays theirs (moving people is another
    action), and so does someone whose access was revoked. Addresses must be valid."""
    organization = Organization.objects.get(pk=customer.organization_id)
    addresses = list(dict.fromkeys(normalize_email_address(email) for email in emails
                                   if email.strip()))
    if not addresses:
        raise ValidationError({"emails": _("Write at least one e-mail address.")})
    if len(addresses) > MAX_INVITATIONS:
        raise ValidationError({"emails": _("At most %(num)s addresses at a time.")
                               % {"num": MAX_INVITATIONS}})
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise ValidationError({"emails": _("Not an e-mail address: %(list)s")
                               % {"list": ", ".join(bad)}})
    known = {person.email: person for person in
             PortalUser.objects.for_org(organization).filter(email__in=addresses)}
    result = Invitations()
    to_invite: list[PortalUser] = []
    with transaction.atomic():
        for address in addresses:
            person = known.get(address)
            if person is None:
                person = PortalUser.objects.create(organization=organization,
                                                   customer=customer, email=address,
                                                   first_name="")
            elif person.customer_id != customer.pk:
                result.elsewhere.append(address)
                continue
            elif not person.is_active:
                result.revoked.append(address)
                continue
            to_invite.append(person)
            result.invited.append(address)
            activity.record(customer=customer, organization_id=organization.pk,
                            kind=Activity.Kind.PORTAL_INVITED, by=by, email=address)
        queue_emails([Email(kind="portal.invitation", to=person.email,
                            organization=organization,
                            language=person.language or organization.language,
                            context={"portal_user_id": person.pk,
                                     "inviter": by.full_name or by.email})
                      for person in to_invite])
    return result


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
