"""The portal's home page (SPEC P14): only the customer's own things, only the parts switched on,
and a constant number of queries."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.accounts.models import User
from frontdesk.billing.tests.helpers import BillingTestCase
from frontdesk.knowledge.models import Article
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.models import Greeting, PortalSettings, PortalUser
from frontdesk.support.models import Priority, Status, Task, Topic
from frontdesk.support.services import create_request

HOME = "/p/acme-support/"


class PortalHomeTests(BillingTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the charts' figures are kept a minute (portal/home.py)
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.mine = self.request("Printer jams", self.portal_a1, Priority.HIGH)
        self.theirs = self.request("Globex secret outage", self.portal_a2, Priority.URGENT)

    def request(self, title: str, requester: PortalUser, priority: str = Priority.NORMAL
                ) -> Task:
        task = create_request(topic=self.topic, requester=requester, title=title,
                              description="...")
        Task.objects.filter(pk=task.pk).update(priority=priority)
        return task

    def settings_a(self, **changes: object) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(**changes)

    def test_it_greets_the_customer_and_shows_their_own_requests_only(self) -> None:
        self.settings_a(announcement="Maintenance on Sunday night.")
        self.login_portal(self.portal_a1)
        response = self.client.get(HOME)
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.content.decode(),
                         r"Good (morning|afternoon|evening), Peter")
        self.assertContains(response, "Maintenance on Sunday night.")
        self.assertContains(response, "Printer jams")
        self.assertContains(response, f'/p/acme-support/requests/{self.mine.pk}/"')
        self.assertNotContains(response, "Globex secret outage")
        self.assertNotContains(response, "Urgent")  # the other customer's only priority
        self.assertContains(response, "High")
        self.assertContains(response, "<li>Alan Agent</li>", html=False)  # handling it

    def test_staff_are_named_to_customers_by_name_never_by_e_mail(self) -> None:
        nameless = User.objects.create_user("nameless@acme.test", "pw")
        self.mine.assignees.add(nameless)
        self.login_portal(self.portal_a1)
        response = self.client.get(HOME)
        self.assertContains(response, "<li>Alan Agent</li>")
        self.assertNotContains(response, "nameless@acme.test")
        self.assertNotContains(response, "agent@acme.test")

    def test_a_link_session_sees_only_its_own_requests_and_no_billing(self) -> None:
        colleague = PortalUser.objects.create(
            organization=self.org_a, customer=self.customer_a1, email="joan@initech.test",
            first_name="Joan")
        self.request("Joan's keyboard", colleague)
        self.invoice(issued=True, title="Hosting for Initech")
        token = mint_access_link(self.portal_a1)
        self.client.get(f"/p/acme-support/link/{token}/")
        response = self.client.get(HOME)
        self.assertContains(response, "Printer jams")
        self.assertNotContains(response, "Joan&#39;s keyboard")
        self.assertNotContains(response, "Hosting for Initech")
        self.assertNotContains(response, "Invoices by status")
        # With a password session the colleague's request is there (the customer's requests).
        self.login_portal(self.portal_a1)
        self.assertContains(self.client.get(HOME), "Joan&#39;s keyboard")

    def test_it_shows_issued_invoices_of_the_customer_only(self) -> None:
        self.invoice(issued=True, title="Hosting for Initech")
        self.invoice(issued=False, title="Draft for Initech")
        self.invoice(self.customer_a2, issued=True, title="Hosting for Globex")
        self.login_portal(self.portal_a1)
        response = self.client.get(HOME)
        self.assertContains(response, "Invoices by status")
        self.assertContains(response, "Hosting for Initech")
        self.assertNotContains(response, "Draft for Initech")
        self.assertNotContains(response, "Hosting for Globex")
        # A person not given the invoices (SPEC P15) sees none on the home page either.
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(sees_invoices=False)
        response = self.client.get(HOME)
        self.assertNotContains(response, "Hosting for Initech")
        self.assertNotContains(response, "Invoices by status")

    def test_it_shows_the_average_time_to_close_per_priority(self) -> None:
        closed = self.request("Old printer", self.portal_a1, Priority.LOW)
        created = timezone.now() - dt.timedelta(days=4)
        Task.objects.filter(pk=closed.pk).update(
            status=Status.CLOSED, created_at=created, closed_at=created + dt.timedelta(days=3))
        self.login_portal(self.portal_a1)
        response = self.client.get(HOME)
        self.assertContains(response, "Average time to close, past year")
        self.assertContains(response, "3 days")

    def test_recent_faq_entries_only_when_the_faq_is_shown(self) -> None:
        Article.objects.create(organization=self.org_a, title="How do I reset my router?",
                               body="Unplug it.", is_published=True)
        Article.objects.create(organization=self.org_a, title="Draft answer", body="...")
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get(HOME), "How do I reset my router?")
        self.settings_a(show_faq=True)
        response = self.client.get(HOME)
        self.assertContains(response, "How do I reset my router?")
        self.assertNotContains(response, "Draft answer")

    def test_a_fixed_greeting_and_parts_switched_off(self) -> None:
        self.settings_a(greeting=Greeting.FIXED, greeting_text="Welcome to Acme care",
                        home_charts=False, home_handlers=False)
        self.login_portal(self.portal_a1)
        response = self.client.get(HOME)
        self.assertContains(response, "Welcome to Acme care")
        self.assertNotContains(response, "Open requests by priority")
        self.assertNotContains(response, "Alan Agent")

    def test_without_any_part_the_portal_opens_the_requests(self) -> None:
        self.settings_a(greeting=Greeting.NONE, home_charts=False, home_recent_requests=False,
                        home_recent_invoices=False, home_recent_faq=False,
                        home_recent_documents=False,
                        home_handlers=False)
        self.login_portal(self.portal_a1)
        self.assertRedirects(self.client.get(HOME), "/p/acme-support/requests/")

    def test_visitors_and_other_organizations_portal_users_get_the_log_in_page(self) -> None:
        self.assertRedirects(self.client.get(HOME), "/p/acme-support/login/")
        self.login_portal(self.portal_a1)
        response = self.client.get("/p/other-org/")
        self.assertRedirects(response, "/p/other-org/login/")

    def test_its_queries_do_not_grow_with_the_requests_and_invoices(self) -> None:
        self.settings_a(show_faq=True)
        self.login_portal(self.portal_a1)
        self.client.get(HOME)
        cache.clear()
        with CaptureQueriesContext(connection) as few:
            self.client.get(HOME)
        for index in range(12):
            task = self.request(f"Request {index}", self.portal_a1, Priority.values[index % 4])
            task.assignees.add(self.admin_a)
            self.invoice(issued=True, title=f"Invoice {index}")
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(HOME)
        self.assertContains(response, "Request 11")
        self.assertEqual(len(many), len(few))
        # The session with the portal, then requests' figures, invoices' figures, who handles
        # the requests (these three kept a minute), and the short lists (requests, invoices,
        # shared files, FAQ entries) in one.
        self.assertEqual(len(many), 5)

    def test_the_charts_figures_are_counted_once_a_minute_per_customer(self) -> None:
        self.login_portal(self.portal_a1)
        first = self.client.get(HOME)
        self.assertContains(first, "High")
        self.request("Another one", self.portal_a1, Priority.LOW)
        self.mine.assignees.add(User.objects.create_user("bob@acme.test", "pw",
                                                         full_name="Bob Newcomer"))
        with CaptureQueriesContext(connection) as again:
            second = self.client.get(HOME)
        self.assertNotContains(second, "Low")  # counted a moment ago, not yet again
        self.assertNotContains(second, "Bob Newcomer")  # who handles them: the same
        self.assertContains(second, "Another one")  # the recent requests are read each time
        # The session with the portal, and the short lists in one.
        self.assertEqual(len(again), 2)
        cache.clear()
        self.assertContains(self.client.get(HOME), "<li>Bob Newcomer</li>", html=False)
        # Another customer's people get their own figures, never these.
        self.login_portal(self.portal_a2)
        response = self.client.get(HOME)
        self.assertContains(response, "Urgent")
        self.assertNotContains(response, "High")
