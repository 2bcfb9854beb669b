"""Followers in the portal (SPEC X5): the requester adds a colleague or a CC address; a
colleague who follows sees and answers the request even where each person sees only their
own; nobody else reaches any of it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.customers.models import Customer
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.models import PortalSettings, PortalUser, SeenByDefault
from frontdesk.portal.tests.helpers import PortalTestCase
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Follower, Post, Task, TaskEvent, Topic
from frontdesk.support.services import create_request

LIST = "/p/acme-support/requests/"


class PortalFollowerTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.task = self.peters_request()
        self.colleague = self.colleague_of_peter()
        self.detail = f"{LIST}{self.task.pk}/"
        self.add = f"{self.detail}followers/"

    def only_own(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(
            seen_by_default=SeenByDefault.OWN)

    def test_the_requester_adds_a_colleague_who_then_sees_and_answers_it(self) -> None:
        self.only_own()
        self.login_portal(self.colleague)
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        self.assertNotContains(self.client.get(LIST), "VPN is down")

        self.login_portal(self.portal_a1)
        page = self.client.get(self.detail)
        self.assertContains(page, "Add a follower")
        self.assertContains(page, "joan@initech.test")  # offered: a colleague
        self.assertNotContains(page, "hank@globex.test")  # another customer's: never offered
        response = self.client.post(self.add, {"colleague": self.colleague.pk, "email": ""})
        self.assertRedirects(response, self.detail)
        self.assertContains(self.client.get(self.detail), "Joan")

        self.login_portal(self.colleague)
        self.assertContains(self.client.get(LIST), "VPN is down")
        self.assertContains(self.client.get(self.detail), "VPN is down")
        response = self.client.post(f"{self.detail}reply/", {"body": "Same here."})
        self.assertRedirects(response, self.detail)
        post = Post.objects.get(task=self.task)
        self.assertEqual((post.portal_author, post.is_visible_to_customer),
                         (self.colleague, True))

    def test_a_colleagues_link_session_reaches_the_requests_they_follow(self) -> None:
        self.only_own()
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        response = self.client.get(f"/p/acme-support/link/{mint_access_link(self.colleague)}/")
        self.assertRedirects(response, LIST)
        self.assertContains(self.client.get(LIST), "VPN is down")
        self.assertEqual(self.client.get(self.detail).status_code, 200)

    def test_the_requester_adds_a_cc_address(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.post(self.add, {"colleague": "", "email": "Boss@Example.test"})
        self.assertRedirects(response, self.detail)
        follower = Follower.objects.get(task=self.task)
        self.assertEqual((follower.email, follower.added_by_portal_user),
                         ("boss@example.test", self.portal_a1))
        self.assertContains(self.client.get(self.detail), "by e-mail only")

    def test_a_crafted_post_never_adds_another_customers_person(self) -> None:
        customer_b = Customer.objects.create(organization=self.org_b, short_name="Other Co")
        outsider_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                               email="zed@other.test", first_name="Zed")
        self.login_portal(self.portal_a1)
        for stranger in (self.portal_a2, outsider_b):
            with self.subTest(stranger=stranger.email):
                response = self.client.post(self.add, {"colleague": stranger.pk})
                self.assertContains(response, "Choose one of the colleagues offered.",
                                    status_code=400)
        self.assertFalse(Follower.objects.exists())

    def test_bad_input_is_refused_next_to_the_form_and_changes_nothing(self) -> None:
        self.login_portal(self.portal_a1)
        cases = [({}, "Choose a colleague or enter an e-mail address."),
                 ({"email": "not an address"}, "Enter a valid email address."),
                 ({"colleague": "abc"}, "Select a valid choice."),
                 ({"colleague": "9" * 30}, "Select a valid choice."),
                 ({"colleague": "-3"}, "Select a valid choice."),
                 ({"colleague": self.colleague.pk, "email": "cc@example.test"},
                  "Choose a colleague or enter an e-mail address."),
                 ({"email": "peter@initech.test"}, "The requester gets the e-mails already.")]
        for data, message in cases:
            with self.subTest(data=data):
                self.assertContains(self.client.post(self.add, data), message, status_code=400)
        self.assertFalse(Follower.objects.exists())

    def test_an_outsider_gets_404_for_the_request_and_its_followers(self) -> None:
        follower = add_follower(task=self.task, email="cc@example.test", by=self.agent_a)
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        self.assertEqual(self.client.post(self.add, {"email": "x@example.test"}).status_code,
                         404)
        remove = f"{self.detail}followers/{follower.pk}/remove/"
        self.assertEqual(self.client.post(remove).status_code, 404)
        self.assertTrue(Follower.objects.filter(pk=follower.pk).exists())

    def test_a_colleague_who_neither_made_nor_follows_it_only_reads_it(self) -> None:
        # The customer's people see all its requests: the colleague reads this one.
        follower = add_follower(task=self.task, email="cc@example.test", by=self.agent_a)
        self.login_portal(self.colleague)
        page = self.client.get(self.detail)
        self.assertContains(page, "cc@example.test")
        self.assertNotContains(page, "Add a follower")
        self.assertEqual(self.client.post(self.add, {"email": "x@example.test"}).status_code,
                         404)
        remove = f"{self.detail}followers/{follower.pk}/remove/"
        self.assertEqual(self.client.post(remove).status_code, 404)
        self.assertEqual(Follower.objects.count(), 1)

    def test_a_removed_follower_loses_the_request_where_people_see_their_own(self) -> None:
        self.only_own()
        follower = add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        self.login_portal(self.portal_a1)
        self.assertRedirects(self.client.post(f"{self.detail}followers/{follower.pk}/remove/"),
                             self.detail)
        self.assertTrue(TaskEvent.objects.filter(task=self.task,
                                                 kind=TaskEvent.Kind.FOLLOWER_REMOVED).exists())
        self.login_portal(self.colleague)
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        self.assertNotContains(self.client.get(LIST), "VPN is down")
        self.assertEqual(self.client.post(f"{self.detail}reply/", {"body": "hi"}).status_code,
                         404)

    def test_a_follower_stops_following_and_is_taken_back_to_their_list(self) -> None:
        self.only_own()
        follower = add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        self.login_portal(self.colleague)
        response = self.client.post(f"{self.detail}followers/{follower.pk}/remove/")
        self.assertRedirects(response, LIST)
        self.assertFalse(Follower.objects.exists())

    def test_a_follower_of_a_request_moved_to_another_customer_no_longer_sees_it(self) -> None:
        self.only_own()
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        Task.objects.filter(pk=self.task.pk).update(customer=self.customer_a2)
        self.login_portal(self.colleague)
        self.assertEqual(self.client.get(self.detail).status_code, 404)


class PortalFollowerQueryCountTests(PortalTestCase):
    """The followed requests come in the list's own statement; the followers and colleagues
    in the detail's."""

    def setUp(self) -> None:
        super().setUp()
        PortalSettings.objects.filter(organization=self.org_a).update(
            seen_by_default=SeenByDefault.OWN)
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.colleague = self.colleague_of_peter()

    def requests(self, count: int, *, followed: bool) -> list[Task]:
        tasks = []
        for number in range(count):
            requester = self.portal_a1 if followed else self.colleague
            task = create_request(topic=self.topic, requester=requester,
                                  title=f"Request {number}", description="...")
            if followed:
                add_follower(task=task, portal_user=self.colleague, by=self.agent_a)
            tasks.append(task)
        return tasks

    def count(self, path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_list_reads_own_and_followed_requests_in_one_statement(self) -> None:
        self.login_portal(self.colleague)
        self.requests(1, followed=True)
        self.requests(1, followed=False)
        # The portal with the session and its person, then the page of requests.
        self.assertEqual(self.count(LIST), 2)
        self.requests(20, followed=True)
        self.requests(20, followed=False)
        self.assertEqual(self.count(LIST), 2)
        page = self.client.get(LIST).content.decode()
        self.assertEqual(page.count("Request 19"), 2)  # one mine, one followed
        self.assertIn("?before=", page)  # more than a page: 42 requests

    def test_the_detail_reads_its_followers_and_colleagues_with_the_request(self) -> None:
        [small] = self.requests(1, followed=True)
        self.login_portal(self.portal_a1)
        few = self.count(f"{LIST}{small.pk}/")
        self.assertEqual(few, 2)
        [big] = self.requests(1, followed=True)
        for number in range(9):
            colleague = PortalUser.objects.create(organization=self.org_a,
                                                  customer=self.customer_a1,
                                                  email=f"c{number}@initech.test",
                                                  first_name=f"C{number}")
            add_follower(task=big, portal_user=colleague, by=self.agent_a)
            add_follower(task=big, email=f"cc{number}@example.test", by=self.agent_a)
        self.assertEqual(self.count(f"{LIST}{big.pk}/"), few)
        page = self.client.get(f"{LIST}{big.pk}/")
        self.assertContains(page, "cc8@example.test")
        self.assertContains(page, "c8@initech.test")


class NewRequestCcTests(PortalTestCase):
    """The portal's new-request form takes addresses to copy (SPEC X5)."""

    def setUp(self) -> None:
        super().setUp()
        self.colleague = self.colleague_of_peter()
        self.login_portal(self.portal_a1)

    def test_the_addresses_become_followers_of_the_new_request(self) -> None:
        response = self.client.post("/p/acme-support/requests/new/", {
            "title": "New laptop", "description": "Please order one.",
            "cc": "Boss@Example.test, joan@initech.test; peter@initech.test boss@example.test"})
        task = Task.objects.get(title="New laptop")
        self.assertRedirects(response, f"{LIST}{task.pk}/")
        followers = {(f.portal_user_id, f.email, f.added_by_portal_user_id)
                     for f in Follower.objects.filter(task=task)}
        self.assertEqual(followers, {(None, "boss@example.test", self.portal_a1.pk),
                                     (self.colleague.pk, "", self.portal_a1.pk)})

    def test_a_bad_address_is_refused_and_no_request_is_made(self) -> None:
        response = self.client.post("/p/acme-support/requests/new/", {
            "title": "New laptop", "description": "Please order one.",
            "cc": "boss@example.test, not-an-address"})
        self.assertContains(response, "Not an e-mail address: not-an-address", status_code=200)
        self.assertFalse(Task.objects.filter(title="New laptop").exists())
        self.assertFalse(Follower.objects.exists())
