"""Quotes, for staff (SPEC B1)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.billing import services
from frontdesk.billing.forms import QuoteForm
from frontdesk.billing.models import Quote, QuoteStage
from frontdesk.billing.queries import quote_page
from frontdesk.billing.views.documents import customer_of, edit_document
from frontdesk.customers import picker
from frontdesk.lib.choices import choice_labels
from frontdesk.lib.paging import keyset_cursors
from frontdesk.organizations.access import StaffRequest, require, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org


def _quote(request: StaffRequest, quote_id: int) -> Quote:
    return get_for_org(Quote.objects.select_related("customer", "creator", "decided_by"),
                       request.org, pk=quote_id)


def _to_quote(request: StaffRequest, quote: Quote, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("billing:quote", request.org.slug, quote.pk)


def _failed(request: StaffRequest, quote: Quote, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("billing:quote", request.org.slug, quote.pk)


@require_http_methods(["GET"])
@staff_view(Area.OFFERS, Level.VIEW)
def quote_list(request: StaffRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    before, after = keyset_cursors(request)
    return render(request, "billing/quote_list.html", {
        "page": quote_page(request.org.pk, stage if stage in QuoteStage.values else None,
                           before, after), "stage": stage,
        "stages": QuoteStage.choices, "stage_labels": choice_labels(QuoteStage)})


@require_http_methods(["GET", "POST"])
@staff_view(Area.OFFERS, Level.CONTRIBUTE)
def quote_new(request: StaffRequest) -> HttpResponse:
    customer = customer_of(request)
    if customer is None:
        raise Http404
    settings = services.billing_settings(request.org)
    form = QuoteForm(request.POST if request.method == "POST" else None, initial={
        "currency": settings.currency,
        "valid_until": timezone.localdate()
        + dt.timedelta(days=settings.quote_valid_days)})
    return edit_document(
        request, form, [],
        lambda data: services.create_quote(
            organization=request.org, customer=customer, data=data,
            valid_until=form.cleaned_data["valid_until"], by=request.user),
        lambda quote: _to_quote(request, quote, _("Quote %(number)s created.")
                                % {"number": quote.number}),
        {"heading": _("New quote for %(name)s") % {"name": customer.short_name},
         "back_url": reverse("customers:detail", args=[request.org.slug, customer.pk]),
         "back_text": customer.short_name})


@require_http_methods(["GET", "POST"])
@staff_view(Area.OFFERS, Level.CONTRIBUTE)
def quote_edit(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    if quote.stage != QuoteStage.DRAFT:
        return _failed(request, quote, ValidationError(_("Only a draft can be changed.")))
    form = QuoteForm(request.POST if request.method == "POST" else None, initial={
        "title": quote.title, "currency": quote.currency, "tax_rate": quote.tax_rate,
        "note": quote.note, "valid_until": quote.valid_until})
    return edit_document(
        request, form, list(quote.lines.all()),
        lambda data: services.update_quote(quote=quote, data=data,
                                           valid_until=form.cleaned_data["valid_until"]),
        lambda quote: _to_quote(request, quote, _("Changes saved.")),
        {"heading": _("Quote %(number)s") % {"number": quote.number},
         "customer_line": (quote.customer.short_name,
                           reverse("billing:quote_customer", args=[request.org.slug, quote.pk])),
         "back_url": reverse("billing:quote", args=[request.org.slug, quote.pk]),
         "back_text": _("Quote %(number)s") % {"number": quote.number}})


@require_http_methods(["GET", "POST"])
@staff_view(Area.OFFERS, Level.CONTRIBUTE)
def quote_customer(request: StaffRequest, quote_id: int) -> HttpResponse:
    """The customer of a draft quote (SPEC C13): search, choose, or make a new one."""
    # Customers' names are the customers area's: seeing them takes View there.
    require(request, Area.CUSTOMERS, Level.VIEW)
    quote = _quote(request, quote_id)
    if quote.stage != QuoteStage.DRAFT:
        return _failed(request, quote, ValidationError(_("Only a draft can be changed.")))
    page_url = reverse("billing:quote_customer", args=[request.org.slug, quote.pk])
    if request.method == "POST":
        try:
            # A customer made here is kept only if the quote takes it.
            with transaction.atomic():
                choice = picker.chosen(request)
                if choice is not None and choice.customer is not None:
                    services.change_quote_customer(quote=quote, customer=choice.customer,
                                                   by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(page_url)
        if choice is not None and choice.customer is not None:
            return _to_quote(request, quote, _("Customer changed."))
    context = {"picker": picker.context(request, quote.customer, required=True),
               "picker_url": page_url, "quote": quote}
    if picker.is_fragment(request):
        return render(request, "customers/customer_picker_choices.html", context)
    return render(request, "billing/quote_customer.html", context)


@require_http_methods(["GET"])
@staff_view(Area.OFFERS, Level.VIEW)
def quote_detail(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    membership = request.membership
    return render(request, "billing/quote_detail.html", {
        "quote": quote, "lines": list(quote.lines.all()),
        "stage_label": choice_labels(QuoteStage)[quote.stage],
        "can_contribute": has_level(membership, Area.OFFERS, Level.CONTRIBUTE),
        "can_invoice": has_level(membership, Area.LEDGER, Level.CONTRIBUTE)})


@require_POST
@staff_view(Area.OFFERS, Level.CONTRIBUTE)
def quote_send(request: StaffRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    try:
        services.send_quote(quote=quote, by=request.user)
    except ValidationError as error:
        return _failed(request, quote, error)
    return _to_quote(request, quote, _("The quote is in the customer's portal now."))


@require_POST
@staff_view(Area.OFFERS, Level.CONTRIBUTE)
def quote_decide(request: StaffRequest, quote_id: int) -> HttpResponse:
    """Staff record the customer's answer, given by other means than the portal."""
    quote = _quote(request, quote_id)
    accept = request.POST.get("accept") == "1"
    try:
        services.decide_quote(quote=quote, accept=accept, by=request.user)
    except ValidationError as error:
        return _failed(request, quote, error)
    return _to_quote(request, quote, _("Recorded as accepted.") if accept
                     else _("Recorded as declined."))


@require_POST
@staff_view(Area.OFFERS, Level.CONTRIBUTE)
def quote_invoice(request: StaffRequest, quote_id: int) -> HttpResponse:
    """A draft invoice from an accepted quote (needs Contribute in the ledger too)."""
    require(request, Area.LEDGER, Level.CONTRIBUTE)
    quote = _quote(request, quote_id)
    try:
        invoice = services.invoice_from_quote(quote=quote, by=request.user)
    except ValidationError as error:
        return _failed(request, quote, error)
    messages.success(request, _("A draft invoice was made from the quote."))
    return redirect("billing:invoice", request.org.slug, invoice.pk)
