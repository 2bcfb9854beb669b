"""Exporting the customer list to Excel and importing customers from it (SPEC C12): the pages
that start the work, follow it, and hand out the file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.customers import transfers
from frontdesk.customers.forms import show_action_errors
from frontdesk.customers.models import Transfer
from frontdesk.lib.files import download_response
from frontdesk.organizations.access import StaffRequest, require, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org

# Rows of errors a page shows (the transfer keeps up to transfers.MAX_ERRORS_KEPT).
ERRORS_SHOWN = 200


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def _transfer(request: StaffRequest, transfer_id: int) -> Transfer:
    """The organization's transfer; an export needs Manage, as the file it makes holds every
    customer (SPEC C12)."""
    transfer = get_for_org(Transfer.objects.all(), request.org, pk=transfer_id)
    if transfer.kind == Transfer.Kind.EXPORT:
        require(request, Area.CUSTOMERS, Level.MANAGE)
    return transfer


@require_POST
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def export_start(request: StaffRequest) -> HttpResponse:
    transfer = transfers.start_export(organization=request.org, by=request.user)
    return redirect("customers:transfer", request.org.slug, transfer.pk)


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def import_start(request: StaffRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.start_import(organization=request.org,
                                              upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            return redirect("customers:transfer", request.org.slug, transfer.pk)
    return render(request, "customers/import_form.html", {
        "form": form, "max_mb": transfers.MAX_IMPORT_BYTES // (1024 * 1024),
        "max_rows": transfers.MAX_IMPORT_ROWS, "columns": list(transfers.COLUMNS.values()),
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def transfer_page(request: StaffRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer(request, transfer_id)
    return render(request, "customers/transfer.html", {
        "transfer": transfer, "errors": transfer.row_errors[:ERRORS_SHOWN],
        "errors_left_out": max(len(transfer.row_errors) - ERRORS_SHOWN, 0),
        "percent": (100 * transfer.rows_done // transfer.rows_total)
        if transfer.rows_total else None,
        "can_import": has_level(request.membership, Area.CUSTOMERS, Level.CONTRIBUTE),
    })


@require_POST
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def import_confirm(request: StaffRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer(request, transfer_id)
    try:
        transfers.confirm_import(transfer=transfer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("customers:transfer", request.org.slug, transfer.pk)


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def export_download(request: StaffRequest, transfer_id: int) -> HttpResponseBase:
    transfer = _transfer(request, transfer_id)
    if (transfer.kind != Transfer.Kind.EXPORT or transfer.state != Transfer.State.DONE
            or not transfer.file):
        raise Http404
    return download_response(transfer.file.open("rb"), transfer.file_name)
