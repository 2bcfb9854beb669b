"""The customer of a task (SPEC C13): search, choose, or make a new one on the spot."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.customers import picker
from frontdesk.organizations.access import StaffRequest, require, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support import services
from frontdesk.support.models import Task


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def request_customer(request: StaffRequest, task_id: int) -> HttpResponse:
    # Customers' names are the customers area's: seeing them takes View there.
    require(request, Area.CUSTOMERS, Level.VIEW)
    task = get_for_org(Task.objects.select_related("customer"), request.org, pk=task_id)
    page_url = reverse("support:request_customer", args=[request.org.slug, task.pk])
    if request.method == "POST":
        try:
            # A customer made here is kept only if the task takes it.
            with transaction.atomic():
                choice = picker.chosen(request)
                if choice is not None:
                    services.change_customer(task=task, customer=choice.customer,
                                             by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(page_url)
        if choice is not None:
            messages.success(request, _("Customer changed."))
            return redirect("support:request_detail", request.org.slug, task.pk)
    context = {"picker": picker.context(request, task.customer), "picker_url": page_url,
               "task": task}
    if picker.is_fragment(request):
        return render(request, "customers/customer_picker_choices.html", context)
    return render(request, "support/request_customer.html", context)
