"""A customer's account, for staff (SPEC B3), and the organization's billing settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.billing import services
from frontdesk.billing.forms import BillingSettingsForm, LedgerEntryForm
from frontdesk.billing.models import EntryKind
from frontdesk.billing.queries import account, account_cursor
from frontdesk.customers.forms import show_action_errors
from frontdesk.customers.models import Customer
from frontdesk.lib.choices import choice_labels
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org


def _account_customer(org: str, customer_id: int) -> QuerySet[Customer]:
    """The customer of an account page, read with the member's session (staff_view)."""
    return (Customer.objects.for_org(org).filter(pk=customer_id)
            .only("pk", "short_name", "organization_id")[:1])


@require_http_methods(["GET"])
@staff_view(Area.LEDGER, Level.VIEW, read_along=_account_customer)
def customer_account(request: StaffRequest, customer_id: int) -> HttpResponse:
    """The customer's ledger, a page at a time, with its running balance (SPEC B3)."""
    if request.read_along is not None:
        if not request.read_along:
            raise Http404
        customer = request.read_along[0]
    else:
        customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    return render(request, "billing/account.html", {
        "customer": customer,
        "account": account(request.org.pk, customer.pk,
                           account_cursor(request.GET.get("older", ""))),
        "kind_labels": choice_labels(EntryKind),
        "can_contribute": has_level(request.membership, Area.LEDGER, Level.CONTRIBUTE),
    })


@require_http_methods(["GET", "POST"])
@staff_view(Area.LEDGER, Level.CONTRIBUTE)
def account_entry(request: StaffRequest, customer_id: int) -> HttpResponse:
    """A charge, a payment or a credit on the customer's account."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    form = LedgerEntryForm(request.POST if request.method == "POST" else None, initial={
        "currency": services.billing_settings(request.org).currency})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_ledger_entry(
                organization=request.org, customer=customer, kind=data["kind"],
                amount=data["amount"], currency=data["currency"],
                booked_on=data["booked_on"], description=data["description"],
                by=request.user)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Entry added to the account."))
            return redirect("billing:account", request.org.slug, customer.pk)
    return render(request, "core/form_page.html", {
        "form": form, "heading": _("Add an entry"), "back_text": customer.short_name,
        "back_url": reverse("billing:account", args=[request.org.slug, customer.pk])},
        status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@staff_view(admin_only=True)
def billing_settings(request: StaffRequest) -> HttpResponse:
    found = services.billing_settings(request.org)
    form = BillingSettingsForm(request.POST if request.method == "POST" else None, initial={
        "currency": found.currency, "quote_valid_days": found.quote_valid_days,
        "payment_days": found.payment_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_billing_settings(organization=request.org, **form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("billing:settings", request.org.slug)
    return render(request, "core/form_page.html", {
        "form": form, "heading": _("Quotes and invoices"), "back_text": _("Settings"),
        "back_url": reverse("organizations:settings", args=[request.org.slug])},
        status=400 if form.is_bound else 200)
