"""`manage.py seed_bench --requests N`: the data `make bench` measures (see bench/README.md).

Two organizations. The measured one ("bench") has 50 staff in 2 groups, 2 topics, 2,000
customers with 1–3 portal users each, and N requests spread over those customers (one "big"
customer has 5,000), 3 posts each (a third of them internal), one request with 30 posts, and a
rare word planted in about 0.5% of the requests. The other organization ("bench-other") is
smaller and its rows are interleaved with the measured one's, so every query has to filter by
organization.

Speed: the organizations, groups, topics and portal settings go through the services; the
millions of rows go in with `bulk_create`, in id order, with ids chosen here (so posts, events
and notifications can refer to each other without reading anything back), one transaction per
chunk. The rows keep what the actions guarantee: the organization on every row, a request's
customer is its requester's customer, assignees are staff of the task's group and are
`Task.assignees` rows, `TaskEvent`s record creation and each post.

Deterministic: the same `--seed` and `--requests` give the same rows (dates end on a fixed
day, not today). Prints one JSON object on stdout with the ids and slugs the bench needs;
progress goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from statistics import median_low
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from frontdesk.accounts.models import User
from frontdesk.core import bench_billing, bench_pages
from frontdesk.core.bench_shapes import (
    OrgRows,
    OrgShape,
    Team,
    org_shapes,
    pick_due,
    pick_priority,
    plan_owners,
    status_for,
)
from frontdesk.core.bench_texts import (
    COMPANY_KINDS,
    COMPANY_WORDS,
    FIRST_NAMES,
    INTERNAL_NOTES,
    LAST_NAMES,
    PROBLEMS,
    RARE_SHARE,
    RARE_WORD,
    SENTENCES,
    STAFF_REPLIES,
    SUBJECTS,
)
from frontdesk.core.bulk_rows import (
    IdRange,
    Rows,
    analyze,
    insert,
    load_fast,
    reset_sequences,
    skip_foreign_key_checks,
)
from frontdesk.customers.models import Contact, Customer
from frontdesk.organizations.models import Group, Membership, Organization
from frontdesk.organizations.permissions import Level
from frontdesk.organizations.services import (
    add_staff_member,
    create_organization,
    save_group,
)
from frontdesk.portal.models import PortalSettings, PortalUser
from frontdesk.portal.services import update_portal_settings
from frontdesk.support import search_index
from frontdesk.support.models import (
    OPEN_STATUSES,
    Assignment,
    Notification,
    Post,
    Source,
    Status,
    Task,
    TaskEvent,
    Topic,
)
from frontdesk.support.topics import save_topic

# Dates end here, not today, so that two runs with the same seed give the same rows.
END = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
END_UTC_NAIVE = END.replace(tzinfo=None)  # for `Rows`
SPAN = dt.timedelta(days=730)
CHUNK = 10_000  # requests per transaction
DUPLICATE_EVERY = 40
PASSWORD = "bench-password"  # noqa: S105 (a throwaway database, documented in bench/README.md)


class Command(BaseCommand):
    help = "Seed an empty database with the data `make bench` measures (bench/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=100_000,
                            help="requests of the measured organization (default 100000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--customers", type=int, default=2_000)
        parser.add_argument("--staff", type=int, default=50)
        parser.add_argument("--big-customer-requests", type=int, default=5_000)
        parser.add_argument("--force", action="store_true",
                            help="empty the database first (manage.py flush) if it has data")
        parser.add_argument("--no-analyze", action="store_true",
                            help="skip ANALYZE (SQLite) / VACUUM ANALYZE (PostgreSQL)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        requests: int = options["requests"]
        if requests < 100:
            raise CommandError("--requests must be at least 100.")
        if Organization.objects.exists() or User.objects.exists() or Task.objects.exists():
            if not options["force"]:
                raise CommandError("The database has data. seed_bench fills an empty database "
                                   "only; --force empties it first (manage.py flush).")
            self.progress("Emptying the database (--force).")
            call_command("flush", interactive=False, verbosity=0)
        self.rng = random.Random(options["seed"])  # noqa: S311 (test data, not secrets)
        self.password = make_password(PASSWORD)
        self.ids = {model: IdRange(model) for model in (
            User, Customer, Contact, PortalUser, Task, Assignment, Post,
            TaskEvent, Notification)}
        load_fast()

        big = min(options["big_customer_requests"], requests // 4)
        measured, other = org_shapes(options["staff"], options["customers"], requests)
        orgs = [self.create_org(measured), self.create_org(other)]
        self.progress(f"Organizations, staff, customers: {time.monotonic() - started:.1f}s")
        with search_index.made_after(connection):
            result = self.create_requests(orgs, [measured, other], big=big)
        billed = time.monotonic()
        result.update(bench_billing.seed_billing(
            self.rng, [(orgs[0], measured.requests), (orgs[1], other.requests)],
            orgs[0].customer_ids[0], big, END_UTC_NAIVE.date()))
        self.progress(f"Quotes, invoices, ledgers: {time.monotonic() - billed:.1f}s")
        reset_sequences([*self.ids, *bench_billing.models_loaded()])
        if not options["no_analyze"]:
            analyzed = time.monotonic()
            analyze()
            self.progress(f"ANALYZE: {time.monotonic() - analyzed:.1f}s")
        result.update(bench_pages.pages(orgs[0].organization, result["staff_user_id"],
                                        orgs[0].customer_ids))
        result["seconds"] = round(time.monotonic() - started, 1)
        result["seed"] = options["seed"]
        self.progress(f"Done in {result['seconds']}s.")
        self.stdout.write(json.dumps(result, indent=2))

    def progress(self, message: str) -> None:
        self.stderr.write(f"seed_bench: {message}")

    # Organizations, staff, groups, topics, customers, portal users: few rows.

    @transaction.atomic
    def create_org(self, shape: OrgShape) -> OrgRows:
        rng = self.rng
        admin = User.objects.create(id=self.ids[User].take(1)[0],
                                    email=f"admin@{shape.slug}.example",
                                    full_name="Bench Admin", password=self.password)
        organization = create_organization(slug=shape.slug, name=shape.name, admin=admin)
        update_portal_settings(
            portal_settings=PortalSettings.objects.get(organization=organization),
            changes={"public_form_enabled": True, "display_name": f"{shape.name} Support",
                     "form_title": "How can we help?"})
        staff_ids = list(self.ids[User].take(shape.staff - 1))
        insert(User, [
            User(id=user_id, email=f"staff{user_id}@{shape.slug}.example",
                 full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                 password=self.password, date_joined=END - SPAN)
            for user_id in staff_ids])
        staff = list(User.objects.filter(pk__in=staff_ids).order_by("pk"))
        for user in staff:
            add_staff_member(organization=organization, user=user)
        Membership.objects.for_org(organization).filter(is_admin=False).update(
            level_support=Level.CONTRIBUTE, level_customers=Level.CONTRIBUTE)

        # Two groups of about 60% and 40% of the staff, the admin in both; a topic for each.
        cut = max(1, len(staff) * 3 // 5)
        support = Group.objects.for_org(organization).get()
        general = Topic.objects.for_org(organization).get()
        support = save_group(organization=organization, name="Support",
                             members=[admin, *staff[:cut]], group=support)
        billing = save_group(organization=organization, name="Billing",
                             members=[admin, *staff[cut:]])
        general = save_topic(organization=organization, topic=general, name="Technical support",
                             group=support, assignees=staff[:2])
        invoices = save_topic(organization=organization, name="Invoices and billing",
                              group=billing, assignees=staff[cut:cut + 2] or [admin])
        teams = [
            Team(group_id=support.pk, topic_id=general.pk,
                 member_ids=[user.pk for user in staff[:cut]]),
            Team(group_id=billing.pk, topic_id=invoices.pk,
                 member_ids=[user.pk for user in staff[cut:]] or [admin.pk]),
        ]

        customer_ids = list(self.ids[Customer].take(shape.customers))
        created = END - SPAN - dt.timedelta(days=30)
        customers = [
            Customer(id=customer_id, organization=organization,
                     short_name=f"{rng.choice(COMPANY_WORDS)} {customer_id}",
                     full_name=f"{rng.choice(COMPANY_WORDS)} {customer_id} "
                               f"{rng.choice(COMPANY_KINDS)}",
                     email=f"office@c{customer_id}.{shape.slug}.example",
                     phone=f"+31 20 {customer_id:07d}", created_at=created, updated_at=created)
            for customer_id in customer_ids]
        # As in any register, some companies were entered twice (SPEC C11): one record in
        # DUPLICATE_EVERY is the one before it again, with a legal form and another address
        # at its domain.
        for earlier, again in zip(customers[DUPLICATE_EVERY - 2::DUPLICATE_EVERY],
                                  customers[DUPLICATE_EVERY - 1::DUPLICATE_EVERY], strict=False):
            again.short_name = f"{earlier.short_name} B.V."
            again.email = f"info@c{earlier.pk}.{shape.slug}.example"
        insert(Customer, customers)
        rows = OrgRows(organization=organization, staff_ids=[user.pk for user in staff],
                       teams=teams, customer_ids=customer_ids)
        portal_users: list[PortalUser] = []
        contacts: list[Contact] = []
        for customer_id in customer_ids:
            count = rng.randint(1, shape.max_portal_users)
            ids = list(self.ids[PortalUser].take(count))
            rows.portal_users[customer_id] = ids
            for number, portal_user_id in enumerate(ids, start=1):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                email = f"person{number}@c{customer_id}.{shape.slug}.example"
                portal_users.append(PortalUser(
                    id=portal_user_id, organization=organization, customer_id=customer_id,
                    email=email, first_name=first, last_name=last, created_at=created))
                # The person is also a contact of the customer, as when staff add them.
                contacts.append(Contact(
                    id=self.ids[Contact].take(1)[0], organization=organization,
                    customer_id=customer_id, first_name=first, last_name=last, email=email,
                    created_at=created))
        insert(PortalUser, portal_users)
        insert(Contact, contacts)
        return rows

    # Requests, posts, events, notifications: the bulk.

    def create_requests(self, orgs: list[OrgRows], shapes: list[OrgShape], *, big: int
                        ) -> dict[str, Any]:
        rng = self.rng
        measured, other = orgs
        total = sum(shape.requests for shape in shapes)
        big_customer = measured.customer_ids[0]
        owners = plan_owners(self.rng, orgs, shapes, big=big, big_customer=big_customer)
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
        first_task = self.ids[Task].take(total)[0]
        post_id = self.ids[Post].take(1)[0]
        event_id = self.ids[TaskEvent].take(1)[0]
        assignment_id = self.ids[Assignment].take(1)[0]
        notification_id = self.ids[Notification].take(1)[0]
        tasks = Rows(Task, ["id", "organization_id", "title", "description", "group_id",
                            "topic_id", "status", "priority", "customer_id", "requester_id",
                            "source", "created_at", "updated_at", "closed_at", "due_date"])
        # The open flag is given: on PostgreSQL the load skips triggers (see above), the one
        # that copies it from the task included (support/open_flag.py).
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
                    self.progress(f"{done:,} of {total:,} requests, {elapsed:.0f}s "
                                  f"({done / max(elapsed, 1e-6):,.0f}/s)")
        self.ids[Assignment].next_id = assignment_id
        self.ids[Post].next_id = post_id
        self.ids[TaskEvent].next_id = event_id
        self.ids[Notification].next_id = notification_id

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
