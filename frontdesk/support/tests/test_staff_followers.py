"""Staff see, add and remove the followers of a request (SPEC X5) on its page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.portal.models import PortalUser
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Follower
from frontdesk.support.posts import add_staff_post


class StaffFollowerTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = self.peters_request()
        self.colleague = self.colleague_of_peter()
        self.detail = f"/app/acme-support/requests/{self.task.pk}/"
        self.add = f"{self.detail}followers/"

    def test_staff_add_a_colleague_and_an_address_and_see_them(self) -> None:
        self.login_staff(self.agent_a)
        page = self.client.get(self.detail)
        self.assertContains(page, "joan@initech.test")  # offered
        self.assertNotContains(page, "hank@globex.test")  # another customer's person
        self.assertRedirects(self.client.post(self.add, {"colleague": self.colleague.pk}),
                             self.detail)
        self.assertRedirects(self.client.post(self.add, {"email": "boss@example.test"}),
                             self.detail)
        self.assertEqual(Follower.objects.filter(task=self.task, added_by=self.agent_a).count(),
                         2)
        page = self.client.get(self.detail)
        self.assertContains(page, "Joan")
        self.assertContains(page, "boss@example.test")
        self.assertContains(page, "Alan Agent added a follower")

    def test_staff_remove_a_follower(self) -> None:
        follower = add_follower(task=self.task, email="boss@example.test", by=self.agent_a)
        self.login_staff(self.agent_a)
        response = self.client.post(f"{self.add}{follower.pk}/remove/")
        self.assertRedirects(response, self.detail)
        self.assertFalse(Follower.objects.exists())
        self.assertContains(self.client.get(self.detail), "Alan Agent removed a follower")

    def test_a_crafted_post_never_adds_another_customers_person(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.add, {"colleague": self.portal_a2.pk})
        self.assertContains(response, "Choose one of the colleagues offered.", status_code=400)
        response = self.client.post(self.add, {"colleague": "9" * 30})
        self.assertContains(response, "Select a valid choice.", status_code=400)
        response = self.client.post(self.add, {"email": "not an address"})
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        self.assertFalse(Follower.objects.exists())

    def test_view_only_staff_and_other_organizations_cannot_touch_followers(self) -> None:
        follower = add_follower(task=self.task, email="boss@example.test", by=self.agent_a)
        remove = f"{self.add}{follower.pk}/remove/"
        self.login_staff(self.viewer_a)
        self.assertNotContains(self.client.get(self.detail), "Add a follower")
        self.assertEqual(self.client.post(self.add, {"email": "x@example.test"}).status_code,
                         403)
        self.assertEqual(self.client.post(remove).status_code, 403)
        self.login_staff(self.staff_b)
        for path in (f"/app/other-org/requests/{self.task.pk}/followers/",
                     f"/app/other-org/requests/{self.task.pk}/followers/{follower.pk}/remove/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.post(path, {"email": "x@example.test"}).status_code,
                                 404)
        self.assertEqual(Follower.objects.count(), 1)

    def test_the_page_reads_its_followers_in_its_one_statement(self) -> None:
        self.login_staff(self.agent_a)
        add_staff_post(task=self.task, author=self.agent_a, body="note")
        for number in range(9):
            person = PortalUser.objects.create(organization=self.org_a,
                                               customer=self.customer_a1,
                                               email=f"c{number}@initech.test",
                                               first_name=f"C{number}")
            add_follower(task=self.task, portal_user=person, by=self.agent_a)
            add_follower(task=self.task, email=f"cc{number}@example.test", by=self.agent_a)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.detail)
        self.assertContains(response, "cc8@example.test")
        self.assertContains(response, "c8@initech.test")
        self.assertEqual(len(queries), 1)
