"""What the quote and invoice pages of staff share: the form of a document with its lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from frontdesk.billing.documents import DocumentData
from frontdesk.billing.forms import BaseLineFormSet, DocumentForm, LineFormSet, line_initial
from frontdesk.customers.forms import show_action_errors
from frontdesk.customers.models import Customer
from frontdesk.organizations.access import StaffRequest


def edit_document(request: StaffRequest, form: DocumentForm, lines: list[Any],
                  save: Callable[[DocumentData], Any], done: Callable[[Any], HttpResponse],
                  context: dict[str, Any]) -> HttpResponse:
    """The page of `form` and its lines (`lines`: the document's, for a GET); on a valid POST,
    `save` the document and answer `done(document)`. Bad input changes nothing: the page
    again, with what was typed and the errors next to it (400)."""
    posted = request.POST if request.method == "POST" else None
    formset = cast(BaseLineFormSet,
                   LineFormSet(posted, initial=line_initial(lines), prefix="lines"))
    # Both validated, so that the errors of each show at once.
    if posted is not None and all([form.is_valid(), formset.is_valid()]):
        try:
            document = save(form.data_with(formset.lines()))
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            return done(document)
    status = 400 if posted is not None else 200
    return render(request, "billing/document_form.html",
                  {"form": form, "formset": formset, **context}, status=status)


def customer_of(request: StaffRequest) -> Customer | None:
    """The customer named by ?customer= (a new document's), of this organization only."""
    raw = request.GET.get("customer", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return Customer.objects.for_org(request.org).filter(pk=int(raw)).first()
