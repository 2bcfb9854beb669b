from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area


@require_GET
@staff_view(Area.CUSTOMERS)
def customer_list(request: StaffRequest) -> HttpResponse:
    return render(request, "customers/customer_list.html", {})
