"""`manage.py seed_bench --requests N`: the data `make bench` measures (see bench/README.md).

Two organizations. The measured one ("bench") has 50 staff in 2 groups, 2 topics, 2,000
customers with 1–3 portal users each, and N requests spread over those customers (one "big"
customer has 5,000), 3 posts each (a third of them internal), one request with 30 posts, and a
rare word planted in about 0.5% of the requests. The other organization ("bench-other") is
smaller and its rows are interleaved with the measured one's, so every query has to filter by
organization.

Speed: the organizations, groups, topics and portal settings go through the services; the
millions of rows go in with `bulk_create`, in id order, with ids chosen ahead (so posts, events
and notifications can refer to each other without reading anything back), one transaction per
chunk: the requests and what hangs from them in core/bench_requests.py, the billing in
core/bench_billing.py. The rows keep what the actions guarantee: the organization on every row,
a request's customer is its requester's customer, assignees are staff of the task's group and
are `Task.assignees` rows, `TaskEvent`s record creation and each post.

Deterministic: the same `--seed` and `--requests` give the same rows (dates end on a fixed
day, not today). Prints one JSON object on stdout with the ids and slugs the bench needs;
progress goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from frontdesk.accounts.models import User
from frontdesk.core import bench_billing, bench_pages
from frontdesk.core.bench_requests import END, END_UTC_NAIVE, SPAN, create_requests
from frontdesk.core.bench_shapes import OrgRows, OrgShape, Team, org_shapes
from frontdesk.core.bench_texts import COMPANY_KINDS, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES
from frontdesk.core.bulk_rows import IdRange, analyze, insert, load_fast, reset_sequences
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
from frontdesk.support.models import Assignment, Notification, Post, Task, TaskEvent, Topic
from frontdesk.support.topics import save_topic

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
        self.ids: dict[type[models.Model], IdRange] = {model: IdRange(model) for model in (
            User, Customer, Contact, PortalUser, Task, Assignment, Post,
            TaskEvent, Notification)}
        load_fast()

        big = min(options["big_customer_requests"], requests // 4)
        measured, other = org_shapes(options["staff"], options["customers"], requests)
        orgs = [self.create_org(measured), self.create_org(other)]
        self.progress(f"Organizations, staff, customers: {time.monotonic() - started:.1f}s")
        with search_index.made_after(connection):
            result = create_requests(self.rng, self.ids, orgs, [measured, other], big=big,
                                     progress=self.progress)
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
