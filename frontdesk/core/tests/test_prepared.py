"""`prepared` queries give what the ORM gives, for any values, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.lib.prepared import prepared, prepared_insert, prepared_together
from frontdesk.organizations.models import Membership
from frontdesk.support.models import Assignment, Status, Task, Topic


def _tasks(org_id: int, before: int | None) -> QuerySet[Task]:
    tasks = Task.objects.filter(organization_id=org_id).select_related("customer", "requester")
    if before is not None:
        tasks = tasks.filter(pk__lt=before)
    return tasks.order_by("-pk")[:3]


tasks_page = prepared(_tasks)


@prepared
def task_rows(org_id: int, title: str, ids: list[int]) -> QuerySet[Task, Any]:
    return (Task.objects.filter(Q(title=title) | Q(pk__in=ids), organization_id=org_id)
            .values_list("id", "title", "customer__short_name", "created_at", named=True)
            .order_by("id"))


@prepared
def customers_with_counts(org_id: int, since: dt.datetime) -> QuerySet[Customer]:
    return (Customer.objects.filter(organization_id=org_id, created_at__gte=since)
            .annotate(task_count=Count("tasks")).only("id", "short_name").order_by("id"))


class PreparedQueryTests(FrontdeskTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        topic = Topic.objects.for_org(cls.org_a).get()
        for number in range(5):
            customer = cls.customer_a1 if number % 2 else None
            Task.objects.create(organization=cls.org_a, title=f"Task {number}",
                                customer=customer, topic=topic, group_id=topic.group_id,
                                requester=cls.portal_a1 if customer else None)
        other_topic = Topic.objects.for_org(cls.org_b).get()
        Task.objects.create(organization=cls.org_b, title="Task 1", status=Status.OPEN,
                            topic=other_topic, group_id=other_topic.group_id)

    def test_model_rows_match_the_orm_with_their_related_objects(self) -> None:
        for org in (self.org_a, self.org_b):
            expected = list(_tasks(org.pk, None))
            rows = tasks_page(org.pk, None)
            self.assertEqual(rows, expected)
            for row, want in zip(rows, expected, strict=True):
                self.assertEqual(row.title, want.title)
                self.assertEqual(row.created_at, want.created_at)
                self.assertEqual(row.customer, want.customer)
                if want.customer is not None:
                    self.assertEqual(row.customer.short_name, want.customer.short_name)
            # The next page: another shape of the same query (a cursor instead of None).
            if expected:
                self.assertEqual(tasks_page(org.pk, expected[-1].pk),
                                 list(_tasks(org.pk, expected[-1].pk)))

    def test_related_objects_come_with_the_row_not_with_another_query(self) -> None:
        tasks_page(self.org_a.pk, None)
        with CaptureQueriesContext(connection) as queries:
            rows = tasks_page(self.org_a.pk, None)
            names = [row.customer.short_name for row in rows if row.customer]
        self.assertEqual(len(queries), 1)
        self.assertTrue(names)

    def test_values_rows_are_named_tuples_and_lists_are_values(self) -> None:
        first = Task.objects.for_org(self.org_a).order_by("id")[0]
        for ids in ([first.pk], [first.pk, first.pk + 1], []):
            rows = task_rows(self.org_a.pk, "Task 3", ids)
            expected = list(Task.objects.filter(Q(title="Task 3") | Q(pk__in=ids),
                                                organization=self.org_a)
                            .values_list("id", "title", "customer__short_name", "created_at")
                            .order_by("id"))
            self.assertEqual([tuple(row) for row in rows], expected)
            self.assertTrue(all(row.title for row in rows))
        # Another organization's rows never come back, whatever the ids say.
        other = Task.objects.for_org(self.org_b).get()
        self.assertEqual(task_rows(self.org_a.pk, "Task 1", [other.pk])[0].title, "Task 1")
        self.assertNotIn(other.pk, [row.id for row in task_rows(self.org_a.pk, "x", [other.pk])])

    def test_annotations_and_datetimes(self) -> None:
        since = timezone.now() - dt.timedelta(days=1)
        rows = customers_with_counts(self.org_a.pk, since)
        expected = list(Customer.objects.filter(organization=self.org_a, created_at__gte=since)
                        .annotate(task_count=Count("tasks")).order_by("id"))
        self.assertEqual([(c.pk, c.task_count) for c in rows],
                         [(c.pk, c.task_count) for c in expected])
        self.assertIn(2, [c.task_count for c in rows])
        self.assertEqual(customers_with_counts(self.org_a.pk, timezone.now()
                                               + dt.timedelta(days=1)), [])

    def test_dates_are_values(self) -> None:
        @prepared
        def due_before(org_id: int, day: dt.date) -> QuerySet[Task, Any]:
            return (Task.objects.filter(organization_id=org_id, due_date__lt=day)
                    .values_list("title", "due_date", named=True).order_by("due_date", "id"))

        today = dt.date(2026, 11, 27)
        for number, days in ((1, -3), (2, 0), (3, -1)):
            Task.objects.filter(organization=self.org_a, title=f"Task {number}").update(
                due_date=today + dt.timedelta(days=days))
        self.assertEqual([(row.title, row.due_date) for row in due_before(self.org_a.pk, today)],
                         [("Task 1", dt.date(2026, 11, 24)), ("Task 3", dt.date(2026, 11, 26))])
        self.assertEqual([row.title for row in due_before(self.org_a.pk, dt.date(2026, 11, 25))],
                         ["Task 1"])
        self.assertEqual(due_before(self.org_b.pk, today), [])

    def test_patterns_take_their_values_escaped_as_the_orm_escapes_them(self) -> None:
        @prepared
        def searching(org_id: int, part: str, name: str) -> QuerySet[Customer]:
            return (Customer.objects.filter(organization_id=org_id)
                    .filter(Q(short_name__icontains=part) | Q(full_name__iexact=name)
                            | Q(email__startswith=part)).order_by("id"))

        Customer.objects.create(organization=self.org_a, short_name="100% Beer_Co",
                                full_name="Under_score")
        Customer.objects.create(organization=self.org_a, short_name="1000 Beers",
                                full_name="UnderXscore")
        for part, name in [("ini", "-"), ("0% b", "-"), ("r_c", "-"), ("%", "-"),
                           ("zzz", "under_score"), ("zzz", "under%"), ("_", "x")]:
            expected = list(Customer.objects.filter(organization=self.org_a).filter(
                Q(short_name__icontains=part) | Q(full_name__iexact=name)
                | Q(email__startswith=part)).order_by("id"))
            self.assertEqual(searching(self.org_a.pk, part, name), expected, (part, name))
        self.assertEqual([c.short_name for c in searching(self.org_a.pk, "0% b", "-")],
                         ["100% Beer_Co"])
        self.assertEqual([c.full_name for c in searching(self.org_a.pk, "zzz", "under_score")],
                         ["Under_score"])

    def test_what_cannot_be_prepared_is_refused(self) -> None:
        @prepared
        def changed(term: str) -> QuerySet[Customer]:
            # The value is changed before the ORM sees it: its place cannot be found.
            return Customer.objects.filter(short_name=term.upper())

        with self.assertRaises(ValueError):
            changed("ini")

        @prepared
        def prefetching(org_id: int) -> QuerySet[Task]:
            return Task.objects.filter(organization_id=org_id).prefetch_related("assignees")

        with self.assertRaises(ValueError):
            prefetching(self.org_a.pk)

        @prepared
        def unused(org_id: int) -> QuerySet[Task]:
            return Task.objects.all()

        with self.assertRaises(ValueError):
            unused(self.org_a.pk)
        with self.assertRaises(TypeError):
            tasks_page(1.5, None)  # type: ignore[arg-type]


class ServerPreparedStatementTests(FrontdeskTestCase):
    """On PostgreSQL (settings: PG_PREPARED_STATEMENTS), a statement a connection repeats is
    prepared on the server, and gives the same rows, for other values too, once prepared."""

    def test_a_repeated_statement_is_prepared_and_keeps_giving_the_right_rows(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        first = Task.objects.create(organization=self.org_a, title="One", topic=topic,
                                    group_id=topic.group_id)
        second = Task.objects.create(organization=self.org_a, title="Two", topic=topic,
                                     group_id=topic.group_id, customer=self.customer_a1)
        for _ in range(4):
            self.assertEqual([row.title for row in task_rows(self.org_a.pk, "One", [])],
                             ["One"])
            self.assertEqual([row.id for row in task_rows(self.org_a.pk, "x", [second.pk])],
                             [second.pk])
            self.assertEqual(task_rows(self.org_b.pk, "One", [first.pk]), [])
        if connection.vendor != "postgresql":
            self.assertNotIn("prepare_threshold", connection.settings_dict["OPTIONS"])
            return
        with connection.cursor() as cursor:  # the planner costs of settings.py, too
            cursor.execute("SHOW random_page_cost")
            self.assertEqual(cursor.fetchone()[0], "1.1")
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [row[0] for row in cursor.fetchall()]
        self.assertTrue(any('FROM "support_task"' in sql and '"support_task"."title" = $'
                            in sql for sql in statements), statements)


@prepared_insert(Assignment)
def assign_staff_first(task_id: int, org_id: int) -> QuerySet[Any, Any]:
    # The task's id named before the field and the flag after: the SELECT's order decides.
    return (Membership.objects.filter(organization_id=org_id)
            .annotate(task_id=Cast(Value(task_id), BigIntegerField()),
                      is_open=Value(1, output_field=PositiveSmallIntegerField()))
            .values_list("task_id", "user_id", "is_open")
            .order_by("user_id"))


@prepared_insert(Assignment)
def assign_staff_last(org_id: int, task_id: int) -> QuerySet[Any, Any]:
    return (Membership.objects.filter(organization_id=org_id)
            .annotate(is_open=Value(1, output_field=PositiveSmallIntegerField()),
                      task_id=Cast(Value(task_id), BigIntegerField()))
            .values_list("user_id", "is_open", "task_id")
            .order_by("user_id"))


class PreparedInsertTests(FrontdeskTestCase):
    def new_task(self, organization: Any, title: str) -> Task:
        topic = Topic.objects.for_org(organization).first()
        assert topic is not None
        return Task.objects.create(organization=organization, title=title,
                                   group_id=topic.group_id)

    def assigned(self, task: Task) -> list[tuple[int, int]]:
        return list(Assignment.objects.filter(task=task).order_by("user_id")
                    .values_list("user_id", "is_open"))

    def test_rows_go_into_the_columns_they_are_named_for_in_any_order(self) -> None:
        staff_a = sorted(Membership.objects.filter(organization=self.org_a)
                         .values_list("user_id", flat=True))
        for assign in (assign_staff_first, assign_staff_last):
            with self.subTest(assign=assign.__name__):
                task = self.new_task(self.org_a, assign.__name__)
                other = self.new_task(self.org_b, assign.__name__)
                args = ((task.pk, self.org_a.pk) if assign is assign_staff_first
                        else (self.org_a.pk, task.pk))
                self.assertEqual(assign(*args), len(staff_a))
                self.assertEqual(self.assigned(task), [(user, 1) for user in staff_a])
                # Run again with other values: the other organization's staff, its task.
                args = ((other.pk, self.org_b.pk) if assign is assign_staff_first
                        else (self.org_b.pk, other.pk))
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(assign(*args), 1)
                self.assertEqual(len(queries.captured_queries), 1)
                self.assertTrue(queries.captured_queries[0]["sql"].startswith("INSERT INTO"))
                self.assertEqual(self.assigned(other), [(self.staff_b.pk, 1)])
                self.assertEqual(len(self.assigned(task)), len(staff_a))

    def test_a_query_of_model_rows_or_unknown_names_is_refused(self) -> None:
        @prepared_insert(Assignment)
        def models(org_id: int) -> QuerySet[Any, Any]:
            return Membership.objects.filter(organization_id=org_id)

        @prepared_insert(Assignment)
        def unknown(org_id: int) -> QuerySet[Any, Any]:
            return Membership.objects.filter(organization_id=org_id).values_list("is_admin")

        for build in (models, unknown):
            with self.subTest(build=build.__name__), self.assertRaises(ValueError):
                build(self.org_a.pk)
        self.assertFalse(Assignment.objects.exists())


def _member(org_id: int, user_id: int) -> QuerySet[Membership]:
    return Membership.objects.select_related("user").filter(
        organization_id=org_id, user_id=user_id).annotate(
        org_slug=F("organization__slug"))[:1]


def _task(org_slug: str, title: str) -> QuerySet[Task]:
    return (Task.objects.for_org(org_slug).filter(title=title).select_related("topic")
            .annotate(assignees_count=Count("assignees"))[:1])


member_and_task = prepared_together(_member, _task)


class PreparedTogetherTests(FrontdeskTestCase):
    """Two one-row queries in one statement, each row as its own query gives it."""

    def test_both_rows_come_as_their_queries_give_them_in_one_statement(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = Task.objects.create(organization=self.org_a, title="Together", topic=topic,
                                   group_id=topic.group_id)
        task.assignees.set([self.agent_a, self.admin_a])
        with CaptureQueriesContext(connection) as queries:
            members, tasks = member_and_task((self.org_a.pk, self.agent_a.pk),
                                             ("acme-support", "Together"))
        self.assertEqual(len(queries), 1)
        [member], [found] = members, tasks
        self.assertEqual((member.user.email, member.org_slug), (self.agent_a.email, "acme-support"))
        self.assertEqual((found.pk, found.topic.name, found.assignees_count),
                         (task.pk, topic.name, 2))
        self.assertEqual(found.created_at, task.created_at)  # converted as the ORM does

    def test_the_second_comes_only_with_the_first(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        Task.objects.create(organization=self.org_a, title="Together", group_id=topic.group_id)
        # No membership (staff of the other organization): nothing of either.
        self.assertEqual(member_and_task((self.org_a.pk, self.staff_b.pk),
                                         ("acme-support", "Together")), ([], []))
        # A membership, and no such task at that address: the membership alone.
        members, tasks = member_and_task((self.org_a.pk, self.agent_a.pk),
                                         ("other-org", "Together"))
        self.assertEqual(([m.user_id for m in members], tasks), ([self.agent_a.pk], []))
