"""What the public form costs in statements for a topic without custom fields (the bench's
form_get and form_post): topic forms and automatic assignment must add nothing to it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.portal.tests.helpers import PortalTestCase, form_data
from frontdesk.support.models import Group, Task, Topic


class SupportFormCostTests(PortalTestCase):
    def count(self, method: str, data: dict[str, object] | None = None) -> int:
        with CaptureQueriesContext(connection) as queries:
            if method == "get":
                response = self.client.get("/p/acme-support/support/")
                self.assertEqual(response.status_code, 200)
            else:
                response = self.client.post("/p/acme-support/support/", data)
                self.assertEqual(response.status_code, 302)
        return len(queries)

    def test_the_form_costs_the_same_statements_for_a_plain_topic(self) -> None:
        first = Topic.objects.for_org(self.org_a).get()
        Topic.objects.create(organization=self.org_a, name="Billing",
                             group=Group.objects.for_org(self.org_a).get())
        print("GET", self.count("get"))
        print("POST new", self.count("post", form_data(topic=first.pk)))
        print("POST known", self.count("post", form_data(topic=first.pk)))
        self.assertEqual(Task.objects.count(), 2)
