"""The staff page: who is staff, pending invitations, inviting; one staff member's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontdesk.accounts import services as account_services
from frontdesk.accounts.models import StaffInvitation
from frontdesk.organizations import services
from frontdesk.organizations.access import StaffRequest, require_admin, staff_view
from frontdesk.organizations.forms import InviteStaffForm
from frontdesk.organizations.models import Group, Membership
from frontdesk.organizations.permissions import Area, can_manage_permissions
from frontdesk.organizations.queries import pending_invitations, staff_memberships
from frontdesk.organizations.querysets import get_for_org


@require_http_methods(["GET", "POST"])
@staff_view()
def staff_list(request: StaffRequest) -> HttpResponse:
    """Every staff member sees the list; admins also see invitations and invite people."""
    is_admin = request.membership.is_admin
    form = InviteStaffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_admin(request)
        if form.is_valid():
            try:
                account_services.invite_staff(
                    organization=request.org, email=form.cleaned_data["email"],
                    is_admin=form.cleaned_data["is_admin"], by=request.user)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("An invitation is on its way to %(email)s.")
                                 % {"email": form.cleaned_data["email"]})
                return redirect("organizations:staff", request.org.slug)
    return render(request, "organizations/staff_list.html", {
        "memberships": list(staff_memberships(request.org)),
        "invitations": list(pending_invitations(request.org)) if is_admin else [],
        "form": form if is_admin else None,
        "areas": list(Area),
        "can_manage_permissions": can_manage_permissions(request.membership),
    })


@require_POST
@staff_view(admin_only=True)
def revoke_invitation(request: StaffRequest, invitation_id: int) -> HttpResponse:
    invitation = get_for_org(StaffInvitation.objects.all(), request.org, pk=invitation_id)
    account_services.revoke_invitation(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s is withdrawn: its link no longer "
                                "works.") % {"email": invitation.email})
    return redirect("organizations:staff", request.org.slug)


@require_GET
@staff_view()
def staff_member(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = get_for_org(Membership.objects.select_related("user"), request.org,
                             pk=membership_id)
    return render(request, "organizations/staff_member.html", {
        "member": membership,
        "groups": list(Group.objects.for_org(request.org).filter(members=membership.user)),
        "areas": list(Area),
        "can_manage_permissions": can_manage_permissions(request.membership),
    })


@require_POST
@staff_view(admin_only=True)
def set_staff_admin(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Give or take administrator rights (the buttons send is_admin=1 or is_admin=0)."""
    membership = get_for_org(Membership.objects.select_related("user"), request.org,
                             pk=membership_id)
    wanted = request.POST.get("is_admin")
    if wanted not in ("0", "1"):
        messages.error(request, _("Choose whether this person is an administrator."))
        return redirect("organizations:staff_member", request.org.slug, membership.pk)
    try:
        services.set_staff_permissions(membership=membership, levels={},
                                       is_admin=wanted == "1", by=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = membership.user.full_name or membership.user.email
        if wanted == "1":
            messages.success(request, _("%(name)s is now an administrator.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is no longer an administrator.")
                             % {"name": name})
    return redirect("organizations:staff_member", request.org.slug, membership.pk)


@require_POST
@staff_view(admin_only=True)
def remove_staff(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = get_for_org(Membership.objects.select_related("user"), request.org,
                             pk=membership_id)
    try:
        services.remove_staff_member(membership=membership, by=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organizations:staff_member", request.org.slug, membership.pk)
    messages.success(request, _("%(name)s is no longer staff of %(org)s.") % {
        "name": membership.user.full_name or membership.user.email, "org": request.org.name})
    if membership.user_id == request.user.pk:
        # They removed themselves: this organization's pages are closed to them now.
        return redirect("organizations:choose")
    return redirect("organizations:staff", request.org.slug)
