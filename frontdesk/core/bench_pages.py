"""What the bench looks for in the seeded data, besides the ids seed_bench knows as it writes
them: the "Assigned to me", overdue and closed views of the bench's staff member and the
customer pages' searches.
Read after ANALYZE, so these reads plan as the pages' own queries do."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from frontdesk.customers.models import Contact, Customer
from frontdesk.customers.queries import CUSTOMERS_PER_PAGE, customer_list
from frontdesk.organizations.models import Organization
from frontdesk.support.models import Assignment, Post, Status, Task, Topic


def pages(organization: Organization, user_id: int, customer_ids: list[int]
          ) -> dict[str, Any]:
    """What the bench needs of the pages below, by the key seed_bench prints it under."""
    return {"staff_mine": staff_mine(organization, user_id),
            "inbox": inbox_pages(organization),
            "customers": customer_pages(organization, customer_ids)}


def newest_with(organization: Organization, word: str) -> int | None:
    """The newest request of the organization with `word` in its description: the first row
    of the staff search the bench measures."""
    return (Task.objects.for_org(organization).filter(description__contains=word)
            .order_by("-pk").values_list("pk", flat=True).first())


def staff_mine(organization: Organization, user_id: int) -> dict[str, Any]:
    """The bench's staff member's "Assigned to me" view: open requests assigned to them.
    Assignees are drawn evenly from the group's staff, so they have about 1/29 of the
    Support group's assigned open requests (about 140 at 100k requests): the view's rows
    are a small share of the open requests, as for everyone on the desk."""
    mine = (Task.objects.for_org(organization).open().filter(assignees=user_id)
            .order_by("-pk").values_list("pk", flat=True))
    ids = list(mine)
    return {"open_assigned": len(ids), "newest_id": ids[0] if ids else None,
            "open": Task.objects.for_org(organization).open().count(),
            "assigned_ever": Assignment.objects.filter(user_id=user_id).count()}


def inbox_pages(organization: Organization) -> dict[str, Any]:
    """The first rows of the staff views by status (closed), overdue and by topic (the last
    topic: the view's own first topic is that of the open list's) (SPEC T7)."""
    tasks = Task.objects.for_org(organization)
    overdue = (tasks.open().filter(due_date__lt=timezone.localdate())
               .order_by("due_date", "pk").values_list("pk", flat=True))
    topic = (Topic.objects.for_org(organization).order_by("-position", "-pk")
             .values_list("pk", flat=True).first())
    return {"overdue": overdue.count(), "overdue_first_id": overdue.first(),
            "closed_newest_id": tasks.filter(status=Status.CLOSED).order_by("-pk")
            .values_list("pk", flat=True).first(),
            "topic_id": topic,
            "topic_newest_open_id": tasks.open().filter(topic_id=topic or 0).order_by("-pk")
            .values_list("pk", flat=True).first()}


EMAIL_SEARCH_CUSTOMER = 5  # a position among the customers made, whatever N


def customer_pages(organization: Organization, customer_ids: list[int]) -> dict[str, Any]:
    """The customer list's first page and two searches as staff run them: part of a
    company name that matches a handful of the 2,000 customers (one page), and the full
    e-mail address of one contact (one customer). Counted with the list's own query, so
    the numbers are what the page shows."""
    first = customer_list(organization).first()

    def found(term: str) -> dict[str, Any]:
        matches = customer_list(organization, term)
        top = matches.first()
        return {"term": term, "matches": matches.count(),
                "first": top.short_name if top else None}

    # Short names are "<Word> <id>": "<Word> <first two digits of an id>" is part of the
    # name of about one customer in ten of those whose id starts with those digits (the
    # full names draw their word separately): about ten customers of 2,000.
    name_search: dict[str, Any] | None = None
    middle = customer_ids[len(customer_ids) // 2:]
    for customer in Customer.objects.filter(pk__in=middle).order_by("pk")[:50]:
        candidate = found(f"{customer.short_name.split()[0]} {str(customer.pk)[:2]}")
        if name_search is None or 5 <= candidate["matches"] <= CUSTOMERS_PER_PAGE:
            name_search = candidate
        if 5 <= candidate["matches"] <= CUSTOMERS_PER_PAGE:
            break
    # The same customer's contact at every N (the sixth customer made), so that the 100k and
    # 1M runs search the same address: the cost of a trigram search depends on the term (an
    # address with common digit trigrams reads several times more of the index).
    contact = (Contact.objects.filter(customer_id=customer_ids[EMAIL_SEARCH_CUSTOMER])
               .order_by("-pk").first())
    email_search = found(contact.email if contact else "")
    return {"count": len(customer_ids),
            "first_by_name": first.short_name if first else None,
            "name_search": name_search, "email_search": email_search}


def live_polls(task_id: int) -> dict[str, Any]:
    """What the request page of `task_id` tells its live poll (SPEC X3, support/live.py): the
    newest post's id, how many posts and the status, as staff see it and as its customer
    does. The bench polls with these: nothing new, the answer every open page gets."""
    task = Task.objects.get(pk=task_id)
    posts = Post.objects.filter(task_id=task_id)
    visible = posts.filter(is_visible_to_customer=True)

    def seen(rows: Any) -> dict[str, Any]:
        return {"after": rows.order_by("-pk").values_list("pk", flat=True).first() or 0,
                "count": rows.count(), "status": task.status}

    return {"staff": seen(posts), "portal": seen(visible)}
