"""`manage.py seed_bench` (the bench's data) on the test database: the shape it promises."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.db import connection
from django.db.models import F, Sum
from django.test import TransactionTestCase

from frontdesk.billing.models import Balance, Invoice, LedgerEntry, Quote
from frontdesk.core.bench_pages import EMAIL_SEARCH_CUSTOMER
from frontdesk.core.bench_texts import RARE_WORD
from frontdesk.core.management.commands.seed_bench import DUPLICATE_EVERY
from frontdesk.customers.duplicates import duplicate_page
from frontdesk.customers.models import Contact, Customer
from frontdesk.organizations.models import Organization
from frontdesk.support import request_search, search_index
from frontdesk.support.models import Assignment, Post, Task, Topic


class SeedBenchTests(TransactionTestCase):
    def test_it_seeds_the_promised_shape_and_prints_what_the_bench_needs(self) -> None:
        out = io.StringIO()
        call_command("seed_bench", "--requests", "400", "--customers", "40", "--staff", "8",
                     "--big-customer-requests", "100", "--no-analyze", stdout=out,
                     stderr=io.StringIO())
        result = json.loads(out.getvalue())
        bench = Organization.objects.get(slug=result["organization"]["slug"])
        self.assertEqual(Organization.objects.count(), 2)
        self.assertEqual(Task.objects.for_org(bench).count(), 400)
        self.assertEqual(Customer.objects.for_org(bench).count(), 40)
        self.assertEqual(Task.objects.filter(customer_id=result["big"]["customer_id"]).count(),
                         result["big"]["request_count"])
        long_task = Task.objects.get(pk=result["detail_30"]["task_id"])
        self.assertEqual(Post.objects.filter(task=long_task).count(), 30)
        planted = Task.objects.for_org(bench).filter(description__contains=RARE_WORD).count()
        self.assertEqual(planted, result["planted"])
        # The search finds them: its indexes were made after the load, and kept from then on.
        match = request_search.match_expression([RARE_WORD], connection)
        found = Task.objects.for_org(bench).filter(
            pk__in=request_search.found(connection.vendor, match, bench.pk))
        self.assertEqual(found.count(), planted)
        self.assertEqual(search_index.ensure(connection), [])
        self.assertEqual(result["newest_planted_id"],
                         Task.objects.for_org(bench).filter(description__contains=RARE_WORD)
                         .order_by("-pk").values_list("pk", flat=True)[0])
        self.assertEqual(result["staff_mine"]["open_assigned"],
                         Task.objects.for_org(bench).open()
                         .filter(assignees=result["staff_user_id"]).count())
        # A share of the open requests is overdue; the bench knows the views' first rows.
        overdue = Task.objects.for_org(bench).open().filter(due_date__isnull=False)
        self.assertEqual(result["inbox"]["overdue"], overdue.count())
        self.assertGreater(overdue.count(), 0)
        self.assertFalse(Task.objects.filter(status="closed", due_date__isnull=False).exists())
        self.assertEqual(result["inbox"]["overdue_first_id"],
                         overdue.order_by("due_date", "pk").values_list("pk", flat=True)[0])
        # The view by topic shows the last topic's (that of 30% of the requests).
        topic = Topic.objects.for_org(bench).order_by("position", "pk").last()
        assert topic is not None
        self.assertEqual(result["inbox"]["topic_id"], topic.pk)
        self.assertEqual(result["inbox"]["topic_newest_open_id"],
                         Task.objects.for_org(bench).open().filter(topic=topic)
                         .order_by("-pk").values_list("pk", flat=True)[0])
        self.assertEqual(result["inbox"]["topic_id"], result["topic_ids"][-1])
        # One customer in DUPLICATE_EVERY was entered twice: a group of probable duplicates.
        groups = duplicate_page(bench.pk, "name_key", None).groups
        self.assertEqual(len(groups), 40 // DUPLICATE_EVERY)
        self.assertEqual([len(group.members) for group in groups], [2] * len(groups))
        self.assertEqual(len(duplicate_page(bench.pk, "email_domain", None).groups),
                         len(groups))
        # Every assignment carries its task's open flag (support/open_flag.py).
        self.assertFalse(Assignment.objects.exclude(is_open=F("task__is_open")).exists())
        self.assertTrue(Assignment.objects.filter(is_open=0).exists())
        # The e-mail searched is a contact's of the same customer at every N (the sixth made).
        sixth = Customer.objects.for_org(bench).order_by("pk")[EMAIL_SEARCH_CUSTOMER]
        term = result["customers"]["email_search"]["term"]
        self.assertTrue(Contact.objects.filter(customer=sixth, email=term).exists())
        self.assertEqual(result["customers"]["email_search"]["matches"], 1)
        # Billing: an invoice per four requests, the big customer's share of them, each
        # customer's balance the sum of its entries, issued invoices numbered without gaps.
        invoices = Invoice.objects.for_org(bench)
        self.assertEqual(invoices.count(), 100)
        self.assertEqual(invoices.filter(customer_id=result["big"]["customer_id"]).count(), 25)
        numbers = sorted(number for number in invoices.values_list("number", flat=True)
                         if number is not None)
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
        self.assertEqual(Quote.objects.for_org(bench).count(), 40)
        for balance in Balance.objects.for_org(bench):
            entries = LedgerEntry.objects.filter(customer_id=balance.customer_id)
            self.assertEqual(balance.amount, entries.aggregate(total=Sum("amount"))["total"])
        self.assertEqual(result["billing"]["big_entries"],
                         LedgerEntry.objects.filter(
                             customer_id=result["big"]["customer_id"]).count())
        # The ids go on from the rows written: the next invoice made by hand is stored.
        self.assertGreater(Invoice.objects.create(
            organization=bench, customer_id=result["big"]["customer_id"], title="x",
            currency="EUR").pk, result["billing"]["newest_invoice_id"])
        # It refuses a database that has data.
        with self.assertRaisesMessage(Exception, "The database has data"):
            call_command("seed_bench", "--requests", "400", stdout=io.StringIO(),
                         stderr=io.StringIO())
