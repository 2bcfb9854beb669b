"""The list and detail endpoints cost the same number of queries whatever the number of rows
(no query per row)."""

from __future__ import annotations

from django.utils import timezone

from frontdesk.api.models import ApiToken
from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.customers.models import Contact, Customer
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Priority, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request, delegate

# The token with its member (1); the page's rows with their assignees (1). The token's "last
# used" is written at most once a minute (not here: it was just used).
LIST_QUERIES = 2
# The token (1), the request with its assignees (1), its posts with their authors (1).
DETAIL_QUERIES = 3


class QueryCountTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client_a = self.api(self.token_of(self.agent_a))
        ApiToken.objects.update(last_used_at=timezone.now())
        self.topic = Topic.objects.for_org(self.org_a).get()

    def make_requests(self, count: int) -> None:
        made = Customer.objects.count()
        for n in range(made, made + count):
            customer = Customer.objects.create(organization=self.org_a, short_name=f"C{n}")
            person = PortalUser.objects.create(organization=self.org_a, customer=customer,
                                               email=f"p{n}@c.test", first_name="P")
            task = create_request(topic=self.topic, requester=person, title=f"R{n}",
                                  description="")
            delegate(task=task, assignees=[self.agent_a, self.admin_a, self.viewer_a],
                     due_date=None, priority=Priority(task.priority), by=self.admin_a)

    def test_the_request_list_costs_the_same_for_3_or_30_rows(self) -> None:
        self.make_requests(3)
        with self.assertNumQueries(LIST_QUERIES):
            self.get_json(self.client_a, "/api/v1/requests?limit=50")
        self.make_requests(27)
        with self.assertNumQueries(LIST_QUERIES):
            body = self.get_json(self.client_a, "/api/v1/requests?limit=50")
        self.assertEqual(len(body["items"]), 30)
        self.assertEqual(len(body["items"][0]["assignees"]), 3)
        with self.assertNumQueries(LIST_QUERIES):
            self.get_json(self.client_a, f"/api/v1/requests?assignee={self.viewer_a.pk}"
                                         f"&open=true&topic={self.topic.pk}")

    def test_the_request_detail_costs_the_same_for_any_number_of_posts(self) -> None:
        self.make_requests(1)
        from frontdesk.support.models import Task

        task = Task.objects.get()
        for n in range(25):
            add_staff_post(task=task, author=self.admin_a if n % 2 else self.agent_a,
                           body=f"post {n}", visible_to_customer=bool(n % 3))
        with self.assertNumQueries(DETAIL_QUERIES):
            body = self.get_json(self.client_a, f"/api/v1/requests/{task.pk}")
        self.assertEqual(len(body["posts"]), 25)

    def test_the_customer_list_costs_the_same_for_many_rows(self) -> None:
        for n in range(30):
            customer = Customer.objects.create(organization=self.org_a, short_name=f"C{n}")
            Contact.objects.create(organization=self.org_a, customer=customer,
                                   first_name="Bob")
        # The token (1) and the page (1).
        with self.assertNumQueries(2):
            body = self.get_json(self.client_a, "/api/v1/customers")
        self.assertEqual(len(body["items"]), 25)
        with self.assertNumQueries(2):
            self.get_json(self.client_a, "/api/v1/topics")
