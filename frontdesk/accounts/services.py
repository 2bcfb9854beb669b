"""Actions on staff accounts: invitations and password resets."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.accounts.models import StaffInvitation, User, normalize_email_address
from frontdesk.lib.tokens import hash_token
from frontdesk.mail.services import queue_email
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.services import add_staff_member


@transaction.atomic
def invite_staff(*, organization: Organization, email: str, is_admin: bool, by: User
                 ) -> StaffInvitation:
    """Invite a person by e-mail to the organization's staff. The e-mail carries a one-time
    link (minted when it is sent; see accounts.emails)."""
    email = normalize_email_address(email)
    if Membership.objects.filter(organization=organization, user__email=email).exists():
        raise ValidationError(_("%(email)s is already staff of this organization.")
                              % {"email": email})
    # A new invitation replaces any earlier one to the same address.
    StaffInvitation.objects.for_org(organization).filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())
    invitation = StaffInvitation.objects.create(
        organization=organization, email=email, is_admin=is_admin, invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=settings.FRONTDESK_INVITATION_DAYS),
    )
    queue_email(kind="accounts.staff_invitation", to=email, organization=organization,
                language=organization.language, context={"invitation_id": invitation.pk})
    return invitation


def revoke_invitation(*, invitation: StaffInvitation) -> None:
    StaffInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now())


def find_invitation(token: str) -> StaffInvitation | None:
    """The usable invitation behind a token, or None (unknown, used, revoked or expired)."""
    invitation = (StaffInvitation.objects.select_related("organization")
                  .filter(token_hash=hash_token(token)).first())
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: StaffInvitation, user: User | None = None,
                      full_name: str = "", password: str = "") -> User:
    """Join the organization: as the existing `user` (whose e-mail must match), or as a new
    user with the name and password given."""
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation is no longer valid."))
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail exists: log in to accept."))
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    elif normalize_email_address(user.email) != invitation.email:
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    add_staff_member(organization=invitation.organization, user=user,
                     is_admin=invitation.is_admin)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def request_password_reset(*, email: str, language: str) -> None:
    """E-mail a reset link if an active account has this address. Says nothing either way,
    so the form cannot be used to find out who has an account."""
    user = User.objects.filter(email=normalize_email_address(email), is_active=True).first()
    if user is None:
        return
    queue_email(kind="accounts.password_reset", to=user.email,
                language=user.language or language, context={"user_id": user.pk})


def update_profile(*, user: User, full_name: str, language: str) -> User:
    user.full_name = full_name.strip()
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return user


EMAIL_PREFERENCES = ("email_new_requests", "email_customer_replies", "email_assignments")


def update_email_preferences(*, user: User, **wanted: bool) -> User:
    """Which notifications also come to `user` by e-mail (SPEC T8): the fields of
    EMAIL_PREFERENCES, each on or off."""
    for name, value in wanted.items():
        if name not in EMAIL_PREFERENCES:
            raise ValueError(f"not an e-mail preference: {name}")
        setattr(user, name, bool(value))
    user.save(update_fields=list(wanted))
    return user


def change_password(*, user: User, new_password: str) -> None:
    """Set a new password (the form has checked the old one and the validators)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
