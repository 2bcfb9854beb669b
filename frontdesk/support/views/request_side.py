"""The staff request page's card of details and its links, as plain values: the page writes
them once and serves them from memory while they stay the same (`{% memo %}`,
lib/jinja_memo.py). Written anew on every visit they were a tenth of the page: forty values,
each an attribute read, an escape and a date in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from frontdesk.organizations.access import StaffRequest
from frontdesk.organizations.permissions import Area, Level
from frontdesk.support.models import Task


class SideDetails(NamedTuple):
    org_slug: str
    task_id: int
    # Whether the reader may open customers (the name is a link then).
    links_customer: bool
    customer_id: int | None
    customer_name: str
    requester_name: str
    requester_email: str
    group_name: str
    topic_name: str
    priority: str
    severity: str
    category: str
    rating: str
    rating_comment: str
    assignees: str
    due_date: dt.date | None
    first_response_due_at: dt.datetime | None
    first_responded_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    closed_at: dt.datetime | None
    sla_paused: bool
    sla_state: str
    created_at: dt.datetime


def side_details(request: StaffRequest, task: Task, sla_state: str | None) -> SideDetails:
    """`task` as read for its page (customer, requester, group and topic with it)."""
    customer, requester, topic = task.customer, task.requester, task.topic
    return SideDetails(
        org_slug=request.org.slug, task_id=task.pk,
        links_customer=request.membership.has(Area.CUSTOMERS, Level.VIEW),
        customer_id=task.customer_id, customer_name=customer.short_name if customer else "",
        requester_name=requester.full_name if requester else "",
        requester_email=requester.email if requester else "",
        group_name=task.group.name, topic_name=topic.name if topic else "",
        priority=task.priority_label, severity=task.severity_label,
        category=task.category_label, rating=task.rating_label,
        rating_comment=task.rating_comment,
        assignees=task.assignee_names or "",  # type: ignore[attr-defined]
        due_date=task.due_date, first_response_due_at=task.first_response_due_at,
        first_responded_at=task.first_responded_at, resolution_due_at=task.resolution_due_at,
        closed_at=task.closed_at, sla_paused=task.sla_paused_at is not None,
        sla_state=sla_state or "", created_at=task.created_at)
