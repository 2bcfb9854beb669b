"""Reads of the customers area for staff pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.db.models.functions import Lower

from frontdesk.customers.models import Customer, CustomField
from frontdesk.customers.services import customers_matching
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.permissions import Area, Level, has_level

if TYPE_CHECKING:
    from frontdesk.support.models import Task

CUSTOMERS_PER_PAGE = 25
TASKS_ON_CUSTOMER_PAGE = 20


def customer_list(organization: Organization, query: str = "") -> QuerySet[Customer]:
    """The customers list (SPEC C1): by name, searched, contacts fetched for the whole page in
    one query. The order follows the `customer_org_name` index."""
    customers = (Customer.objects.for_org(organization).order_by(Lower("short_name"), "id")
                 .prefetch_related("contacts"))
    if query:
        customers = customers.filter(customers_matching(organization, query))
    return customers


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
