"""A customer at a glance (SPEC C2): its newest tasks, quotes and activities, as a fragment
that the customer links of the lists show on hover or focus (customers/static, preview.js),
and as a small page of its own for a browser without JavaScript."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import OuterRef, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from frontdesk.customers import activity
from frontdesk.customers.models import Activity, Customer
from frontdesk.lib.choices import choice_labels
from frontdesk.lib.json_rows import JSONRows, datetime_of, rows_of
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level

SHOWN = 5


def _preview_query(request: StaffRequest, customer_id: int) -> QuerySet[Customer]:
    """The customer with its newest tasks, quotes and activities: one statement. A list the
    member may not see is not read at all."""
    from frontdesk.billing.models import Quote
    from frontdesk.support.models import Source, Task

    membership = request.membership
    lists: dict[str, Any] = {
        "activity_rows": JSONRows(Activity.objects.filter(customer_id=OuterRef("pk"))
                                  .order_by("-id")[:SHOWN], ("kind", "data", "created_at")),
    }
    sees_requests = has_level(membership, Area.SUPPORT, Level.VIEW)
    sees_tasks = has_level(membership, Area.TASKS, Level.VIEW)
    if sees_requests or sees_tasks:
        tasks = Task.objects.filter(customer_id=OuterRef("pk"))
        if not sees_requests:
            tasks = tasks.filter(source=Source.STAFF)
        elif not sees_tasks:
            tasks = tasks.exclude(source=Source.STAFF)
        lists["task_rows"] = JSONRows(tasks.order_by("-id")[:SHOWN], ("pk", "title", "status"))
    if has_level(membership, Area.OFFERS, Level.VIEW):
        lists["quote_rows"] = JSONRows(Quote.objects.filter(customer_id=OuterRef("pk"))
                                       .order_by("-id")[:SHOWN],
                                       ("pk", "number", "title", "stage"))
    return (Customer.objects.for_org(request.org).filter(pk=customer_id)
            .only("pk", "short_name", "full_name", "email", "phone").annotate(**lists))


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.VIEW)
def customer_preview(request: StaffRequest, customer_id: int) -> HttpResponse:
    from frontdesk.billing.models import QuoteStage
    from frontdesk.support.models import Status

    customer = _preview_query(request, customer_id).first()
    if customer is None:
        raise Http404
    # SQLite's JSON functions give a JSON column's value as its text.
    activities = [Activity(kind=kind, data=json.loads(data) if isinstance(data, str) else data,
                           created_at=datetime_of(created_at))
                  for kind, data, created_at in rows_of(customer.activity_rows)]  # type: ignore[attr-defined]
    fragment = request.headers.get("X-Preview") == "1"
    return render(request, "customers/preview_fragment.html" if fragment
                  else "customers/preview.html", {
        "customer": customer,
        "tasks": None if not hasattr(customer, "task_rows") else rows_of(customer.task_rows),
        "quotes": None if not hasattr(customer, "quote_rows") else rows_of(customer.quote_rows),
        "activities": [(item, activity.sentence(item)) for item in activities],
        "status_labels": choice_labels(Status), "stage_labels": choice_labels(QuoteStage),
    })
