"""/api/v1/requests/{id}/followers (SPEC X5): the staff page's rules, limits and messages,
through the same actions; another organization's request or follower is a missing one."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from frontdesk.api.models import ApiToken
from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser
from frontdesk.support.followers import MAX_FOLLOWERS, add_follower
from frontdesk.support.models import Follower, Source, Task, TaskEvent, Topic
from frontdesk.support.services import create_request

# The token (1), the request (1), its followers with their portal users (1).
LIST_QUERIES = 3


class FollowerApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        self.task = self.peters_request(description="")
        self.other_task = create_request(topic=topic, requester=self.portal_a1,
                                         title="Printer", description="")
        self.colleague = self.colleague_of_peter(last_name="Doe")
        self.client_a = self.api(self.token_of(self.agent_a))
        self.path = f"/api/v1/requests/{self.task.pk}/followers"

    def add(self, data: dict[str, object], status: int = 201) -> Any:
        return self.send_json(self.client_a, "post", self.path, data, status)

    def test_staff_add_a_colleague_and_an_address_list_and_remove_them(self) -> None:
        colleague = self.add({"portal_user_id": self.colleague.pk})
        self.assertEqual((colleague["kind"], colleague["email"], colleague["portal_user"]),
                         ("colleague", "joan@initech.test",
                          {"id": self.colleague.pk, "name": "Joan Doe",
                           "email": "joan@initech.test"}))
        address = self.add({"email": " Boss@Example.test "})
        self.assertEqual((address["kind"], address["email"], address["portal_user"]),
                         ("email", "boss@example.test", None))
        listed = self.get_json(self.client_a, self.path)
        self.assertEqual([item["id"] for item in listed], [colleague["id"], address["id"]])
        self.assertEqual(listed[0], colleague)
        detail = self.get_json(self.client_a, f"/api/v1/requests/{self.task.pk}")
        self.assertEqual(detail["followers"], listed)
        # Recorded as the staff page's changes are, by the token's member.
        self.assertEqual(TaskEvent.objects.filter(
            task=self.task, kind=TaskEvent.Kind.FOLLOWER_ADDED, actor=self.agent_a).count(), 2)
        response = self.client_a.delete(f"{self.path}/{address['id']}")
        self.assertEqual(response.status_code, 204)
        self.assertEqual([item["id"] for item in self.get_json(self.client_a, self.path)],
                         [colleague["id"]])
        self.assertTrue(TaskEvent.objects.filter(
            task=self.task, kind=TaskEvent.Kind.FOLLOWER_REMOVED, actor=self.agent_a).exists())
        # Removed already: a missing one.
        self.assertEqual(self.client_a.delete(f"{self.path}/{address['id']}").status_code, 404)

    def test_an_address_of_one_of_the_customers_people_makes_them_a_colleague(self) -> None:
        follower = self.add({"email": "JOAN@initech.test"})
        self.assertEqual((follower["kind"], follower["portal_user"]["id"]),
                         ("colleague", self.colleague.pk))

    def test_refusals_have_the_staff_pages_messages_and_change_nothing(self) -> None:
        customer_b = Customer.objects.create(organization=self.org_b, short_name="B")
        other_org_person = PortalUser.objects.create(
            organization=self.org_b, customer=customer_b, email="b@b.test", first_name="B")
        cases: list[tuple[dict[str, object], str]] = [
            ({"portal_user_id": self.portal_a2.pk},  # another customer's person
             "Only people of the request's customer can follow it in the portal."),
            ({"portal_user_id": other_org_person.pk},  # another organization's: the same
             "Only people of the request's customer can follow it in the portal."),
            ({"portal_user_id": 10**9},
             "Only people of the request's customer can follow it in the portal."),
            ({"email": "not an address"}, "Enter a valid e-mail address."),
            ({"email": "x" * 250 + "@example.test"}, "Enter a valid e-mail address."),
            ({"email": "peter@initech.test"}, "The requester gets the e-mails already."),
            ({"portal_user_id": self.portal_a1.pk}, "The requester gets the e-mails already."),
            ({}, "Choose a colleague or enter an e-mail address."),
            ({"email": "a@b.test", "portal_user_id": self.colleague.pk},
             "Choose a colleague or enter an e-mail address."),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                body = self.add(data, status=400)
                self.assertEqual(body["detail"], message)
        self.assertFalse(Follower.objects.exists())
        self.add({"email": "boss@example.test"})
        body = self.add({"email": "BOSS@example.test"}, status=400)
        self.assertEqual(body["detail"], "boss@example.test follows this request already.")
        # Not an address at all: the schema's 422.
        self.send_json(self.client_a, "post", self.path, {"email": ["x"]}, 422)

    def test_a_request_has_at_most_max_followers(self) -> None:
        for n in range(MAX_FOLLOWERS):
            add_follower(task=self.task, email=f"cc{n}@example.test", by=self.admin_a)
        body = self.add({"email": "one-more@example.test"}, status=400)
        self.assertEqual(body["detail"],
                         f"A request can have at most {MAX_FOLLOWERS} followers.")
        self.assertEqual(Follower.objects.count(), MAX_FOLLOWERS)

    def test_a_follower_of_another_request_cannot_be_removed_through_this_one(self) -> None:
        theirs = add_follower(task=self.other_task, email="cc@example.test", by=self.admin_a)
        response = self.client_a.delete(f"{self.path}/{theirs.pk}")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(Follower.objects.filter(pk=theirs.pk).exists())
        # Nor listed with it.
        self.assertEqual(self.get_json(self.client_a, self.path), [])

    def test_another_organizations_token_gets_404_and_changes_nothing(self) -> None:
        follower = add_follower(task=self.task, email="cc@example.test", by=self.admin_a)
        outsider = self.api(self.token_of(self.staff_b, self.org_b))
        self.assertEqual(outsider.get(self.path).status_code, 404)
        self.send_json(outsider, "post", self.path, {"email": "spy@b.test"}, 404)
        self.assertEqual(outsider.delete(f"{self.path}/{follower.pk}").status_code, 404)
        detail = outsider.get(f"/api/v1/requests/{self.task.pk}")
        self.assertEqual(detail.status_code, 404)
        self.assertNotIn(b"cc@example.test", detail.content)
        self.assertEqual(list(Follower.objects.values_list("email", flat=True)),
                         ["cc@example.test"])

    def test_viewers_list_but_do_not_change_followers(self) -> None:
        follower = add_follower(task=self.task, email="cc@example.test", by=self.admin_a)
        viewer = self.api(self.token_of(self.viewer_a))
        self.assertEqual(len(self.get_json(viewer, self.path)), 1)
        self.send_json(viewer, "post", self.path, {"email": "x@example.test"}, 403)
        self.assertEqual(viewer.delete(f"{self.path}/{follower.pk}").status_code, 403)
        self.assertEqual(Follower.objects.count(), 1)

    def test_only_support_requests_have_followers(self) -> None:
        Task.objects.filter(pk=self.task.pk).update(source=Source.STAFF)
        body = self.add({"email": "cc@example.test"}, status=400)
        self.assertEqual(body["detail"], "Only support requests have followers.")

    def test_the_list_and_the_detail_cost_the_same_for_any_number_of_followers(self) -> None:
        ApiToken.objects.update(last_used_at=timezone.now())
        add_follower(task=self.task, portal_user=self.colleague, by=self.admin_a)
        with self.assertNumQueries(LIST_QUERIES):
            self.get_json(self.client_a, self.path)
        for n in range(9):
            person = PortalUser.objects.create(organization=self.org_a,
                                               customer=self.customer_a1,
                                               email=f"p{n}@initech.test")
            add_follower(task=self.task, portal_user=person, by=self.admin_a)
            add_follower(task=self.task, email=f"cc{n}@example.test", by=self.admin_a)
        with self.assertNumQueries(LIST_QUERIES):
            listed = self.get_json(self.client_a, self.path)
        self.assertEqual(len(listed), 19)
        # The detail reads them with the request's row: no statement more for them.
        from frontdesk.api.tests.test_query_counts import DETAIL_QUERIES

        with self.assertNumQueries(DETAIL_QUERIES):
            detail = self.get_json(self.client_a, f"/api/v1/requests/{self.task.pk}")
        self.assertEqual(detail["followers"], listed)
