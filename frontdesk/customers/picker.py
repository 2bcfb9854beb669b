"""Choosing the customer of a task or a quote (SPEC C13), for the pages of other apps: a
search that lists matches (a plain GET form; customers/static/customers/picker.js makes it
search as you type), then a choice, or a new customer made on the spot by the one
create-customer action. The page that uses it calls its own app's action with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from frontdesk.customers import queries, services
from frontdesk.customers.models import Customer
from frontdesk.organizations.access import StaffRequest, require
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org

CHOICES_SHOWN = 10


def choices(request: StaffRequest, query: str) -> list[Customer]:
    """The organization's customers matching `query`, in the customer list's order."""
    if not query:
        return []
    return list(queries.customer_list(request.org, query)
                .only("pk", "short_name", "full_name", "email")[:CHOICES_SHOWN])


def context(request: StaffRequest, current: Customer | None, *, required: bool = False
            ) -> dict[str, Any]:
    """What customers/customer_picker.html shows: the search, its matches, the current
    customer (which may be removed unless `required`), and whether a new one may be made
    (Contribute in customers)."""
    query = request.GET.get("q", "").strip()[:services.MAX_QUERY_LENGTH]
    return {"query": query, "choices": choices(request, query), "current": current,
            "required": required,
            "can_create": has_level(request.membership, Area.CUSTOMERS, Level.CONTRIBUTE)}


def is_fragment(request: HttpRequest) -> bool:
    """The script asks for the matches alone."""
    return request.headers.get("X-Fragment") == "1"


@dataclass(frozen=True)
class Choice:
    customer: Customer | None  # None: no customer


def chosen(request: StaffRequest) -> Choice | None:
    """The customer the POST chose: `customer` (an id of this organization, else 404),
    `remove`, or `new_name` (a customer made now, through create_customer; ValidationError
    when the name is not acceptable). None when the POST chose nothing."""
    if request.POST.get("remove") == "1":
        return Choice(None)
    new_name = request.POST.get("new_name", "").strip()
    if new_name:
        require(request, Area.CUSTOMERS, Level.CONTRIBUTE)
        return Choice(services.create_customer(organization=request.org,
                                               short_name=new_name, by=request.user))
    raw = request.POST.get("customer", "")
    if raw.isdigit() and len(raw) < 19:
        return Choice(get_for_org(Customer.objects.all(), request.org, pk=int(raw)))
    if raw:
        raise ValidationError({"customer": [_("Choose a customer from the list.")]})
    return None
