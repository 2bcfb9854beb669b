"""Actions on the people who act for several customers (SPEC X7: an accountant for several
firms). A person is one PortalUser, joined to their own customer; a PortalMembership adds
one more customer of the same organization, with its own billing tabs (SPEC P15). Only staff
add and remove them; the person chooses in the portal which one they act for (auth.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.customers import activity
from frontdesk.customers.models import Activity, Customer
from frontdesk.mail.services import queue_email
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import AccessLink, PortalMembership, PortalUser


def add_portal_membership(*, customer: Customer, email: str, by: User) -> PortalMembership:
    """Let the portal person with this e-mail (of the customer's organization, with a portal
    account already: SPEC P8 makes one) act for `customer` too, with every billing tab its
    own people have by default; e-mail them a link that opens the portal for that customer.
    Refused (ValidationError, nothing changed) for an unknown address, one of the customer's
    own people, someone acting for it already, and someone whose access is revoked."""
    address = normalize_email_address(email)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": _("Not an e-mail address: %(list)s")
                               % {"list": address}}) from None
    person = (PortalUser.objects.for_org(customer.organization_id)
              .filter(email=address).first())
    if person is None:
        raise ValidationError({"email": _(
            "No one uses the portal with %(email)s yet: invite them first.")
            % {"email": address}})
    if not person.is_active:
        raise ValidationError({"email": _(
            "The access of %(email)s is revoked; grant it again first.") % {"email": address}})
    if person.customer_id == customer.pk:
        raise ValidationError({"email": _("%(email)s is one of this customer's own portal "
                                          "users.") % {"email": address}})
    organization = Organization.objects.get(pk=customer.organization_id)
    try:
        with transaction.atomic():
            membership = PortalMembership.objects.create(
                organization_id=customer.organization_id, portal_user=person,
                customer=customer)
            activity.record(customer=customer, organization_id=customer.organization_id,
                            kind=Activity.Kind.PORTAL_ACCESS, by=by, email=address,
                            state="granted")
            queue_email(kind="portal.invitation", to=person.email, organization=organization,
                        language=person.language or organization.language,
                        context={"portal_user_id": person.pk, "customer_id": customer.pk,
                                 "inviter": by.full_name or by.email})
    except IntegrityError:
        raise ValidationError({"email": _("%(email)s acts for this customer already.")
                               % {"email": address}}) from None
    return membership


@transaction.atomic
def remove_portal_membership(*, membership: PortalMembership, by: User) -> None:
    """The person no longer acts for the membership's customer: from their next page on
    nothing of it is theirs (a session acting for it falls back to their own customer), and
    the links sent to them for it stop working. Their requests there stay the customer's."""
    AccessLink.objects.filter(portal_user_id=membership.portal_user_id,
                              customer_id=membership.customer_id,
                              revoked_at__isnull=True).update(revoked_at=timezone.now())
    email = (PortalUser.objects.filter(pk=membership.portal_user_id)
             .values_list("email", flat=True).first() or "")
    activity.record(customer=membership.customer_id, organization_id=membership.organization_id,
                    kind=Activity.Kind.PORTAL_ACCESS, by=by, email=email, state="revoked")
    membership.delete()


def set_membership_modules(*, membership: PortalMembership, quotes: bool, invoices: bool,
                           balance: bool, shared: bool = True) -> None:
    """Which of the portal's tabs the person may use for this customer (SPEC P15), apart
    from their tabs for any other customer they act for."""
    PortalMembership.objects.filter(pk=membership.pk).update(
        sees_quotes=quotes, sees_invoices=invoices, sees_balance=balance, sees_shared=shared)
    (membership.sees_quotes, membership.sees_invoices, membership.sees_balance,
     membership.sees_shared) = (quotes, invoices, balance, shared)
