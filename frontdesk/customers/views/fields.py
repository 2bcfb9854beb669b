"""The organization's own customer fields, e.g. "Invoice no." (SPEC C3): admins only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.customers import queries
from frontdesk.customers.custom_fields import (
    MAX_CUSTOM_FIELDS,
    add_custom_field,
    remove_custom_field,
    rename_custom_field,
)
from frontdesk.customers.forms import (
    CustomFieldForm,
    RenameCustomFieldForm,
    show_action_errors,
)
from frontdesk.customers.models import CustomField, CustomFieldValue
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org


def _rename_prefix(field: CustomField) -> str:
    return f"field-{field.pk}"


def _fields_page(request: StaffRequest, *, add_form: CustomFieldForm | None = None,
                 failed_rename: tuple[CustomField, RenameCustomFieldForm] | None = None
                 ) -> HttpResponse:
    """The page with every field's rename form; a rename that failed keeps what was typed."""
    rows = []
    for field in queries.custom_fields(request.org):
        if failed_rename is not None and failed_rename[0].pk == field.pk:
            rows.append((field, failed_rename[1]))
        else:
            rows.append((field, RenameCustomFieldForm(initial={"name": field.name},
                                                      prefix=_rename_prefix(field))))
    return render(request, "customers/custom_fields.html", {
        "rows": rows, "add_form": add_form or CustomFieldForm(prefix="new"),
        "max_fields": MAX_CUSTOM_FIELDS,
    })


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.MANAGE, admin_only=True)
def custom_fields(request: StaffRequest) -> HttpResponse:
    if request.method != "POST":
        return _fields_page(request)
    form = CustomFieldForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            field = add_custom_field(organization=request.org,
                                     name=form.cleaned_data["name"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Field “%(name)s” added to the customer form.")
                             % {"name": field.name})
            return redirect("customers:fields", request.org.slug)
    return _fields_page(request, add_form=form)


@require_http_methods(["POST"])
@staff_view(Area.CUSTOMERS, Level.MANAGE, admin_only=True)
def custom_field_rename(request: StaffRequest, field_id: int) -> HttpResponse:
    field = get_for_org(CustomField.objects.all(), request.org, pk=field_id)
    form = RenameCustomFieldForm(request.POST, prefix=_rename_prefix(field))
    if form.is_valid():
        try:
            rename_custom_field(field=field, name=form.cleaned_data["name"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Field renamed."))
            return redirect("customers:fields", request.org.slug)
    return _fields_page(request, failed_rename=(field, form))


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.MANAGE, admin_only=True)
def custom_field_remove(request: StaffRequest, field_id: int) -> HttpResponse:
    """Asks first: removing a field deletes every customer's value of it."""
    field = get_for_org(CustomField.objects.all(), request.org, pk=field_id)
    if request.method == "POST":
        remove_custom_field(field=field)
        messages.success(request, _("Field “%(name)s” removed.") % {"name": field.name})
        return redirect("customers:fields", request.org.slug)
    return render(request, "customers/custom_field_remove.html", {
        "field": field,
        "customers_with_value": CustomFieldValue.objects.filter(field=field).count(),
    })
