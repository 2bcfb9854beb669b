"""Automatic assignment per topic (SPEC X6): all the topic's assignees, one in turn, or the
least loaded; only active staff count; the customer's managers still come first."""

from __future__ import annotations

import threading
import time

from django.db import connection, connections, transaction
from django.test import TransactionTestCase

from frontdesk.accounts.models import User
from frontdesk.core.testing import make_staff
from frontdesk.customers.models import Customer
from frontdesk.customers.services import set_customer_managers
from frontdesk.organizations.models import Membership
from frontdesk.organizations.permissions import Level
from frontdesk.organizations.services import create_organization
from frontdesk.portal.models import PortalUser
from frontdesk.portal.tests.helpers import PortalTestCase
from frontdesk.support.models import Assignment, AssignmentMode, Notification, Task, Topic
from frontdesk.support.services import change_status, create_request
from frontdesk.support.topics import save_topic


class AutoAssignmentTestCase(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Made in id order: Zoe first, so that ties by name and by id differ.
        self.zoe = make_staff("zoe@acme.test", "Zoe Zed", self.org_a, support=Level.CONTRIBUTE)
        self.bob = make_staff("bob@acme.test", "Bob Bee", self.org_a, support=Level.CONTRIBUTE)
        self.amy = make_staff("amy@acme.test", "Amy Ash", self.org_a, support=Level.CONTRIBUTE)
        self.topic = Topic.objects.for_org(self.org_a).get()

    def use(self, mode: AssignmentMode, assignees: list[User] | None = None) -> None:
        save_topic(organization=self.org_a, topic=self.topic, name=self.topic.name,
                   group=self.topic.group, assignees=assignees or [self.zoe, self.bob,
                                                                   self.amy],
                   assignment=mode)

    def new_request(self, title: str = "Help") -> Task:
        # The topic as the forms load it: once per request.
        topic = Topic.objects.get(pk=self.topic.pk)
        return create_request(topic=topic, requester=self.portal_a1, title=title,
                              description="Please")

    def assignees_of(self, task: Task) -> list[int]:
        return list(Assignment.objects.filter(task=task).order_by("user_id")
                    .values_list("user_id", flat=True))


class RoundRobinTests(AutoAssignmentTestCase):
    def test_it_cycles_through_three_assignees_across_six_requests(self) -> None:
        self.use(AssignmentMode.ROUND_ROBIN)
        chosen = [self.assignees_of(self.new_request(f"#{n}")) for n in range(6)]
        order = sorted([self.zoe.pk, self.bob.pk, self.amy.pk])
        self.assertEqual(chosen, [[user_id] for user_id in order + order])
        self.assertEqual(Topic.objects.get(pk=self.topic.pk).last_assignee_id, order[-1])

    def test_two_requests_back_to_back_go_to_two_people(self) -> None:
        self.use(AssignmentMode.ROUND_ROBIN)
        # Both read the topic before either was written: the turn is read from the row,
        # locked, not from what each submission loaded.
        topic_1, topic_2 = (Topic.objects.get(pk=self.topic.pk) for _ in range(2))
        first = create_request(topic=topic_1, requester=self.portal_a1, title="1",
                               description="x")
        second = create_request(topic=topic_2, requester=self.portal_a2, title="2",
                                description="x")
        self.assertNotEqual(self.assignees_of(first), self.assignees_of(second))

    def test_deactivated_or_removed_members_are_skipped(self) -> None:
        self.use(AssignmentMode.ROUND_ROBIN)
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        Membership.objects.filter(organization=self.org_a, user=self.amy).delete()
        chosen = {self.assignees_of(self.new_request(f"#{n}"))[0] for n in range(3)}
        self.assertEqual(chosen, {self.zoe.pk})

    def test_a_request_waits_to_be_assigned_when_no_assignee_is_active(self) -> None:
        self.use(AssignmentMode.ROUND_ROBIN, [self.bob])
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        self.assertEqual(self.assignees_of(self.new_request()), [])


class LeastLoadedTests(AutoAssignmentTestCase):
    def give(self, user: User, count: int) -> None:
        for n in range(count):
            task = create_request(topic=self.topic, requester=self.portal_a2,
                                  title=f"load {n}", description="x")
            Assignment.objects.filter(task=task).delete()
            Assignment.objects.create(task=task, user=user)

    def test_it_picks_the_assignee_with_the_fewest_open_requests(self) -> None:
        self.give(self.zoe, 1)
        self.give(self.amy, 2)
        self.give(self.bob, 3)
        self.use(AssignmentMode.LEAST_LOADED)
        self.assertEqual(self.assignees_of(self.new_request()), [self.zoe.pk])
        # Zoe now has two, as Amy: the tie goes to the name (Amy before Zoe).
        self.assertEqual(self.assignees_of(self.new_request()), [self.amy.pk])

    def test_closed_requests_do_not_count(self) -> None:
        self.give(self.amy, 2)
        self.give(self.bob, 1)
        for task in Task.objects.filter(assignees=self.amy):
            change_status(task=task, status="closed", by=self.admin_a)  # type: ignore[arg-type]
        self.use(AssignmentMode.LEAST_LOADED, [self.amy, self.bob])
        self.assertEqual(self.assignees_of(self.new_request()), [self.amy.pk])

    def test_it_locks_the_topic_then_reads_the_loads_in_one_statement(self) -> None:
        self.use(AssignmentMode.LEAST_LOADED)
        from frontdesk.support.assignment import choose_assignee

        topic = Topic.objects.get(pk=self.topic.pk)
        with self.assertNumQueries(2):
            self.assertEqual(choose_assignee(topic), self.amy.pk)

    def test_a_deactivated_member_is_skipped_however_idle(self) -> None:
        self.give(self.zoe, 1)
        self.give(self.bob, 1)
        self.use(AssignmentMode.LEAST_LOADED)
        User.objects.filter(pk=self.amy.pk).update(is_active=False)
        self.assertEqual(self.assignees_of(self.new_request()), [self.bob.pk])


class AssignmentWithManagersAndNotificationsTests(AutoAssignmentTestCase):
    def test_the_customers_managers_still_come_first(self) -> None:
        self.use(AssignmentMode.ROUND_ROBIN)
        Topic.objects.filter(pk=self.topic.pk).update(to_customer_managers=True)
        set_customer_managers(customer=self.customer_a1, managers=[self.agent_a, self.bob],
                              by=self.admin_a)
        task = self.new_request()
        self.assertEqual(self.assignees_of(task), sorted([self.agent_a.pk, self.bob.pk]))
        # The turn did not move: the topic's assignees were not asked.
        self.assertIsNone(Topic.objects.get(pk=self.topic.pk).last_assignee_id)

    def test_only_the_chosen_assignee_is_notified(self) -> None:
        self.use(AssignmentMode.ROUND_ROBIN)
        with self.sending():
            task = self.new_request()
        [chosen] = self.assignees_of(task)
        chosen_user = User.objects.get(pk=chosen)
        self.assertEqual(list(Notification.objects.filter(task=task)
                              .values_list("user_id", flat=True)), [chosen])
        self.assertEqual(len(self.smtp.to(chosen_user.email)), 1)
        for other in {self.zoe, self.bob, self.amy, self.agent_a} - {chosen_user}:
            self.assertEqual(self.smtp.to(other.email), [], other.email)

    def test_mode_all_assigns_and_notifies_every_assignee_as_before(self) -> None:
        self.use(AssignmentMode.ALL)
        with self.sending():
            task = self.new_request()
        self.assertEqual(self.assignees_of(task),
                         sorted([self.zoe.pk, self.bob.pk, self.amy.pk]))
        for user in (self.zoe, self.bob, self.amy):
            self.assertEqual(len(self.smtp.to(user.email)), 1)


class OneAtATimeAtOnceTests(TransactionTestCase):
    """Two submissions at once, each in its own connection and transaction: the second goes
    to the other person, in either one-assignee mode."""

    def test_two_submissions_at_once_take_turns(self) -> None:
        self.take_turns(AssignmentMode.ROUND_ROBIN)

    def test_two_submissions_at_once_count_each_others_load(self) -> None:
        self.take_turns(AssignmentMode.LEAST_LOADED)

    def take_turns(self, mode: AssignmentMode) -> None:
        admin = User.objects.create_user("boss@rr.test", "pw-boss", full_name="Bo Boss")
        org = create_organization(slug="rr", name="RR", admin=admin)
        first_person = make_staff("a@rr.test", "Ann", org, support=Level.CONTRIBUTE)
        second_person = make_staff("b@rr.test", "Ben", org, support=Level.CONTRIBUTE)
        topic = Topic.objects.for_org(org).get()
        save_topic(organization=org, topic=topic, name=topic.name, group=topic.group,
                   assignees=[first_person, second_person], assignment=mode)
        customer = Customer.objects.create(organization=org, short_name="Initech")
        requester = PortalUser.objects.create(organization=org, customer=customer,
                                              email="p@initech.test")
        if connection.vendor == "sqlite":
            # Every write transaction begins IMMEDIATE: it holds SQLite's one writer's lock
            # from its first statement, so no two read the turn at once. (The tests' in-memory
            # database cannot make two connections wait for each other.)
            self.assertEqual(connection.settings_dict["OPTIONS"]["transaction_mode"],
                             "IMMEDIATE")
            return
        topics = [Topic.objects.get(pk=topic.pk) for _ in range(2)]  # as each form read it
        first_written, release = threading.Event(), threading.Event()
        tasks: dict[str, Task] = {}

        def submit(name: str, topic: Topic) -> None:
            try:
                with transaction.atomic():
                    tasks[name] = create_request(topic=topic, requester=requester,
                                                 title=name, description="x")
                    if name == "first":
                        first_written.set()
                        release.wait(10)  # holds the topic's row until told to commit
            finally:
                connections.close_all()

        first = threading.Thread(target=submit, args=("first", topics[0]))
        first.start()
        self.assertTrue(first_written.wait(10))
        second = threading.Thread(target=submit, args=("second", topics[1]))
        second.start()
        time.sleep(0.5)
        self.assertNotIn("second", tasks, "the second read the turn while the first held it")
        release.set()
        first.join(10)
        second.join(10)
        chosen = {name: list(Assignment.objects.filter(task=task)
                             .values_list("user_id", flat=True))
                  for name, task in tasks.items()}
        self.assertEqual(chosen, {"first": [first_person.pk], "second": [second_person.pk]})
