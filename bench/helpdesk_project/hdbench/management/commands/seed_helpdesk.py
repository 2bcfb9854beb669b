"""`manage.py seed_helpdesk --requests N`: django-helpdesk with the shape of Frontdesk's
`seed_bench` data, for the bench (see bench/README.md).

2 queues, 50 staff, 2,000 submitters (one "big" submitter with 5,000 tickets, the others with
log-normal weights, as Frontdesk's customers), N tickets with 3 follow-ups each (a third of them
private, i.e. internal), one ticket with 30 follow-ups, the same rare word in about 0.5% of the
tickets, the same status mix (recent tickets open, older ones closed). Users get their
`UserSettings` row, as django-helpdesk's post_save signal would give them.

Bulk rows go in with executemany over the model's own columns (like Frontdesk's seed_bench,
and for the same reason: `bulk_create` is too slow for a million tickets). Prints one JSON
object with the ids the bench needs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import runpy
import time
import uuid
from bisect import bisect
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from statistics import median_low
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction

# django-helpdesk lives in the bench's own virtualenv, not in Frontdesk's (where mypy runs).
from helpdesk.models import (  # type: ignore[import-not-found,unused-ignore]
    FollowUp,
    Queue,
    Ticket,
    UserSettings,
)

# The same texts as Frontdesk's seed_bench: its plain-constants module, loaded by path (this
# command runs in django-helpdesk's virtualenv, without Frontdesk).
_TEXTS = runpy.run_path(str(Path(__file__).resolve().parents[5] / "frontdesk/core/bench_texts.py"))
RARE_WORD: str = _TEXTS["RARE_WORD"]
RARE_SHARE: float = _TEXTS["RARE_SHARE"]
SUBJECTS: list[str] = _TEXTS["SUBJECTS"]
PROBLEMS: list[str] = _TEXTS["PROBLEMS"]
SENTENCES: list[str] = _TEXTS["SENTENCES"]
STAFF_REPLIES: list[str] = _TEXTS["STAFF_REPLIES"]
INTERNAL_NOTES: list[str] = _TEXTS["INTERNAL_NOTES"]
END = dt.datetime(2026, 1, 1)  # naive UTC, as Frontdesk's seed_bench
SPAN = dt.timedelta(days=730)
CHUNK = 10_000
DUE_SHARE = 0.2


class Rows:
    """Rows of one model's table, inserted with executemany (SQLite only, as the bench)."""

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(names) - set(fields)
        if unknown:
            raise CommandError(f"{model.__name__} has no field(s) {sorted(unknown)}")
        rest = [f for name, f in fields.items() if name not in names]
        for f in rest:
            if not f.has_default() and not f.null:
                raise CommandError(f"{model.__name__}.{f.attname} needs a value")
        ordered = [fields[name] for name in names] + rest
        self.defaults = tuple(f.get_default() for f in rest)
        self.dates = [i for i, f in enumerate(ordered) if isinstance(f, models.DateTimeField)]
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in ordered),
            ", ".join(["%s"] * len(ordered)))
        self.pending: list[list[Any]] = []

    def add(self, *values: Any) -> None:
        row = [*values, *self.defaults]
        for index in self.dates:
            if row[index] is not None:
                row[index] = str(row[index])
        self.pending.append(row)

    def write(self) -> None:
        if self.pending:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.pending)
        self.pending = []


