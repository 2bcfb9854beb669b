"""Inviting a customer's people to its portal account (SPEC P8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.customers import activity
from frontdesk.customers.models import Activity, Customer
from frontdesk.mail.services import Email, queue_emails
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalUser

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
