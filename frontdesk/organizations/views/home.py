from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from frontdesk.accounts.models import User
from frontdesk.organizations.access import StaffRequest, activate_language, staff_view
from frontdesk.organizations.models import Membership
from frontdesk.organizations.permissions import can_manage_permissions


@require_GET
@login_required
def choose(request: HttpRequest) -> HttpResponse:
    """The organizations the signed-in person is staff of; straight in when there is one."""
    user = cast(User, request.user)  # login_required: never anonymous here
    activate_language(user.language)
    memberships = list(Membership.objects.filter(user=user)
                       .select_related("organization").order_by("organization__name"))
    if len(memberships) == 1 and not user.is_superuser:
        return redirect("organizations:home", memberships[0].organization.slug)
    return render(request, "organizations/choose.html", {"memberships": memberships})


@require_GET
@staff_view()
def home(request: StaffRequest) -> HttpResponse:
    from frontdesk.support.queries import dashboard_counts

    return render(request, "organizations/home.html", {"counts": dashboard_counts(request)})


@require_GET
@staff_view()
def settings_index(request: StaffRequest) -> HttpResponse:
    return render(request, "organizations/settings.html", {
        "can_manage_permissions": can_manage_permissions(request.membership),
    })