class Command(BaseCommand):
    help = "Seed an empty django-helpdesk database with the bench's data shape."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--submitters", type=int, default=2_000)
        parser.add_argument("--staff", type=int, default=50)
        parser.add_argument("--big-submitter-tickets", type=int, default=5_000)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if Ticket.objects.exists() or User.objects.exists():
            raise CommandError("The database has data; seed_helpdesk fills an empty one.")
        rng = random.Random(options["seed"])  # noqa: S311 (test data, not secrets)
        total = options["requests"]
        big = min(options["big_submitter_tickets"], total // 4)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
        Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1",
                                                      "name": "helpdesk bench"})
        with transaction.atomic():
            queues = [Queue.objects.create(title=title, slug=slug, allow_public_submission=True,
                                           email_address=f"{slug}@helpdesk.bench.example")
                      for title, slug in (("Technical support", "support"),
                                          ("Invoices and billing", "billing"))]
            password = make_password("bench-password")
            staff_ids = list(range(1, options["staff"] + 1))
            submitter_ids = list(range(staff_ids[-1] + 1,
                                       staff_ids[-1] + 1 + options["submitters"]))
            users = Rows(User, ["id", "username", "email", "first_name", "last_name",
                                "password", "is_staff", "is_superuser", "is_active",
                                "date_joined"])
            for user_id in staff_ids:
                users.add(user_id, f"staff{user_id}", f"staff{user_id}@helpdesk.bench.example",
                          "Staff", str(user_id), password, True, False, True, END - SPAN)
            for user_id in submitter_ids:
                users.add(user_id, f"person{user_id}", f"person{user_id}@c.bench.example",
                          "Person", str(user_id), password, False, False, True, END - SPAN)
            users.write()
            settings_rows = Rows(UserSettings, ["id", "user_id"])
            for user_id in staff_ids + submitter_ids:
                settings_rows.add(user_id, user_id)
            settings_rows.write()
        emails = dict(User.objects.values_list("pk", "email"))
        cut = max(1, len(staff_ids) * 3 // 5)
        teams = [(queues[0].pk, staff_ids[:cut]), (queues[1].pk, staff_ids[cut:] or staff_ids)]

        # The owner (submitter) of each ticket, in id order: the big submitter and the others
        # spread over the whole time span, with log-normal weights as in Frontdesk's seed.
        big_submitter = submitter_ids[0]
        slots = list(range(total))
        rng.shuffle(slots)
        big_slots = set(slots[:big])
        others = submitter_ids[1:]
        cumulative = list(accumulate(rng.lognormvariate(0, 1) for _ in others))
        owners = [big_submitter if slot in big_slots
                  else others[bisect(cumulative, rng.random() * cumulative[-1])]
                  for slot in range(total)]
        counts = Counter(owners)
        candidates = {owner: counts[owner] for owner in others if counts[owner] >= 3}
        typical = median_low(candidates.values())
        ordinary = min(owner for owner, count in candidates.items() if count == typical)
        ordinary_slots = [slot for slot, owner in enumerate(owners) if owner == ordinary]
        long_slot = ordinary_slots[-2]

        tickets = Rows(Ticket, ["id", "title", "queue_id", "created", "modified",
                                "submitter_email", "assigned_to_id", "status", "on_hold",
                                "description", "resolution", "priority", "secret_key",
                                "due_date"])
        followups = Rows(FollowUp, ["id", "ticket_id", "date", "title", "comment", "public",
                                    "user_id"])
        titles = [f"{subject} {problem}" for subject in SUBJECTS for problem in PROBLEMS]
        descriptions = [" ".join(rng.sample(SENTENCES, rng.randint(2, 4))) for _ in range(999)]
        replies = [" ".join(rng.sample(SENTENCES, 2)) for _ in range(999)]
        hours = [dt.timedelta(hours=number) for number in range(32)]
        days = [dt.timedelta(days=number) for number in range(15)]
        step = SPAN / total
        followup_id = 1
        planted = 0
        for slot in range(total):
            ticket_id = slot + 1
            age = slot / total
            created = END - SPAN + step * slot + dt.timedelta(seconds=rng.random() * 30)
            status = self.status_for(rng, age)
            queue_id, members = teams[0] if rng.random() < 0.7 else teams[1]
            description = rng.choice(descriptions)
            if rng.random() < RARE_SHARE:
                description += f" The {RARE_WORD} module logs a warning at start-up."
                planted += 1
            is_open = status in (Ticket.OPEN_STATUS, Ticket.REOPENED_STATUS)
            assignee = None if is_open and rng.random() < 0.1 else rng.choice(members)
            count = 30 if slot == long_slot else 3
            submitter = owners[slot]
            tickets.add(ticket_id, rng.choice(titles), queue_id, created,
                        created + hours[count], emails[submitter], assignee, status, False,
                        description, None if is_open else "Solved.", self.priority(rng),
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        # As Frontdesk's: a fifth of the open ones due 1–14 days after.
                        created + days[rng.randint(1, 14)]
                        if is_open and rng.random() < DUE_SHARE else None)
            author = assignee or rng.choice(members)
            for number in range(count):
                kind = number % 3  # a staff reply, the submitter's answer, a private note
                tickets_user = submitter if kind == 1 else author
                comment = (rng.choice(STAFF_REPLIES) if kind == 0
                           else rng.choice(replies) if kind == 1 else rng.choice(INTERNAL_NOTES))
                followups.add(followup_id, ticket_id, created + hours[number + 1], "Comment",
                              comment, kind != 2, tickets_user)
                followup_id += 1
            done = slot + 1
            if done % CHUNK == 0 or done == total:
                with transaction.atomic():
                    tickets.write()
                    followups.write()
                if done % (CHUNK * 10) == 0 or done == total:
                    self.stderr.write(f"seed_helpdesk: {done:,} of {total:,} tickets, "
                                      f"{time.monotonic() - started:.0f}s")
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                    no_style(), [User, UserSettings, Ticket, FollowUp]):
                cursor.execute(statement)
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        big_ids = sorted((slot + 1 for slot in big_slots), reverse=True)
        ordinary_ids = sorted((slot + 1 for slot in ordinary_slots), reverse=True)
        deep_page = min(100, (len(big_ids) - 1) // 25 + 1)
        long_ticket = Ticket.objects.select_related("queue").get(pk=long_slot + 1)
        newest_open = (Ticket.objects.filter(status__in=[1, 2]).order_by("-pk")
                       .values_list("pk", flat=True).first())
        oldest_open = (Ticket.objects.filter(status__in=[1, 2]).order_by("created")
                       .values_list("pk", flat=True).first())
        # The staff member's own open tickets, as its list shows them filtered on the owner
        # (oldest first, its default order).
        mine = (Ticket.objects.filter(status__in=[1, 2], assigned_to_id=teams[0][1][0])
                .order_by("created").values_list("pk", flat=True))
        mine_ids = list(mine)
        result = {
            "requests": total,
            "seed": options["seed"],
            "queue_ids": [queue.pk for queue in queues],
            "staff_user_id": teams[0][1][0],
            "rare_word": RARE_WORD,
            "planted": planted,
            "ordinary": {"user_id": ordinary, "email": emails[ordinary],
                         "request_count": len(ordinary_ids),
                         "newest_request_id": ordinary_ids[0]},
            "big": {"user_id": big_submitter, "email": emails[big_submitter],
                    "request_count": len(big_ids), "newest_request_id": big_ids[0],
                    "deep_page": deep_page, "deep_first_id": big_ids[(deep_page - 1) * 25]},
            "detail_30": {"task_id": long_ticket.pk, "title": long_ticket.title,
                          "ticket_for_url": long_ticket.ticket_for_url, "posts": 30},
            "staff_mine": {"open_assigned": len(mine_ids),
                           "oldest_id": mine_ids[0] if mine_ids else None},
            "newest_open_request_id": newest_open,
            "oldest_open_request_id": oldest_open,
            "rows": {"tickets": total, "followups": followup_id - 1},
            "seconds": round(time.monotonic() - started, 1),
        }
        self.stdout.write(json.dumps(result, indent=2))

    @staticmethod
    def status_for(rng: random.Random, age: float) -> int:
        """Frontdesk's mix: open / in progress / waiting map to Open and Reopened (the
        statuses django-helpdesk's default list shows), closed to Resolved or Closed."""
        roll = rng.random()
        if age >= 0.98:
            open_share = 0.85
        elif age >= 0.9:
            open_share = 0.3
        else:
            open_share = 0.03
        if roll < open_share:
            return Ticket.OPEN_STATUS if roll < open_share * 2 / 3 else Ticket.REOPENED_STATUS
        return Ticket.CLOSED_STATUS if roll < (1 + open_share) / 2 else Ticket.RESOLVED_STATUS

    @staticmethod
    def priority(rng: random.Random) -> int:
        roll = rng.random()
        return 3 if roll < 0.7 else 4 if roll < 0.85 else 2 if roll < 0.97 else 1
