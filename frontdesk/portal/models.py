from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontdesk.customers.models import Customer
from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


class Greeting(models.TextChoices):
    NONE = "none", _("No greeting")
    FIXED = "fixed", _("A fixed text")
    BY_TIME = "time", _("By the time of day (good morning, good afternoon …)")


class PortalFor(models.TextChoices):
    ALL = "all", _("Every customer")
    SELECTED = "selected", _("Only the customers given access")


class SeenByDefault(models.TextChoices):
    CUSTOMER = "customer", _("Every request of their customer")
    OWN = "own", _("Only the requests they made themselves")


class PortalSettings(models.Model):
    """How an organization's portal and public support form look and behave (SPEC P1, P2, P13)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        related_name="portal_settings")
    public_form_enabled = models.BooleanField(_("public support form is on"), default=False)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    form_title = models.CharField(_("support form title"), max_length=200, blank=True)
    form_description = models.TextField(_("support form description"), blank=True)
    brand_color = models.CharField(_("brand colour"), max_length=7, blank=True,
                                   help_text=_("A colour like #1a73e8."))
    # What customers call each stage of their requests (SPEC X4); empty: the usual name.
    stage_open = models.CharField(_("customers' name for “Open”"), max_length=60, blank=True,
                                  default="")
    stage_in_progress = models.CharField(_("customers' name for “In progress”"),
                                         max_length=60, blank=True, default="")
    stage_waiting = models.CharField(_("customers' name for “Waiting for reply”"),
                                     max_length=60, blank=True, default="")
    stage_closed = models.CharField(_("customers' name for “Closed”"), max_length=60,
                                    blank=True, default="")
    # The portal's tabs beyond the requests (SPEC P15, B1–B3).
    show_quotes = models.BooleanField(_("show quotes"), default=True)
    show_invoices = models.BooleanField(_("show invoices"), default=True)
    show_balance = models.BooleanField(_("show the balance of the account"), default=False)
    # Anyone may open a portal account with their e-mail address (SPEC P5, P6).
    signup_enabled = models.BooleanField(_("people may sign up themselves"), default=False)
    show_faq = models.BooleanField(_("show the FAQ (published articles, no log-in needed)"),
                                   default=False)
    # The files staff share with a customer (SPEC P16).
    show_documents = models.BooleanField(_("show the files shared with the customer"),
                                         default=True)
    # The look beyond logo and colour (SPEC P13): a text on the log-in page, and a style sheet
    # of the organization's own, served apart (brand.css) under a name that changes with it.
    login_message = models.TextField(_("text on the log-in page"), blank=True, default="")
    custom_css = models.TextField(_("custom CSS"), blank=True, default="")
    css_version = models.CharField(max_length=16, blank=True, default="", editable=False)
    # Who may use the portal, and what a person sees in it by default (SPEC P10; seeds 002,
    # 003). A customer's own terms are its CustomerAccess.
    portal_for = models.CharField(_("the portal is open to"), max_length=10,
                                  choices=PortalFor.choices, default=PortalFor.ALL)
    seen_by_default = models.CharField(_("a portal user sees"), max_length=10,
                                       choices=SeenByDefault.choices,
                                       default=SeenByDefault.CUSTOMER)
    # The portal's home page (SPEC P14; seed 002): what it shows, each part switched on its own.
    announcement = models.TextField(_("announcement"), blank=True, default="")
    greeting = models.CharField(_("greeting"), max_length=5, choices=Greeting.choices,
                                default=Greeting.BY_TIME)
    greeting_text = models.CharField(_("fixed greeting"), max_length=200, blank=True,
                                     default="")
    home_charts = models.BooleanField(_("charts of the customer's requests and invoices"),
                                      default=True)
    home_recent_requests = models.BooleanField(_("recent requests"), default=True)
    home_recent_invoices = models.BooleanField(_("recent invoices"), default=True)
    home_recent_faq = models.BooleanField(_("recent FAQ entries"), default=True)
    home_recent_documents = models.BooleanField(_("recent shared files"), default=True)
    home_handlers = models.BooleanField(_("who is handling the customer's requests"),
                                        default=True)
    # How many days before a customer's support contract ends its people are e-mailed (SPEC
    # P18; seed 002); 0: never.
    support_reminder_days = models.PositiveSmallIntegerField(
        _("remind customers this many days before their support ends (0: never)"),
        default=30, validators=[MaxValueValidator(365)])

    def __str__(self) -> str:
        return f"portal settings of {self.organization_id}"

    def shown_name(self) -> str:
        return self.display_name or self.organization.name

    def has_home(self) -> bool:
        """Whether the portal has a home page; without one, its address opens the requests."""
        return bool(self.announcement or self.greeting != Greeting.NONE or self.home_charts
                    or self.home_recent_requests or self.home_recent_invoices
                    or self.home_recent_faq or self.home_recent_documents
                    or self.home_handlers)


def person_name(first_name: str, last_name: str, email: str) -> str:
    """How a portal user is named to others: their full name, or their e-mail without one
    (for rows read as plain values too, where there is no instance)."""
    return f"{first_name} {last_name}".strip() or email


class PortalUser(models.Model):
    """A person who uses an organization's portal on behalf of a customer.

    Known to one organization only: the same e-mail at another organization is another
    PortalUser. Never a staff `User`, so a portal session cannot reach anything under /app/.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # portal_user_email_unique leads with it
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="portal_users")
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                blank=True)
    # Empty until the person chooses one; a password-less user reaches the portal by e-mailed
    # links only.
    password = models.CharField(max_length=128, blank=True)
    is_active = models.BooleanField(_("has access"), default=True)
    # The portal's billing tabs this person may use, where the organization shows them (SPEC
    # P15: e.g. invoices only for the billing contact).
    sees_quotes = models.BooleanField(_("sees quotes"), default=True)
    sees_invoices = models.BooleanField(_("sees invoices"), default=True)
    sees_balance = models.BooleanField(_("sees the balance"), default=True)
    # The tab of the tasks and files shared with the customer (SPEC P15, P16).
    sees_shared = models.BooleanField(_("sees the shared tasks and files"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["PortalUser"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"],
                                    name="portal_user_email_unique"),
        ]

    def __str__(self) -> str:
        return person_name(self.first_name, self.last_name, self.email)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_password(self) -> bool:
        return bool(self.password)

    def set_password(self, raw_password: str) -> None:
        self.password = make_password(raw_password)

    def check_password(self, raw_password: str) -> bool:
        if not self.password:
            return False
        return check_password(raw_password, self.password)


class PortalMembership(models.Model):
    """A portal person acting for a further customer of their organization (SPEC X7: an
    accountant for several firms). The person (log-in, password, language) stays one
    PortalUser, joined to their first customer (`PortalUser.customer`); each membership adds
    one more customer, with its own billing tabs (SPEC P15). In the portal the person works
    for one customer at a time (the session's current one, `auth.portal_viewer`), and sees of
    it exactly what that customer's own people see.

    Changed only through portal.memberships; read along with the viewer on every portal page
    (auth.viewer_of_session), so removing one ends it from the next page on."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # the customer says the same
    portal_user = models.ForeignKey(PortalUser, on_delete=models.CASCADE,
                                    related_name="memberships",
                                    db_index=False)  # portal_membership_unique leads with it
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE,
                                 related_name="portal_memberships")
    sees_quotes = models.BooleanField(_("sees quotes"), default=True)
    sees_invoices = models.BooleanField(_("sees invoices"), default=True)
    sees_balance = models.BooleanField(_("sees the balance"), default=True)
    sees_shared = models.BooleanField(_("sees the shared tasks and files"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["PortalMembership"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal_user", "customer"],
                                    name="portal_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"portal user {self.portal_user_id} for customer {self.customer_id}"


class AccessLinkQuerySet(OrgQuerySet["AccessLink"]):
    def usable(self, now: dt.datetime | None = None) -> AccessLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now(),
                           portal_user__is_active=True)


class AccessLink(models.Model):
    """A passwordless link to one portal user's requests (SPEC P3, P4).

    Only the SHA-256 of the token is stored; the token itself exists only in the e-mail.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    portal_user = models.ForeignKey(PortalUser, on_delete=models.CASCADE,
                                    related_name="access_links")
    # The customer the link was sent for, where the person acts for several (SPEC X7): its
    # session stays with that customer. None: the person's own (PortalUser.customer).
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = AccessLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"access link {self.pk} of {self.portal_user_id}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RequestsShown(models.TextChoices):
    ALL = "all", _("All its requests")
    SINCE = "since", _("Its requests since a date")
    NEW = "new", _("Only its new requests, from now on")


class CustomerAccess(models.Model):
    """One customer's terms in the portal (SPEC P10; seed 003): whether it may use the portal
    when the organization opens it only to customers given access, and which of its requests
    its people see there. A customer without a row: allowed where the portal is open to every
    customer, and all its requests shown.

    Changed only through portal.services.set_customer_access; read along with the viewer on
    every portal page (auth.viewer_of_session), so a change counts from the next page on.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE,
                                    related_name="portal_access")
    allowed = models.BooleanField(_("may use the portal"), default=True)
    shows = models.CharField(_("requests shown"), max_length=5, choices=RequestsShown.choices,
                             default=RequestsShown.ALL)
    # The oldest request shown: the date chosen, or the moment "only new ones" was chosen.
    since = models.DateTimeField(_("since"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet["CustomerAccess"].as_manager()

    class Meta:
        indexes = [
            # The portal settings page lists the customers given access.
            models.Index(fields=["organization", "allowed"], name="customer_access_org"),
        ]

    def __str__(self) -> str:
        return f"portal access of customer {self.customer_id}"
