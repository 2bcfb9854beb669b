"""Who may use the portal and which requests its people see there (SPEC P10): the portal open
only to customers given access, a customer's requests since a date or only new ones, and each
person seeing only their own."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponseBase
from django.utils import timezone

from frontdesk.billing.tests.helpers import BillingTestCase
from frontdesk.core.testing import text_of
from frontdesk.portal.invitations import invite_portal_users
from frontdesk.portal.models import (
    CustomerAccess,
    PortalFor,
    PortalSettings,
    PortalUser,
    RequestsShown,
    SeenByDefault,
)
from frontdesk.portal.services import set_customer_access
from frontdesk.portal.tests.helpers import link_in
from frontdesk.support.models import Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request

LIST = "/p/acme-support/requests/"


class PortalTermsTests(BillingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.portal_a1.set_password("a long enough secret")
        self.portal_a1.save()

    def request(self, title: str, requester: PortalUser, *, days_ago: int = 0) -> Task:
        task = create_request(topic=self.topic, requester=requester, title=title,
                              description="...")
        if days_ago:
            Task.objects.filter(pk=task.pk).update(
                created_at=timezone.now() - dt.timedelta(days=days_ago))
        return task

    def portal(self, **changes: object) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(**changes)

    def log_in(self) -> HttpResponseBase:
        return self.client.post("/p/acme-support/login/", {
            "email": "peter@initech.test", "password": "a long enough secret"})

    def test_a_portal_for_selected_customers_keeps_the_others_out(self) -> None:
        self.portal(portal_for=PortalFor.SELECTED)
        response = self.log_in()
        self.assertContains(response, "The portal is not open to your company", status_code=403)
        self.assertRedirects(self.client.get(LIST), f"/p/acme-support/login/?next={LIST}")
        set_customer_access(customer=self.customer_a1, allowed=True, shows=RequestsShown.ALL)
        self.assertRedirects(self.log_in(), LIST)
        self.assertEqual(self.client.get(LIST).status_code, 200)
        # Another customer of the same organization is still out.
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.get(LIST).status_code, 302)

    def test_a_customer_kept_out_loses_its_sessions_at_the_next_page(self) -> None:
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(LIST).status_code, 200)
        set_customer_access(customer=self.customer_a1, allowed=False, shows=RequestsShown.ALL)
        self.assertEqual(self.client.get(LIST).status_code, 302)
        self.assertEqual(self.client.get("/p/acme-support/invoices/").status_code, 302)

    def test_a_link_of_a_customer_kept_out_opens_nothing(self) -> None:
        self.portal(portal_for=PortalFor.SELECTED)
        with self.sending():
            invite_portal_users(customer=self.customer_a2, emails=["new@globex.test"],
                                by=self.admin_a)
        # The invitation is a way into a portal closed to them: not sent.
        self.assertEqual(self.smtp.to("new@globex.test"), [])
        from frontdesk.portal.access_links import mint_access_link
        token = mint_access_link(self.portal_a2)
        response = self.client.get(f"/p/acme-support/link/{token}/")
        self.assertContains(response, "The portal is not open to your company", status_code=403)
        self.assertEqual(self.client.get(LIST).status_code, 302)

    def test_e_mails_to_a_customer_kept_out_carry_no_link_but_the_answer(self) -> None:
        self.portal(portal_for=PortalFor.SELECTED)
        with self.sending():
            task = self.request("Printer jams", self.portal_a1)
            add_staff_post(task=task, author=self.agent_a, body="Try turning it off.",
                           visible_to_customer=True)
            add_staff_post(task=task, author=self.agent_a, body="INTERNAL: old model")
        messages = self.smtp.to("peter@initech.test")
        self.assertEqual(len(messages), 2)  # the confirmation and the visible reply
        for message in messages:
            self.assertNotIn("/p/acme-support/link/", text_of(message))
            self.assertNotIn("INTERNAL", text_of(message))
        self.assertEqual(len([m for m in messages if "Try turning it off." in text_of(m)]), 1)
        # Given access, the next e-mail carries a link again.
        set_customer_access(customer=self.customer_a1, allowed=True, shows=RequestsShown.ALL)
        self.smtp.clear()
        with self.sending():
            add_staff_post(task=task, author=self.agent_a, body="Fixed?",
                           visible_to_customer=True)
        link_in(self.smtp.to("peter@initech.test")[0])

    def test_requests_since_a_date_hide_the_older_ones_everywhere(self) -> None:
        old = self.request("Old outage", self.portal_a1, days_ago=30)
        recent = self.request("Recent outage", self.portal_a1, days_ago=2)
        set_customer_access(customer=self.customer_a1, allowed=True, shows=RequestsShown.SINCE,
                            since=timezone.now() - dt.timedelta(days=10))
        self.login_portal(self.portal_a1)
        listing = self.client.get(LIST)
        self.assertContains(listing, "Recent outage")
        self.assertNotContains(listing, "Old outage")
        self.assertEqual(self.client.get(f"{LIST}{old.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{LIST}{recent.pk}/").status_code, 200)
        self.assertNotContains(self.client.get("/p/acme-support/"), "Old outage")
        reply = self.client.post(f"{LIST}{old.pk}/reply/", {"body": "Hello?"})
        self.assertEqual(reply.status_code, 404)

    def test_only_new_requests_count_from_when_it_was_chosen(self) -> None:
        self.request("Before the switch", self.portal_a1, days_ago=1)
        access = set_customer_access(customer=self.customer_a1, allowed=True,
                                     shows=RequestsShown.NEW)
        self.assertIsNotNone(access.since)
        self.request("After the switch", self.portal_a1)
        self.login_portal(self.portal_a1)
        listing = self.client.get(LIST)
        self.assertContains(listing, "After the switch")
        self.assertNotContains(listing, "Before the switch")
        # Saved again, "only new ones" keeps counting from the first time.
        again = set_customer_access(customer=self.customer_a1, allowed=True,
                                    shows=RequestsShown.NEW)
        self.assertEqual(again.since, access.since)

    def test_each_person_sees_only_their_own_requests_when_the_organization_says_so(
            self) -> None:
        colleague = PortalUser.objects.create(organization=self.org_a,
                                              customer=self.customer_a1,
                                              email="joan@initech.test", first_name="Joan")
        mine = self.request("Peter's printer", self.portal_a1)
        theirs = self.request("Joan's laptop", colleague)
        self.invoice(issued=True, title="Hosting for Initech")
        self.portal(seen_by_default=SeenByDefault.OWN)
        self.login_portal(self.portal_a1)
        listing = self.client.get(LIST)
        self.assertContains(listing, "Peter&#39;s printer")
        self.assertNotContains(listing, "Joan&#39;s laptop")
        self.assertEqual(self.client.get(f"{LIST}{theirs.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{LIST}{mine.pk}/").status_code, 200)
        # The customer's invoices are still theirs to see (SPEC P15 decides those).
        self.assertContains(self.client.get("/p/acme-support/invoices/"),
                            "Hosting for Initech")


class CustomerTermsPageTests(BillingTestCase):
    def url(self, customer_id: int, org: str = "acme-support") -> str:
        return f"/app/{org}/settings/portal/customers/{customer_id}/"

    def test_a_manager_sets_a_customers_terms(self) -> None:
        self.login_staff(self.admin_a)
        self.assertContains(self.client.get(f"/app/acme-support/customers/"
                                            f"{self.customer_a1.pk}/"),
                            self.url(self.customer_a1.pk))
        response = self.client.post(self.url(self.customer_a1.pk), {
            "allowed": "on", "shows": "since", "since": "2026-01-15"})
        self.assertRedirects(response, f"/app/acme-support/customers/{self.customer_a1.pk}/")
        access = CustomerAccess.objects.get(customer=self.customer_a1)
        self.assertEqual((access.allowed, access.shows), (True, RequestsShown.SINCE))
        self.assertEqual(timezone.localtime(access.since).date(), dt.date(2026, 1, 15))

    def test_since_needs_a_date_and_nothing_changes_without_one(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(self.customer_a1.pk),
                                    {"allowed": "on", "shows": "since"})
        self.assertContains(response, "Choose the date from which requests are shown.",
                            status_code=400)
        self.assertFalse(CustomerAccess.objects.exists())

    def test_outsiders_cannot_see_or_set_terms(self) -> None:
        other = self.customer_b()
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get(self.url(other.pk)).status_code, 404)
        self.assertEqual(self.client.get(self.url(self.customer_a1.pk, "other-org")).status_code,
                         404)
        self.login_staff(self.viewer_a)
        response = self.client.post(self.url(self.customer_a1.pk), {"shows": "new"})
        self.assertIn(response.status_code, (403, 404))
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(self.url(self.customer_a1.pk, "other-org"),
                                          {"shows": "new"}).status_code, 404)
        self.assertFalse(CustomerAccess.objects.exists())
