"""Every API address that takes an id, with another organization's ids: 404 for every method
(405 where the address never takes it), and nothing of theirs in the answer."""

from __future__ import annotations

from django.urls import get_resolver, reverse

from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.core.tests.test_tenancy_walk import walk
from frontdesk.customers.models import Customer
from frontdesk.portal.models import PortalUser
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request

# A body every write accepts (unknown fields are ignored): what answers is the id.
VALID_BODY = '{"body": "x", "status": "closed", "short_name": "x", "email": "x@x.test"}'


class ApiWalkTests(ApiTestCase):
    def test_another_organizations_ids_are_404_everywhere(self) -> None:
        customer_b = Customer.objects.create(organization=self.org_b, short_name="B secret")
        requester_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                                email="b@b.test", first_name="B")
        task_b = create_request(topic=Topic.objects.for_org(self.org_b).get(),
                                requester=requester_b, title="B secret", description="")
        add_staff_post(task=task_b, author=self.staff_b, body="B secret")
        follower_b = add_follower(task=task_b, email="b-secret@b.test", by=self.staff_b)
        ids = {"task_id": task_b.pk, "customer_id": customer_b.pk, "follower_id": follower_b.pk}
        client = self.api(self.token_of(self.admin_a))
        urls = {reverse(name, kwargs={p: ids[p] for p in params})
                for name, _route, params in walk(get_resolver().url_patterns)
                if name.startswith("api:") and params}
        self.assertEqual(len(urls), 5)
        for url in sorted(urls):
            for method in ("get", "post", "patch", "put", "delete"):
                response = (client.get(url) if method == "get" else
                            getattr(client, method)(url, data=VALID_BODY,
                                                    content_type="application/json"))
                self.assertIn(response.status_code, (404, 405), f"{method} {url}")
                self.assertNotIn(b"B secret", response.content)
                self.assertNotIn(b"b-secret", response.content)
