from django.urls import reverse

from frontdesk.billing import services as billing
from frontdesk.billing.tests.helpers import document
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.customers.notes import add_note
from frontdesk.customers.services import create_customer
from frontdesk.organizations.permissions import Level
from frontdesk.support.models import Topic
from frontdesk.support.services import create_request


class CustomerPreviewTests(FrontdeskTestCase):
    def url(self, customer: Customer | None = None) -> str:
        return reverse("customers:preview", args=[self.org_a.slug,
                                                  (customer or self.customer_a1).pk])

    def fill(self, customer: Customer, count: int) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        for number in range(count):
            create_request(topic=topic, requester=self.portal_a1, title=f"Request {number}",
                           description="")
            billing.create_quote(organization=self.org_a, customer=customer,
                                 data=document(f"Quote title {number}"), valid_until=None,
                                 by=self.admin_a)
            add_note(customer=customer, body=f"Note {number}", by=self.admin_a)

    def test_it_shows_the_newest_tasks_quotes_and_activities(self) -> None:
        self.fill(self.customer_a1, 7)
        add_note(customer=self.customer_a2, body="Globex secret", by=None)
        self.login_staff(self.admin_a)
        response = self.client.get(self.url(), headers={"X-Preview": "1"})
        self.assertEqual(response.status_code, 200)
        for text in ("Initech", "Request 6", "Request 2", "Quote title 6", "Note: Note 6"):
            self.assertContains(response, text)
        self.assertNotContains(response, "Request 1<")
        self.assertNotContains(response, "Globex secret")
        # The fragment is the panel alone; without the header it is a page of its own.
        self.assertNotContains(response, "<html")
        self.assertContains(self.client.get(self.url()), "<html")

    def test_it_costs_the_same_queries_however_much_the_customer_has(self) -> None:
        self.fill(self.customer_a1, 12)
        self.login_staff(self.admin_a)
        self.client.get(self.url())
        # The session with the membership and the unread badge, then the customer with its
        # lists (one statement).
        with self.assertNumQueries(2):
            self.client.get(self.url(), headers={"X-Preview": "1"})

    def test_lists_the_member_may_not_see_are_left_out(self) -> None:
        self.fill(self.customer_a1, 1)
        membership = self.membership(self.viewer_a)
        membership.level_offers = Level.NONE
        membership.level_support = Level.NONE
        membership.level_tasks = Level.NONE
        membership.save()
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url(), headers={"X-Preview": "1"})
        self.assertNotContains(response, "Recent quotes")
        self.assertNotContains(response, "Recent tasks")
        self.assertNotContains(response, "Request 0")
        self.assertContains(response, "Note: Note 0")

    def test_a_customer_of_another_organization_is_404(self) -> None:
        other = create_customer(organization=self.org_b, short_name="Hidden B")
        self.login_staff(self.admin_a)
        response = self.client.get(self.url(other), headers={"X-Preview": "1"})
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Hidden B", status_code=404)

    def test_staff_of_another_organization_and_portal_users_get_no_preview(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.client.logout()
        self.login_portal(self.portal_a1)
        response = self.client.get(self.url())
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "Initech", status_code=response.status_code)

    def test_the_customer_list_links_to_the_preview(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(reverse("customers:list", args=[self.org_a.slug]))
        self.assertContains(response, f'data-preview="{self.url()}"')
        self.assertContains(response, "customers/preview.js")
