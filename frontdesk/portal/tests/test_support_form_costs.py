"""What the portal's request forms cost in statements for a topic in mode "all" without custom
fields (the bench's form_get and form_post): topic forms (SPEC T3) and automatic assignment
(SPEC X6) must add nothing to it. The counts are those of the forms before either existed,
and one statement more for the request's service-level targets (SPEC X8: the targets of its
topic and priority with the business hours, service_levels.queries.due_moments)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.organizations.models import Group
from frontdesk.portal.tests.helpers import PortalTestCase, form_data
from frontdesk.support.models import Task, Topic
from frontdesk.support.topics import save_topic

# The service targets of a new request (SPEC X8) come with the form's topics: no statement.
FORM_GET = 2
FORM_POST_NEW_PERSON = 13  # their customer record and portal user are made
FORM_POST_KNOWN_PERSON = 10
PORTAL_NEW_REQUEST_GET = 2
PORTAL_NEW_REQUEST_POST = 8


class SupportFormCostTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.plain = Topic.objects.for_org(self.org_a).get()
        # Another topic, with a form of its own: the plain topic's requests do not pay for it.
        self.printers = save_topic(
            organization=self.org_a, name="Printers",
            group=Group.objects.for_org(self.org_a).get(), assignees=[self.agent_a],
            form_fields=[{"label": "Model", "kind": "text", "required": True},
                         {"label": "Floor", "kind": "choice", "choices": ["1", "2"]}])

    def count(self, path: str, data: dict[str, object] | None = None) -> int:
        # (The flood counters' sweep of old windows, drawn now and then, is off in the tests:
        # FRONTDESK_RATE_SWEEP_ONE_IN.)
        with CaptureQueriesContext(connection) as queries:
            if data is None:
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
            else:
                response = self.client.post(path, data)
                self.assertEqual(response.status_code, 302, response.content[:2000])
        return len(queries)

    def test_the_public_form_costs_what_it_did_for_a_plain_topic(self) -> None:
        self.assertEqual(self.count("/p/acme-support/support/"), FORM_GET)
        self.assertEqual(self.count("/p/acme-support/support/", form_data(topic=self.plain.pk)),
                         FORM_POST_NEW_PERSON)
        self.assertEqual(self.count("/p/acme-support/support/", form_data(topic=self.plain.pk)),
                         FORM_POST_KNOWN_PERSON)
        self.assertEqual(Task.objects.count(), 2)

    def test_a_topic_with_fields_costs_no_statement_more(self) -> None:
        key = self.printers.form_fields[0]["key"]
        self.assertEqual(self.count("/p/acme-support/support/", form_data(
            topic=self.printers.pk, **{f"t{self.printers.pk}_{key}": "X1"})),
            FORM_POST_NEW_PERSON)
        self.assertIsNotNone(Task.objects.get().answers)

    def test_the_portal_form_costs_what_it_did_for_a_plain_topic(self) -> None:
        self.login_portal(self.portal_a1)
        self.assertEqual(self.count("/p/acme-support/requests/new/"), PORTAL_NEW_REQUEST_GET)
        self.assertEqual(self.count("/p/acme-support/requests/new/", {
            "topic": self.plain.pk, "title": "Hello", "description": "There"}),
            PORTAL_NEW_REQUEST_POST)
