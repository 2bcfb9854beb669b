"""A customer's terms in the portal, set by staff (SPEC P10): may its people use the portal, and
which of its requests do they see there."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontdesk.customers.forms import show_action_errors
from frontdesk.customers.models import Customer
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.portal.models import CustomerAccess, PortalFor, PortalSettings, RequestsShown
from frontdesk.portal.services import set_customer_access


class CustomerTermsForm(forms.Form):
    allowed = forms.BooleanField(
        label=gettext_lazy("Its people may use the portal"), required=False,
        help_text=gettext_lazy("Counts where the portal is open only to the customers given "
                               "access (portal settings)."))
    shows = forms.ChoiceField(label=gettext_lazy("Requests shown in the portal"),
                              choices=RequestsShown.choices, widget=forms.RadioSelect)
    since = forms.DateField(label=gettext_lazy("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=gettext_lazy("For “since a date”: the oldest day "
                                                   "shown."))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("shows") == RequestsShown.SINCE and not cleaned.get("since"):
            self.add_error("since", _("Choose the date from which requests are shown."))
        return cleaned


def _start_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def customer_terms(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    current = CustomerAccess.objects.filter(customer=customer).first()
    portal_settings = PortalSettings.objects.get(organization=request.org)
    initial = {"allowed": current.allowed if current else
               portal_settings.portal_for == PortalFor.ALL,
               "shows": current.shows if current else RequestsShown.ALL,
               "since": timezone.localtime(current.since).date()
               if current and current.since else None}
    form = CustomerTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_customer_access(customer=customer, allowed=data["allowed"],
                                shows=data["shows"], since=_start_of(data["since"]))
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Portal terms of %(name)s saved.")
                             % {"name": customer.short_name})
            return redirect("customers:detail", request.org.slug, customer.pk)
    return render(request, "portal/customer_terms.html", {
        "form": form, "customer": customer, "portal_settings": portal_settings,
        "back_url": reverse("customers:detail", args=[request.org.slug, customer.pk])},
        status=400 if form.is_bound else 200)
