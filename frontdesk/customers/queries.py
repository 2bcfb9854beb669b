"""Reads of the customers area for staff pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import Lower

from frontdesk.customers.models import Contact, Customer, CustomField
from frontdesk.customers.services import (
    MAX_QUERY_LENGTH,
    customers_matching,
    matching_customers,
    search_shape,
)
from frontdesk.lib.paging import numbered_page
from frontdesk.lib.prepared import prepared
from frontdesk.lib.search import search_terms
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.permissions import Area, Level, has_level

if TYPE_CHECKING:
    from frontdesk.support.models import Task

CUSTOMERS_PER_PAGE = 25
TASKS_ON_CUSTOMER_PAGE = 20


def customer_list(organization: Organization, query: str = "") -> QuerySet[Customer]:
    """The customers list (SPEC C1): by name, or searched. The order follows the
    `customer_org_name` index. The contacts' names come from `contact_names`."""
    customers = _customers_by_name(organization.pk)
    if query:
        customers = customers.filter(customers_matching(organization, query))
    return customers


def _customers_by_name(org_id: int) -> QuerySet[Customer]:
    return Customer.objects.for_org(org_id).order_by(Lower("short_name"), "id")


CUSTOMER_ROW = ("pk", "short_name", "full_name", "phone", "email")


@prepared
def _first_rows_by_name(org_id: int) -> QuerySet[Customer, Any]:
    # One row more than a page: when it is missing, the rows are the count.
    return (_customers_by_name(org_id).values_list(*CUSTOMER_ROW, named=True)
            [:CUSTOMERS_PER_PAGE + 1])


@prepared
def _customer_count(org_id: int) -> QuerySet[Customer, Any]:
    return (Customer.objects.for_org(org_id).order_by()
            .values("organization_id").annotate(count=Count("pk")).values_list("count",
                                                                               named=True))


@prepared
def _first_rows_found(org_id: int, term: str, short: bool, indexed: bool, digits: str | None
                      ) -> QuerySet[Customer, Any]:
    # `short` and `indexed` come from `search_shape`: each shape of the search is its own query.
    return (_customers_by_name(org_id)
            .filter(matching_customers(org_id, term, short, indexed, digits))
            .values_list(*CUSTOMER_ROW, named=True)[:CUSTOMERS_PER_PAGE + 1])


def customer_page(organization: Organization, query: str, number: str | None) -> Page:
    """The page of the customers list asked for. First pages, searched or not, run as
    prepared queries (lib/prepared.py); later pages (their OFFSET is part of the SQL) through
    the ORM, as does the count of a search that fills more than a page."""
    if number not in (None, "", "1"):
        return numbered_page(customer_list(organization, query), number, CUSTOMERS_PER_PAGE)
    term, digits = search_terms(query, MAX_QUERY_LENGTH)
    if term:
        rows = _first_rows_found(organization.pk, term, *search_shape(term, digits), digits)
    else:
        rows = _first_rows_by_name(organization.pk)
    paginator = Paginator(rows, CUSTOMERS_PER_PAGE)
    if len(rows) <= CUSTOMERS_PER_PAGE:
        paginator.count = len(rows)  # a cached_property, known now
    elif term:
        paginator.count = customer_list(organization, query).count()
    else:
        counted = _customer_count(organization.pk)
        paginator.count = counted[0].count if counted else 0
    return Page(rows[:CUSTOMERS_PER_PAGE], 1, paginator)


@prepared
def _contact_names(customer_ids: list[int]) -> QuerySet[Contact, Any]:
    return (Contact.objects.filter(customer_id__in=customer_ids)
            .values_list("customer_id", "first_name", "last_name", named=True)
            .order_by("customer_id", "first_name", "last_name", "id"))


def contact_names(customers: Iterable[Any]) -> dict[int, list[str]]:
    """The names of the contacts of each customer on a page (one query for the page)."""
    names: dict[int, list[str]] = {}
    ids = [customer.pk for customer in customers]
    if ids:
        for row in _contact_names(ids):
            names.setdefault(row.customer_id, []).append(
                f"{row.first_name} {row.last_name}".strip())
    return names


def custom_fields(organization: Organization) -> QuerySet[CustomField]:
    return CustomField.objects.for_org(organization).order_by("position", "id")


@dataclass
class CustomerTasks:
    """The newest tasks of a customer the staff member may see, split by state (SPEC C6)."""

    open: list[Task]
    closed: list[Task]
    shown: bool  # False: the member may see neither requests nor tasks


def customer_tasks(customer: Customer, membership: Membership) -> CustomerTasks:
    """Support requests need View in Support, the organization's own tasks View in Tasks."""
    from frontdesk.support.models import Source, Status, Task

    sees_requests = has_level(membership, Area.SUPPORT, Level.VIEW)
    sees_tasks = has_level(membership, Area.TASKS, Level.VIEW)
    if not (sees_requests or sees_tasks):
        return CustomerTasks([], [], shown=False)
    tasks = Task.objects.for_org(membership.organization).filter(customer=customer)
    if not sees_requests:
        tasks = tasks.filter(source=Source.STAFF)
    elif not sees_tasks:
        tasks = tasks.exclude(source=Source.STAFF)
    newest = list(tasks.select_related("group").order_by("-id")[:TASKS_ON_CUSTOMER_PAGE])
    return CustomerTasks(
        open=[task for task in newest if task.status != Status.CLOSED],
        closed=[task for task in newest if task.status == Status.CLOSED],
        shown=True,
    )
