"""The people of other customers who act for this one in the portal (SPEC X7: an accountant
for several firms), on the customer's page: added by e-mail, their billing tabs for this
customer, removed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontdesk.customers.models import Customer
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.portal.memberships import (
    add_portal_membership,
    remove_portal_membership,
    set_membership_modules,
)
from frontdesk.portal.models import PortalMembership


def _membership(request: StaffRequest, customer_id: int, membership_id: int
                ) -> tuple[Customer, PortalMembership]:
    # Another organization's, or another customer's: 404 (get_for_org).
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    membership = get_for_org(PortalMembership.objects.select_related("portal_user"),
                             request.org, pk=membership_id, customer=customer)
    return customer, membership


@require_POST
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def portal_member_add(request: StaffRequest, customer_id: int) -> HttpResponse:
    """Let a person who uses the portal for another customer act for this one too."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    try:
        membership = add_portal_membership(customer=customer,
                                           email=request.POST.get("email", ""),
                                           by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(email)s can now act for this customer in the portal.")
                         % {"email": membership.portal_user.email})
    return redirect("customers:detail", request.org.slug, customer.pk)


@require_POST
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def portal_member_remove(request: StaffRequest, customer_id: int, membership_id: int
                         ) -> HttpResponse:
    customer, membership = _membership(request, customer_id, membership_id)
    remove_portal_membership(membership=membership, by=request.user)
    messages.success(request, _("%(email)s no longer acts for this customer.")
                     % {"email": membership.portal_user.email})
    return redirect("customers:detail", request.org.slug, customer.pk)


@require_POST
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def portal_member_tabs(request: StaffRequest, customer_id: int, membership_id: int
                       ) -> HttpResponse:
    """Which tabs the person may use for this customer (SPEC P15)."""
    customer, membership = _membership(request, customer_id, membership_id)
    set_membership_modules(membership=membership, quotes="quotes" in request.POST,
                           invoices="invoices" in request.POST,
                           balance="balance" in request.POST, shared="shared" in request.POST)
    messages.success(request, _("The portal tabs of %(email)s are saved.")
                     % {"email": membership.portal_user.email})
    return redirect("customers:detail", request.org.slug, customer.pk)
