"""Reads of the customers area for staff pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, CharField, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Lower

from frontdesk.customers.models import Contact, Customer, CustomField
from frontdesk.customers.services import (
    MAX_QUERY_LENGTH,
    customers_matching,
    matching_customers,
    search_shape,
)
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
    `customer_org_name` index."""
    customers = _customers_by_name(organization.pk)
    if query:
        customers = customers.filter(customers_matching(organization, query))
    return customers


def _customers_by_name(org_id: int) -> QuerySet[Customer]:
    return Customer.objects.for_org(org_id).order_by(Lower("short_name"), "id")


CUSTOMER_ROW = ("pk", "short_name", "full_name", "phone", "email", "first_contact",
                "contact_count")


def _beyond(cursor_id: int, org_id: int, direction: str) -> RawSQL:
    """The customers after (">") or before ("<") the customer `cursor_id` of the organization
    in the list's order, as one comparison of (name, id) pairs: the index
    `customer_org_name` seeks to it, so a page far down the list costs what the first does.
    A cursor of no customer of this organization compares with nothing: an empty page."""
    # Django 5.2's ORM has no comparison of row values. Only the two numbers are values, and
    # they are parameters; the rest is this model's table and a fixed operator. SQLite seeks
    # an index on an expression only for a comparison of that expression alone: the name's
    # own comparison comes first for it (PostgreSQL seeks with the pair itself).
    assert direction in ("<", ">")
    table = connection.ops.quote_name(Customer._meta.db_table)
    cursor = f'FROM {table} U0 WHERE U0."id" = %s AND U0."organization_id" = %s'
    return RawSQL(  # noqa: S611
        f'LOWER({table}."short_name") {direction}= '
        f'(SELECT LOWER(U0."short_name") {cursor}) '
        f'AND (LOWER({table}."short_name"), {table}."id") {direction} '
        f'(SELECT LOWER(U0."short_name"), U0."id" {cursor})',
        (cursor_id, org_id, cursor_id, org_id), output_field=BooleanField())


def _contacts() -> QuerySet[Contact]:
    return Contact.objects.filter(customer_id=OuterRef("pk")).order_by()


def _page_rows(customers: QuerySet[Customer], org_id: int, before: int | None,
               after: int | None) -> QuerySet[Customer, Any]:
    """One row more than a page: after `after` in name order, or before `before` read
    backwards (`CustomerPage` puts them in order), or the first ones. Each row comes with the
    name of its first contact by name and its number of contacts (subqueries on the contacts'
    customer index: no query more for the page's contacts)."""
    rows = customers.annotate(
        first_contact=Subquery(_contacts().order_by("first_name", "last_name", "id").values(
            name=Concat("first_name", Value(" "), "last_name", output_field=CharField()))[:1]),
        contact_count=Coalesce(Subquery(_contacts().values("customer_id")
                                        .annotate(count=Count("*")).values("count")), 0),
    ).values_list(*CUSTOMER_ROW, named=True)
    if before is not None:
        return (rows.filter(_beyond(before, org_id, "<"))
                .order_by(Lower("short_name").desc(), "-id")[:CUSTOMERS_PER_PAGE + 1])
    if after is not None:
        rows = rows.filter(_beyond(after, org_id, ">"))
    return rows[:CUSTOMERS_PER_PAGE + 1]


@prepared
def _rows_by_name(org_id: int, before: int | None, after: int | None
                  ) -> QuerySet[Customer, Any]:
    return _page_rows(_customers_by_name(org_id), org_id, before, after)


@prepared
def _rows_found(org_id: int, term: str, short: bool, indexed: bool, digits: str | None,
                before: int | None, after: int | None) -> QuerySet[Customer, Any]:
    # `short` and `indexed` come from `search_shape`: each shape of the search is its own query.
    return _page_rows(_customers_by_name(org_id).filter(
        matching_customers(org_id, term, short, indexed, digits)), org_id, before, after)


@dataclass
class CustomerPage:
    """A page of the customers list by name. Pages are found by the customer they follow
    or precede (`?after=` / `?before=` an id), not by number: no OFFSET and no COUNT, so a
    list of 100,000 customers pages as fast as one of a hundred (SPEC C1)."""

    object_list: tuple[Any, ...]  # a tuple: the page keeps its rows' HTML ({% memo %})
    previous_before: int | None  # give as ?before= for the previous page
    next_after: int | None  # give as ?after= for the next page


def customer_page(organization: Organization, query: str, before: int | None,
                  after: int | None) -> CustomerPage:
    """The page of the customers list asked for, searched or not (prepared queries)."""
    if before is not None:
        after = None
    term, digits = search_terms(query, MAX_QUERY_LENGTH)
    if term:
        rows = _rows_found(organization.pk, term, *search_shape(term, digits), digits,
                           before, after)
    else:
        rows = _rows_by_name(organization.pk, before, after)
    more = len(rows) > CUSTOMERS_PER_PAGE
    items = tuple(rows[:CUSTOMERS_PER_PAGE])
    if before is not None:
        items = items[::-1]
        has_previous, has_next = more, bool(items)
    else:
        has_previous, has_next = after is not None and bool(items), more
    return CustomerPage(items, items[0].pk if has_previous else None,
                        items[-1].pk if has_next else None)


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
