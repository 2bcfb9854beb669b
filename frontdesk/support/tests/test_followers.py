"""The actions on a request's followers (SPEC X5): who may be added, by whom, and what each
change records."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser
from frontdesk.support.followers import MAX_FOLLOWERS, add_follower, remove_follower
from frontdesk.support.models import Follower, Task, TaskEvent, Topic
from frontdesk.support.services import create_request


class FollowerActionTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.task = self.peters_request()
        self.colleague = self.colleague_of_peter()

    def test_the_requester_adds_a_colleague_and_the_activity_says_so(self) -> None:
        follower = add_follower(task=self.task, portal_user=self.colleague,
                                by_portal_user=self.portal_a1)
        self.assertEqual((follower.portal_user, follower.email, follower.added_by_portal_user,
                          follower.organization_id),
                         (self.colleague, "", self.portal_a1, self.org_a.pk))
        event = TaskEvent.objects.get(task=self.task, kind=TaskEvent.Kind.FOLLOWER_ADDED)
        self.assertEqual((event.portal_actor, event.data["portal_user"]),
                         (self.portal_a1, self.colleague.pk))

    def test_a_person_of_another_customer_or_organization_is_never_added(self) -> None:
        customer_b = Customer.objects.create(organization=self.org_b, short_name="Other Co")
        outsider_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                               email="zed@other.test", first_name="Zed")
        for stranger in (self.portal_a2, outsider_b):
            for by in ({"by_portal_user": self.portal_a1}, {"by": self.agent_a}):
                with (self.subTest(stranger=stranger.email, by=list(by)),
                      self.assertRaisesMessage(ValidationError, "people of the request's")):
                    add_follower(task=self.task, portal_user=stranger, **by)
        self.assertFalse(Follower.objects.exists())
        self.assertFalse(TaskEvent.objects.filter(kind=TaskEvent.Kind.FOLLOWER_ADDED).exists())

    def test_an_inactive_colleague_is_not_added(self) -> None:
        PortalUser.objects.filter(pk=self.colleague.pk).update(is_active=False)
        self.colleague.refresh_from_db()
        with self.assertRaises(ValidationError):
            add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)

    def test_only_the_requester_and_followers_change_the_followers(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Only the requester"):
            add_follower(task=self.task, email="cc@example.test", by_portal_user=self.colleague)
        with self.assertRaisesMessage(ValidationError, "Only the requester"):
            add_follower(task=self.task, email="cc@example.test", by_portal_user=self.portal_a2)
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        # Now a follower, the colleague may add someone.
        cc = add_follower(task=self.task, email="cc@example.test",
                          by_portal_user=self.colleague)
        self.assertEqual(cc.added_by_portal_user, self.colleague)

    def test_an_address_is_checked_and_kept_lower_case_once(self) -> None:
        cc = add_follower(task=self.task, email="  Boss@Example.TEST ", by=self.agent_a)
        self.assertEqual((cc.portal_user, cc.email), (None, "boss@example.test"))
        cases = [("not an address", "valid e-mail"), ("BOSS@example.test", "already"),
                 # A valid address longer than the column holds.
                 (f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.test", "valid e-mail"),
                 ("peter@initech.test", "requester"), ("", "Choose a colleague")]
        for email, message in cases:
            with self.subTest(email=email), self.assertRaisesMessage(ValidationError, message):
                add_follower(task=self.task, email=email, by=self.agent_a)
        self.assertEqual(Follower.objects.count(), 1)

    def test_an_address_of_a_colleague_makes_them_a_colleague_follower(self) -> None:
        follower = add_follower(task=self.task, email="JOAN@initech.test", by=self.agent_a)
        self.assertEqual((follower.portal_user, follower.email), (self.colleague, ""))
        with self.assertRaisesMessage(ValidationError, "already"):
            add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        # The address of another customer's person is only a CC: no way into the portal.
        cc = add_follower(task=self.task, email="hank@globex.test", by=self.agent_a)
        self.assertEqual((cc.portal_user, cc.email), (None, "hank@globex.test"))

    def test_the_requester_is_not_their_own_follower(self) -> None:
        with self.assertRaisesMessage(ValidationError, "requester"):
            add_follower(task=self.task, portal_user=self.portal_a1, by=self.agent_a)

    def test_a_request_has_at_most_so_many_followers(self) -> None:
        for number in range(MAX_FOLLOWERS):
            add_follower(task=self.task, email=f"cc{number}@example.test", by=self.agent_a)
        with self.assertRaisesMessage(ValidationError, "at most"):
            add_follower(task=self.task, email="one-more@example.test", by=self.agent_a)

    def test_a_staff_task_has_no_followers(self) -> None:
        task = Task.objects.create(organization=self.org_a, title="Internal chore",
                                   group_id=self.topic.group_id, customer=self.customer_a1)
        with self.assertRaisesMessage(ValidationError, "Only support requests"):
            add_follower(task=task, portal_user=self.colleague, by=self.agent_a)

    def test_a_follower_stops_following_and_the_activity_says_so(self) -> None:
        follower = add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        remove_follower(follower=follower, by_portal_user=self.colleague)
        self.assertFalse(Follower.objects.exists())
        event = TaskEvent.objects.get(task=self.task, kind=TaskEvent.Kind.FOLLOWER_REMOVED)
        self.assertEqual(event.portal_actor, self.colleague)

    def test_nobody_else_removes_a_follower(self) -> None:
        follower = add_follower(task=self.task, email="cc@example.test", by=self.agent_a)
        with self.assertRaisesMessage(ValidationError, "Only the requester"):
            remove_follower(follower=follower, by_portal_user=self.portal_a2)
        with self.assertRaisesMessage(ValidationError, "Only the requester"):
            remove_follower(follower=follower, by_portal_user=self.colleague)
        self.assertTrue(Follower.objects.filter(pk=follower.pk).exists())
        remove_follower(follower=follower, by_portal_user=self.portal_a1)
        self.assertFalse(Follower.objects.exists())

    def test_a_deleted_colleague_takes_their_follows_along(self) -> None:
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        self.colleague.delete()
        self.assertFalse(Follower.objects.exists())
        self.assertTrue(Task.objects.filter(pk=self.task.pk).exists())

    def test_moving_the_request_to_another_customer_removes_its_followers(self) -> None:
        from frontdesk.support.services import change_customer

        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        add_follower(task=self.task, email="boss@example.test", by=self.agent_a)
        change_customer(task=self.task, customer=self.customer_a2, by=self.agent_a)
        self.assertFalse(Follower.objects.exists())
        self.assertEqual(TaskEvent.objects.filter(task=self.task,
                                                  kind=TaskEvent.Kind.FOLLOWER_REMOVED).count(),
                         2)


class FollowerIndexTests(FrontdeskTestCase):
    def test_the_follows_of_a_person_and_what_people_added_are_read_by_index(self) -> None:
        from django.db import connection

        from frontdesk.core.testing import query_plan

        # Enough follows of one request that the planner tells the two indexes with the
        # person apart (on an empty table PostgreSQL may take either).
        task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                              requester=self.portal_a1, title="Outage", description="...")
        people = PortalUser.objects.bulk_create([
            PortalUser(organization=self.org_a, customer=self.customer_a1,
                       email=f"p{number}@initech.test", first_name="P")
            for number in range(MAX_FOLLOWERS)])
        Follower.objects.bulk_create([Follower(organization=self.org_a, task=task,
                                               portal_user=person) for person in people])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # The portal's "requests I follow", and each person's deletion (CASCADE, SET_NULL).
        cases = [("portal_user", "follower_person_task"), ("added_by", "follower_added_by"),
                 ("added_by_portal_user", "follower_added_by_person")]
        for field, index in cases:
            with self.subTest(index=index):
                plan = query_plan(Follower.objects.filter(**{f"{field}__in": [7, 8]}))
                self.assertIn(index, plan)

    def test_postgresql_reads_the_follows_as_an_array_its_indexes_can_take(self) -> None:
        from django.db import connection

        from frontdesk.support.followers import followed_by

        sql = str(Task.objects.filter(followed_by(7)).query)
        expected = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else "IN (SELECT"
        self.assertIn(expected, sql)
