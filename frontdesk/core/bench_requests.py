"""The bulk of the bench's data (seed_bench): the requests, spread over the customers and over
time, with their posts, events, assignments and notifications, written as rows (bulk_rows) in id
order, with ids chosen here (so posts, events and notifications can refer to each other without
reading anything back), one transaction per chunk. The rows keep what the actions guarantee:
the organization on every row, a request's customer is its requester's customer, assignees are
staff of the task's group and are `Task.assignees` rows, `TaskEvent`s record creation and each
post."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from statistics import median_low
from typing import Any

from django.core.management.base import CommandError
from django.db import models, transaction

from frontdesk.core import bench_pages
from frontdesk.core.bench_shapes import (
    OrgRows,
    OrgShape,
    pick_due,
    pick_priority,
    plan_owners,
    status_for,
)
from frontdesk.core.bench_texts import (
    INTERNAL_NOTES,
    PROBLEMS,
    RARE_SHARE,
    RARE_WORD,
    SENTENCES,
    STAFF_REPLIES,
    SUBJECTS,
)
from frontdesk.core.bulk_rows import IdRange, Rows, skip_foreign_key_checks
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import (
    OPEN_STATUSES,
    Assignment,
    Notification,
    Post,
    Source,
    Status,
    Task,
    TaskEvent,
)

# Dates end here, not today, so that two runs with the same seed give the same rows.
END = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
END_UTC_NAIVE = END.replace(tzinfo=None)  # for `Rows`
SPAN = dt.timedelta(days=730)
CHUNK = 10_000  # requests per transaction


def create_requests(rng: random.Random, ids: dict[type[models.Model], IdRange],
                    orgs: list[OrgRows], shapes: list[OrgShape], *, big: int,
                    progress: Callable[[str], None]) -> dict[str, Any]:
    """The requests of `orgs` (as `shapes` plans them, `big` of them the big customer's) with
    their posts, events, assignments and notifications, written in chunks with ids taken from
    `ids`; what the bench needs of them, by the key seed_bench prints it under."""
    measured, other = orgs
    total = sum(shape.requests for shape in shapes)
    big_customer = measured.customer_ids[0]
    owners = plan_owners(rng, orgs, shapes, big=big, big_customer=big_customer)
    per_customer = Counter(owners)
    # The ordinary customer has the median count (of those with the 3 requests needed).
    ordinary_counts = {customer_id: per_customer[customer_id]
                       for customer_id in measured.customer_ids[1:]
                       if per_customer[customer_id] >= 3}
    if not ordinary_counts:
        raise CommandError("Too few requests for an ordinary customer; raise --requests.")
    typical = median_low(ordinary_counts.values())
    ordinary = min(customer_id for customer_id, count in ordinary_counts.items()
                   if count == typical)
    ordinary_slots = [slot for slot, owner in enumerate(owners) if owner == ordinary]
    # The ordinary customer's second-newest request gets 30 posts, the third-newest 3.
    long_slot, short_slot = ordinary_slots[-2], ordinary_slots[-3]

    org_of_customer = {customer_id: rows for rows in orgs
                       for customer_id in rows.customer_ids}
    names = {pk: f"{first} {last}" for pk, first, last
             in PortalUser.objects.values_list("pk", "first_name", "last_name")}
    first_task = ids[Task].take(total)[0]
    post_id = ids[Post].take(1)[0]
    event_id = ids[TaskEvent].take(1)[0]
    assignment_id = ids[Assignment].take(1)[0]
    notification_id = ids[Notification].take(1)[0]
    tasks = Rows(Task, ["id", "organization_id", "title", "description", "group_id",
                        "topic_id", "status", "priority", "customer_id", "requester_id",
                        "source", "created_at", "updated_at", "closed_at", "due_date"])
    # The open flag is given: on PostgreSQL the load skips triggers
    # (bulk_rows.skip_foreign_key_checks), the one that copies it from the task included
    # (support/open_flag.py).
    assignments = Rows(Assignment, ["id", "task_id", "user_id", "is_open"])
    posts = Rows(Post, ["id", "organization_id", "task_id", "author_id", "portal_author_id",
                        "body", "is_visible_to_customer", "created_at"])
    events = Rows(TaskEvent, ["id", "organization_id", "task_id", "kind", "actor_id",
                              "portal_actor_id", "data", "created_at"])
    notifications = Rows(Notification, ["id", "organization_id", "user_id", "task_id",
                                        "kind", "actor_name", "created_at", "read_at"])
    started = time.monotonic()
    planted = 0
    step = SPAN / total
    start = END_UTC_NAIVE - SPAN
    titles = [f"{subject} {problem}" for subject in SUBJECTS for problem in PROBLEMS]
    descriptions = [" ".join(rng.sample(SENTENCES, rng.randint(2, 4))) for _ in range(999)]
    replies = [" ".join(rng.sample(SENTENCES, 2)) for _ in range(999)]
    hours = [dt.timedelta(hours=number) for number in range(32)]
    # Plain strings: what the choices store, whatever the database driver makes of enums.
    form, portal = Source.FORM.value, Source.PORTAL.value
    created_kind, posted_kind = TaskEvent.Kind.CREATED.value, TaskEvent.Kind.POSTED.value
    new_request = Notification.Kind.NEW_REQUEST.value
    for slot in range(total):
        customer_id = owners[slot]
        rows = org_of_customer[customer_id]
        org_id = rows.organization.pk
        task_id = first_task + slot
        age = slot / total
        created = start + step * slot + dt.timedelta(seconds=rng.random() * 30)
        status = status_for(rng, age)
        team = rows.teams[0] if rng.random() < 0.7 else rows.teams[1]
        requester = rng.choice(rows.portal_users[customer_id])
        description = rng.choice(descriptions)
        if rng.random() < RARE_SHARE:
            description += f" The {RARE_WORD} module logs a warning at start-up."
            planted += rows is measured
        assignee = (None if status != Status.CLOSED and rng.random() < 0.1
                    else rng.choice(team.member_ids))
        post_count = 30 if slot == long_slot else 3
        last_post = created + hours[post_count]
        tasks.add(task_id, org_id, rng.choice(titles),
                  description, team.group_id, team.topic_id, status.value,
                  pick_priority(rng).value, customer_id, requester,
                  form if rng.random() < 0.6 else portal, created, last_post,
                  last_post if status == Status.CLOSED else None,
                  pick_due(rng, status, created))
        events.add(event_id, org_id, task_id, created_kind, None, requester, "{}",
                   created)
        event_id += 1
        if assignee is not None:
            assignments.add(assignment_id, task_id, assignee,
                            int(status in OPEN_STATUSES))
            assignment_id += 1
            notifications.add(notification_id, org_id, assignee, task_id,
                              new_request, names[requester], created,
                              None if age >= 0.98 and status != Status.CLOSED
                              else created + hours[1])
            notification_id += 1
        author = assignee or rng.choice(team.member_ids)
        for number in range(post_count):
            # A staff reply, the customer's answer, an internal note: a third internal.
            when = created + hours[number + 1]
            kind = number % 3
            staff_author = None if kind == 1 else author
            customer_author = requester if kind == 1 else None
            body = (rng.choice(STAFF_REPLIES) if kind == 0
                    else rng.choice(replies) if kind == 1
                    else rng.choice(INTERNAL_NOTES))
            posts.add(post_id, org_id, task_id, staff_author, customer_author, body,
                      kind != 2, when)
            events.add(event_id, org_id, task_id, posted_kind, staff_author,
                       customer_author, f'{{"post": {post_id}}}', when)
            post_id += 1
            event_id += 1
        done = slot + 1
        if done % CHUNK == 0 or done == total:
            with transaction.atomic():
                skip_foreign_key_checks()
                for table in (tasks, assignments, posts, events, notifications):
                    table.write()
            if done % (CHUNK * 10) == 0 or done == total:
                elapsed = time.monotonic() - started
                progress(f"{done:,} of {total:,} requests, {elapsed:.0f}s "
                              f"({done / max(elapsed, 1e-6):,.0f}/s)")
    ids[Assignment].next_id = assignment_id
    ids[Post].next_id = post_id
    ids[TaskEvent].next_id = event_id
    ids[Notification].next_id = notification_id

    big_ids = sorted((first_task + slot for slot, owner in enumerate(owners)
                      if owner == big_customer), reverse=True)
    ordinary_ids = sorted((first_task + slot for slot in ordinary_slots), reverse=True)
    page = 25
    deep_page = min(100, (len(big_ids) - 1) // page + 1)
    open_ids = (Task.objects.for_org(measured.organization).open().order_by("-pk")
                .values_list("pk", flat=True)[:1])
    long_task = Task.objects.get(pk=first_task + long_slot)
    return {
        "requests": shapes[0].requests,
        "organization": {"id": measured.organization.pk, "slug": measured.organization.slug},
        "other_organization": {"id": other.organization.pk,
                               "slug": other.organization.slug},
        "staff_user_id": measured.teams[0].member_ids[0],
        "topic_ids": [team.topic_id for team in measured.teams],
        "rare_word": RARE_WORD,
        "planted": planted,
        "newest_planted_id": bench_pages.newest_with(measured.organization, RARE_WORD),
        "ordinary": {
            "customer_id": ordinary,
            "portal_user_id": measured.portal_users[ordinary][0],
            "request_count": len(ordinary_ids),
            "newest_request_id": ordinary_ids[0],
        },
        "big": {
            "customer_id": big_customer,
            "portal_user_id": measured.portal_users[big_customer][0],
            "request_count": len(big_ids),
            "newest_request_id": big_ids[0],
            "deep_page": deep_page,
            "deep_before": big_ids[(deep_page - 1) * page - 1] if deep_page > 1
            else big_ids[0] + 1,
            "deep_first_id": big_ids[(deep_page - 1) * page],
        },
        "detail_30": {"task_id": long_task.pk, "title": long_task.title, "posts": 30,
                      "live": bench_pages.live_polls(long_task.pk)},
        "detail_3": {"task_id": first_task + short_slot, "posts": 3},
        "newest_open_request_id": open_ids[0] if open_ids else None,
        "rows": {
            "tasks": total, "posts": Post.objects.count(),
            "customers": Customer.objects.count(), "portal_users": PortalUser.objects.count(),
            "task_events": TaskEvent.objects.count(),
            "notifications": Notification.objects.count(),
        },
    }
