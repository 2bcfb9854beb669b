"""Staff make a task of their own (SPEC T1; support/new_task.py), from the task list or from a
customer's page (then for that customer, and possibly shared with it: SPEC P16)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.customers.forms import show_action_errors
from frontdesk.customers.models import Customer
from frontdesk.organizations.access import StaffRequest, require, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.forms import NewTaskForm
from frontdesk.support.models import Priority
from frontdesk.support.new_task import create_task


def _customer_of(request: StaffRequest) -> Customer | None:
    """The customer named by `?customer=`: of this organization only (else 404), and only for
    staff who may see customers."""
    raw = request.GET.get("customer", "")
    if not raw:
        return None
    require(request, Area.CUSTOMERS, Level.VIEW)
    if not raw.isdigit() or len(raw) > 18:
        return None
    return get_for_org(Customer.objects.all(), request.org, pk=int(raw))


@require_http_methods(["GET", "POST"])
@staff_view(Area.TASKS, Level.CONTRIBUTE)
def new_task(request: StaffRequest) -> HttpResponse:
    customer = _customer_of(request)
    form = NewTaskForm(request.POST if request.method == "POST" else None,
                       request.FILES if request.method == "POST" else None,
                       organization=request.org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = create_task(
                organization=request.org, by=request.user, title=data["title"],
                description=data["description"], group=data["group"],
                priority=Priority(data["priority"]), due_date=data["due_date"],
                assignees=data["assignees"], customer=customer,
                shared=customer is not None and request.POST.get("shared") == "1",
                files=data["attachments"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Task created."))
            return redirect("support:request_detail", request.org.slug, task.pk)
    return render(request, "support/new_task.html", {
        "form": form, "customer": customer,
        "shared": request.method == "POST" and request.POST.get("shared") == "1",
    }, status=400 if form.is_bound else 200)
