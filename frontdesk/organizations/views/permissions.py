"""The permissions page: levels per staff member and area (SPEC O3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.organizations import services
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.forms import PermissionMatrixForm, level_field_name
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.queries import staff_memberships


@require_http_methods(["GET", "POST"])
@staff_view(manage_permissions=True)
def permissions(request: StaffRequest) -> HttpResponse:
    """Admins set every area; a non-admin sets only the areas they Manage (other columns are
    shown read-only, and `set_staff_permissions` refuses a change to them)."""
    memberships = list(staff_memberships(request.org))
    form = PermissionMatrixForm(request.POST if request.method == "POST" else None,
                                memberships=memberships)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Some of the levels sent are not valid. Nothing was "
                                      "saved."))
        else:
            try:
                changed = services.set_permission_levels(
                    organization=request.org, levels=form.levels(), by=request.membership)
            except ValidationError as error:
                messages.error(request, " ".join([*error.messages, _("Nothing was saved.")]))
            else:
                if changed:
                    messages.success(request, _("Permissions saved."))
                else:
                    messages.info(request, _("Nothing to save: no level was changed."))
        return redirect("organizations:permissions", request.org.slug)

    editable = {area for area in Area if request.membership.has(area, Level.MANAGE)}
    rows = [
        (membership, [
            (area, None if membership.is_admin or area not in editable
             else form[level_field_name(membership, area)])
            for area in Area
        ])
        for membership in memberships
    ]
    return render(request, "organizations/permissions.html", {
        "rows": rows, "areas": list(Area), "editable": editable,
    })
