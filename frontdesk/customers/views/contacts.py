"""Adding, editing and removing the people on a customer record (SPEC C4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.customers import contacts
from frontdesk.customers.forms import ContactForm, show_action_errors
from frontdesk.customers.models import Contact, Customer
from frontdesk.customers.views.customers import permissions_for, posted
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org


def _contact_of(request: StaffRequest, customer_id: int, contact_id: int) -> Contact:
    """The contact of this customer of this organization, else 404 (also for a contact of
    another customer: the URL must name its own customer)."""
    return get_for_org(Contact.objects.select_related("customer"), request.org,
                       pk=contact_id, customer_id=customer_id)


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def contact_new(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact = contacts.add_contact(customer=customer, by=request.user,
                                           **form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("%(name)s added to the contacts.")
                             % {"name": contact.full_name})
            return redirect("customers:detail", request.org.slug, customer.pk)
    return render(request, "customers/contact_form.html", {
        "form": form, "customer": customer, "contact": None, **permissions_for(request),
    })


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def contact_edit(request: StaffRequest, customer_id: int, contact_id: int) -> HttpResponse:
    contact = _contact_of(request, customer_id, contact_id)
    form = ContactForm(posted(request),
                       initial=ContactForm.initial_for(contact))
    if request.method == "POST" and form.is_valid():
        try:
            contacts.update_contact(contact=contact, **form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", request.org.slug, customer_id)
    return render(request, "customers/contact_form.html", {
        "form": form, "customer": contact.customer, "contact": contact,
        **permissions_for(request),
    })


@require_http_methods(["POST"])
@staff_view(Area.CUSTOMERS, Level.EDIT)
def contact_remove(request: StaffRequest, customer_id: int, contact_id: int) -> HttpResponse:
    contact = _contact_of(request, customer_id, contact_id)
    contacts.remove_contact(contact=contact)
    messages.success(request, _("%(name)s removed from the contacts.")
                     % {"name": contact.full_name})
    return redirect("customers:detail", request.org.slug, customer_id)
