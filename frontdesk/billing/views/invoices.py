"""Invoices, for staff (SPEC B2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.billing import services
from frontdesk.billing.forms import InvoiceForm, PaymentForm
from frontdesk.billing.models import EntryKind, Invoice, InvoiceStatus
from frontdesk.billing.queries import invoice_page
from frontdesk.billing.views.documents import customer_of, edit_document
from frontdesk.customers.forms import show_action_errors
from frontdesk.lib.choices import choice_labels
from frontdesk.lib.paging import keyset_cursors
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org

PAYABLE = (InvoiceStatus.ISSUED, InvoiceStatus.APPROVED, InvoiceStatus.DISPUTED)


def _invoice(request: StaffRequest, invoice_id: int) -> Invoice:
    return get_for_org(Invoice.objects.select_related("customer", "contact", "creator",
                                                      "decided_by", "organization"),
                       request.org, pk=invoice_id)


def _to_invoice(request: StaffRequest, invoice: Invoice, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("billing:invoice", request.org.slug, invoice.pk)


def _failed(request: StaffRequest, invoice: Invoice, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("billing:invoice", request.org.slug, invoice.pk)


def name_of(invoice: Invoice) -> str:
    return (_("Invoice %(number)s") % {"number": invoice.number} if invoice.number
            else _("Draft invoice"))


@require_http_methods(["GET"])
@staff_view(Area.LEDGER, Level.VIEW)
def invoice_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    before, after = keyset_cursors(request)
    return render(request, "billing/invoice_list.html", {
        "page": invoice_page(request.org.pk, status if status in InvoiceStatus.values else None,
                             before, after), "status": status,
        "statuses": InvoiceStatus.choices, "status_labels": choice_labels(InvoiceStatus)})


@require_http_methods(["GET", "POST"])
@staff_view(Area.LEDGER, Level.CONTRIBUTE)
def invoice_new(request: StaffRequest) -> HttpResponse:
    customer = customer_of(request)
    if customer is None:
        raise Http404
    form = InvoiceForm(request.POST if request.method == "POST" else None, customer=customer,
                       initial={"currency": services.billing_settings(request.org).currency})
    return edit_document(
        request, form, [],
        lambda data: services.create_invoice(
            organization=request.org, customer=customer, contact=form.cleaned_data["contact"],
            data=data, by=request.user),
        lambda invoice: _to_invoice(request, invoice, _("Draft invoice saved.")),
        {"heading": _("New invoice for %(name)s") % {"name": customer.short_name},
         "back_url": reverse("customers:detail", args=[request.org.slug, customer.pk]),
         "back_text": customer.short_name})


@require_http_methods(["GET", "POST"])
@staff_view(Area.LEDGER, Level.CONTRIBUTE)
def invoice_edit(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    if invoice.status != InvoiceStatus.DRAFT:
        return _failed(request, invoice, ValidationError(_("Only a draft can be changed.")))
    form = InvoiceForm(request.POST if request.method == "POST" else None,
                       customer=invoice.customer, initial={
                           "title": invoice.title, "currency": invoice.currency,
                           "tax_rate": invoice.tax_rate, "note": invoice.note,
                           "contact": invoice.contact_id})
    return edit_document(
        request, form, list(invoice.lines.all()),
        lambda data: services.update_invoice(invoice=invoice, data=data,
                                             contact=form.cleaned_data["contact"]),
        lambda invoice: _to_invoice(request, invoice, _("Changes saved.")),
        {"heading": name_of(invoice),
         "back_url": reverse("billing:invoice", args=[request.org.slug, invoice.pk]),
         "back_text": name_of(invoice)})


def _detail(request: StaffRequest, invoice: Invoice, payment_form: PaymentForm | None = None,
            status: int = 200) -> HttpResponse:
    membership = request.membership
    payable = invoice.status in PAYABLE
    if payment_form is None and payable:
        payment_form = PaymentForm(initial={"amount": invoice.outstanding})
    return render(request, "billing/invoice_detail.html", {
        "invoice": invoice, "name": name_of(invoice), "lines": list(invoice.lines.all()),
        "entries": list(invoice.entries.order_by("booked_on", "id")),
        "status_label": choice_labels(InvoiceStatus)[invoice.status],
        "entry_labels": choice_labels(EntryKind),
        "payment_form": payment_form if payable else None,
        "can_contribute": has_level(membership, Area.LEDGER, Level.CONTRIBUTE),
        "can_cancel": has_level(membership, Area.LEDGER, Level.EDIT)
        and invoice.status not in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED),
    }, status=status)


@require_http_methods(["GET"])
@staff_view(Area.LEDGER, Level.VIEW)
def invoice_detail(request: StaffRequest, invoice_id: int) -> HttpResponse:
    return _detail(request, _invoice(request, invoice_id))


@require_POST
@staff_view(Area.LEDGER, Level.CONTRIBUTE)
def invoice_issue(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    try:
        services.issue_invoice(invoice=invoice, by=request.user)
    except ValidationError as error:
        return _failed(request, invoice, error)
    return _to_invoice(request, invoice,
                       _("Invoice %(number)s issued: it is in the customer's portal and "
                         "account now.") % {"number": invoice.number})


@require_POST
@staff_view(Area.LEDGER, Level.CONTRIBUTE)
def invoice_payment(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(invoice=invoice, amount=form.cleaned_data["amount"],
                                    booked_on=form.cleaned_data["booked_on"], by=request.user)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            return _to_invoice(request, invoice, _("Payment recorded."))
    return _detail(request, invoice, form, status=400)


@require_POST
@staff_view(Area.LEDGER, Level.EDIT)
def invoice_cancel(request: StaffRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    try:
        services.cancel_invoice(invoice=invoice, by=request.user)
    except ValidationError as error:
        return _failed(request, invoice, error)
    return _to_invoice(request, invoice, _("The invoice is cancelled."))
