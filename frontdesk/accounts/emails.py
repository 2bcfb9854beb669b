"""E-mails to staff: invitations and password resets. Links are minted at delivery time."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from frontdesk.accounts.models import StaffInvitation, User
from frontdesk.lib.jinja import absolute_url
from frontdesk.lib.tokens import new_token
from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage


@email_kind("accounts.staff_invitation")
def staff_invitation(message: OutboxMessage) -> RenderedEmail | None:
    invitation = (StaffInvitation.objects.select_related("organization", "invited_by")
                  .filter(pk=message.context["invitation_id"]).first())
    if invitation is None or not invitation.is_usable:
        return None
    raw, hashed = new_token()
    # Each delivery attempt mints a new token; only the latest link works.
    StaffInvitation.objects.filter(pk=invitation.pk).update(token_hash=hashed)
    return render_templates("staff_invitation", {
        "invitation": invitation,
        "organization": invitation.organization,
        "link": absolute_url("accounts:accept_invitation", raw),
        "now": timezone.now(),
    }, from_name=invitation.organization.name)


@email_kind("accounts.password_reset")
def password_reset(message: OutboxMessage) -> RenderedEmail | None:
    user = User.objects.filter(pk=message.context["user_id"], is_active=True).first()
    if user is None:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return render_templates("password_reset", {
        "user": user,
        "link": absolute_url("accounts:password_reset_confirm", uid, token),
    })
