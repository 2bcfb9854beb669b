"""/api/v1/customers and /api/v1/topics."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from frontdesk.api import payloads
from frontdesk.api.auth import as_api_request, require
from frontdesk.api.schemas import (
    CustomerChange,
    CustomerDetailOut,
    CustomerIn,
    CustomerPage,
    Error,
    TopicOut,
)
from frontdesk.customers import services
from frontdesk.customers.models import Customer
from frontdesk.customers.queries import customer_page
from frontdesk.organizations.models import Organization
from frontdesk.organizations.permissions import Area, Level
from frontdesk.support.models import Topic

router = Router(tags=["customers"])


def _customer_of(org: Organization, customer_id: int) -> Customer:
    customer = Customer.objects.for_org(org).filter(pk=customer_id).first()
    if customer is None:
        raise HttpError(404, _("No such customer."))
    return customer


@router.get("/customers", response=CustomerPage, url_name="customers")
def customer_list(request: HttpRequest, q: str = "", after: int | None = None
                  ) -> dict[str, Any]:
    """The organization's customers by name (25 a page), or those the staff search finds
    (`q`: name, e-mail, phone, a contact's). Pages: give `next_after` as `after`."""
    require(request, Area.CUSTOMERS, Level.VIEW)
    page = customer_page(as_api_request(request).org, q, None, after)
    return {"items": [{"id": row.pk, "short_name": row.short_name, "full_name": row.full_name,
                       "email": row.email, "phone": row.phone} for row in page.object_list],
            "next_after": page.next_after}


@router.get("/customers/{customer_id}", response={200: CustomerDetailOut, 404: Error},
            url_name="customer")
def customer_detail(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    require(request, Area.CUSTOMERS, Level.VIEW)
    return payloads.customer_data(_customer_of(as_api_request(request).org, customer_id))


@router.post("/customers", response={201: CustomerDetailOut, 400: Error, 403: Error},
             url_name="customers")
def customer_create(request: HttpRequest, data: CustomerIn) -> Answer[dict[str, Any]]:
    """A customer record; its e-mail may not be another customer's."""
    api_request = as_api_request(request)
    require(request, Area.CUSTOMERS, Level.CONTRIBUTE)
    customer = services.create_customer(organization=api_request.org,
                                        short_name=data.short_name, full_name=data.full_name,
                                        email=data.email, phone=data.phone,
                                        support_until=data.support_until,
                                        by=api_request.user)
    return Answer(201, payloads.customer_data(customer))


@router.patch("/customers/{customer_id}",
              response={200: CustomerDetailOut, 400: Error, 403: Error, 404: Error},
              url_name="customer")
def customer_change(request: HttpRequest, customer_id: int, data: CustomerChange
                    ) -> dict[str, Any]:
    """Change a customer's details; fields left out stay as they are."""
    api_request = as_api_request(request)
    require(request, Area.CUSTOMERS, Level.CONTRIBUTE)
    customer = _customer_of(api_request.org, customer_id)
    updated = services.update_customer(
        customer=customer, short_name=data.short_name, full_name=data.full_name,
        email=data.email, phone=data.phone,
        # Left out, unchanged (...); given as null, cleared.
        support_until=data.support_until if "support_until" in data.model_fields_set else ...,
        by=api_request.user)
    return payloads.customer_data(updated)


topics_router = Router(tags=["topics"])


@topics_router.get("/topics", response=list[TopicOut], url_name="topics")
def topic_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The organization's support topics, in their order (a request is made in one)."""
    require(request, Area.SUPPORT, Level.VIEW)
    topics = Topic.objects.for_org(as_api_request(request).org).order_by("position", "pk")
    return [{"id": pk, "name": name} for pk, name in topics.values_list("pk", "name")]
