from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from frontdesk.organizations.access import StaffRequest, staff_view


@require_GET
@staff_view(admin_only=True)
def outbox(request: StaffRequest) -> HttpResponse:
    return render(request, "mail/outbox.html", {})
