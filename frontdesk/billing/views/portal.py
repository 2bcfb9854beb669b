"""Quotes, invoices and the balance in the customer portal (SPEC B1–B3, P15, P16). What a
customer sees comes through billing.visibility."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.billing import services, visibility
from frontdesk.billing.forms import DisputeForm
from frontdesk.billing.models import EntryKind, Invoice, InvoiceStatus, Quote, QuoteStage
from frontdesk.billing.queries import account_cursor
from frontdesk.customers.forms import show_action_errors
from frontdesk.lib.choices import choice_labels
from frontdesk.lib.paging import keyset_cursors
from frontdesk.portal.access import SignedInPortalRequest, portal_view


def _tab(request: SignedInPortalRequest, name: str) -> None:
    """404 unless the viewer has this tab: the same answer as for a page that does not
    exist."""
    if not visibility.tabs_shown(request.viewer, request.portal_settings)[name]:
        raise Http404


def _quote(request: SignedInPortalRequest, quote_id: int) -> Quote:
    _tab(request, "quotes")
    found = visibility.quotes_visible_to(request.viewer).filter(pk=quote_id).first()
    if found is None:
        raise Http404
    return found


def _invoice(request: SignedInPortalRequest, invoice_id: int) -> Invoice:
    _tab(request, "invoices")
    found = (visibility.invoices_visible_to(request.viewer).select_related("contact")
             .filter(pk=invoice_id).first())
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET"])
@portal_view()
def quote_list(request: SignedInPortalRequest) -> HttpResponse:
    _tab(request, "quotes")
    before, after = keyset_cursors(request)
    return render(request, "billing/portal_quote_list.html", {
        "page": visibility.quote_page_visible_to(request.viewer, before, after),
        "stage_labels": choice_labels(QuoteStage)})


@require_http_methods(["GET"])
@portal_view()
def quote_detail(request: SignedInPortalRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    return render(request, "billing/portal_quote_detail.html", {
        "quote": quote, "lines": list(quote.lines.all()),
        "stage_label": choice_labels(QuoteStage)[quote.stage],
        "can_answer": quote.stage == QuoteStage.SENT})


@require_POST
@portal_view()
def quote_answer(request: SignedInPortalRequest, quote_id: int) -> HttpResponse:
    """The customer accepts or declines a quote sent to them."""
    quote = _quote(request, quote_id)
    accept = request.POST.get("accept") == "1"
    try:
        services.decide_quote(quote=quote, accept=accept,
                              portal_user=request.viewer.portal_user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You accepted the quote. Thank you!") if accept
                         else _("You declined the quote."))
    return redirect("billing_portal:quote", request.org.slug, quote.pk)


@require_http_methods(["GET"])
@portal_view()
def invoice_list(request: SignedInPortalRequest) -> HttpResponse:
    _tab(request, "invoices")
    before, after = keyset_cursors(request)
    return render(request, "billing/portal_invoice_list.html", {
        "page": visibility.invoice_page_visible_to(request.viewer, before, after),
        "status_labels": choice_labels(InvoiceStatus)})


def _invoice_page(request: SignedInPortalRequest, invoice: Invoice,
                  form: DisputeForm | None = None, status: int = 200) -> HttpResponse:
    answerable = invoice.status in (InvoiceStatus.ISSUED, InvoiceStatus.APPROVED,
                                    InvoiceStatus.DISPUTED)
    return render(request, "billing/portal_invoice_detail.html", {
        "invoice": invoice, "lines": list(invoice.lines.all()),
        "status_label": choice_labels(InvoiceStatus)[invoice.status],
        "can_approve": invoice.status in (InvoiceStatus.ISSUED, InvoiceStatus.DISPUTED),
        "dispute_form": (form or DisputeForm()) if answerable
        and invoice.status != InvoiceStatus.DISPUTED else None,
    }, status=status)


@require_http_methods(["GET"])
@portal_view()
def invoice_detail(request: SignedInPortalRequest, invoice_id: int) -> HttpResponse:
    return _invoice_page(request, _invoice(request, invoice_id))


@require_POST
@portal_view()
def invoice_approve(request: SignedInPortalRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    try:
        services.approve_invoice(invoice=invoice, portal_user=request.viewer.portal_user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You approved the invoice. Thank you!"))
    return redirect("billing_portal:invoice", request.org.slug, invoice.pk)


@require_POST
@portal_view()
def invoice_dispute(request: SignedInPortalRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.dispute_invoice(invoice=invoice, portal_user=request.viewer.portal_user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("We received your remark and will look into it."))
            return redirect("billing_portal:invoice", request.org.slug, invoice.pk)
    return _invoice_page(request, invoice, form, status=400)


@require_http_methods(["GET"])
@portal_view()
def balance(request: SignedInPortalRequest) -> HttpResponse:
    _tab(request, "balance")
    return render(request, "billing/portal_balance.html", {
        "account": visibility.account_visible_to(request.viewer,
                                                 account_cursor(request.GET.get("older", ""))),
        "kind_labels": choice_labels(EntryKind)})
