from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from frontdesk.organizations.access import StaffRequest, staff_view


@staff_view(admin_only=True)
def portal_settings(request: StaffRequest) -> HttpResponse:
    return render(request, "portal/settings.html", {})
