import datetime as dt

from django.urls import NoReverseMatch, reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.custom_fields import add_custom_field
from frontdesk.customers.models import Customer
from frontdesk.customers.services import create_customer
from frontdesk.customers.views.customers import request_detail_url
from frontdesk.organizations.models import Group
from frontdesk.organizations.permissions import Level
from frontdesk.support.models import Source, Status, Task


class CustomerDetailTests(FrontdeskTestCase):
    def url(self, customer: Customer | None = None) -> str:
        customer = customer or self.customer_a1
        return reverse("customers:detail", args=[self.org_a.slug, customer.pk])

    def task(self, title: str, status: Status = Status.OPEN, customer: Customer | None = None,
             source: Source = Source.PORTAL) -> Task:
        return Task.objects.create(
            organization=self.org_a, title=title, status=status, source=source,
            group=Group.objects.for_org(self.org_a).earliest("id"),
            customer=customer or self.customer_a1, due_date=dt.date(2030, 1, 31),
        )

    def test_it_shows_details_custom_values_and_contacts(self) -> None:
        vat = add_custom_field(organization=self.org_a, name="VAT no.")
        add_custom_field(organization=self.org_a, name="Empty field")
        create_customer(organization=self.org_b, short_name="B", custom_values={})
        add_custom_field(organization=self.org_b, name="B's own field")
        customer = create_customer(organization=self.org_a, short_name="Wonka",
                                   full_name="Wonka Industries", phone="+44 20 7946 0000",
                                   email="willy@wonka.test", custom_values={vat.pk: "GB123"})
        add_contact(customer=customer, first_name="Charlie", last_name="Bucket",
                    position="Heir", email="charlie@wonka.test")
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url(customer))
        self.assertEqual(response.status_code, 200)
        for text in ("Wonka Industries", "+44 20 7946 0000", "willy@wonka.test", "VAT no.",
                     "GB123", "Empty field", "Charlie Bucket", "Heir", "charlie@wonka.test"):
            self.assertContains(response, text)
        self.assertNotContains(response, "B&#39;s own field")

    def test_a_viewer_sees_no_edit_links(self) -> None:
        contact = add_contact(customer=self.customer_a1, first_name="Peter")
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        self.assertNotContains(response, reverse("customers:edit",
                                                 args=[self.org_a.slug, self.customer_a1.pk]))
        self.assertNotContains(response, reverse(
            "customers:contact_edit", args=[self.org_a.slug, self.customer_a1.pk, contact.pk]))
        self.assertNotContains(response, "Add contact")

    def test_a_contributor_sees_edit_links(self) -> None:
        contact = add_contact(customer=self.customer_a1, first_name="Peter")
        self.login_staff(self.agent_a)
        response = self.client.get(self.url())
        self.assertContains(response, reverse(
            "customers:contact_edit", args=[self.org_a.slug, self.customer_a1.pk, contact.pk]))
        self.assertContains(response, "Add contact")

    def test_it_groups_the_newest_20_tasks_into_open_and_closed(self) -> None:
        for number in range(18):
            self.task(f"Old task {number}")
        self.task("Printer on fire", status=Status.CLOSED)
        self.task("TPS reports", status=Status.WAITING)
        self.task("Stapler missing")
        self.task("Someone else's", customer=self.customer_a2)
        self.login_staff(self.viewer_a)
        body = self.client.get(self.url()).content.decode()
        open_part, closed_part = body.split("<h2>Closed tasks</h2>")
        self.assertIn("Stapler missing", open_part)
        self.assertIn("TPS reports", open_part)
        self.assertLess(open_part.index("Stapler missing"), open_part.index("TPS reports"))
        self.assertIn("Printer on fire", closed_part)
        self.assertNotIn("Printer on fire", open_part)
        self.assertNotIn("Someone else", body)
        # 21 tasks of this customer: the oldest (number 0) is beyond the first 20.
        self.assertIn("Old task 1<", body)
        self.assertNotIn("Old task 0<", body)

    def test_task_titles_link_to_the_request_page_once_it_exists(self) -> None:
        task = self.task("Printer on fire")
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        try:
            link = reverse("support:request_detail", args=[self.org_a.slug, task.pk])
        except NoReverseMatch:
            self.assertIsNone(request_detail_url(self.org_a, task.pk))
            self.assertContains(response, "Printer on fire")
        else:
            self.assertContains(response, f'<a href="{link}">Printer on fire</a>', html=True)

    def test_requests_are_hidden_from_staff_without_support_access(self) -> None:
        self.task("A support request", source=Source.PORTAL)
        self.task("An own task", source=Source.STAFF)
        membership = self.membership(self.viewer_a)
        membership.level_support = Level.NONE
        membership.save()
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        self.assertNotContains(response, "A support request")
        self.assertContains(response, "An own task")

    def test_the_page_costs_the_same_queries_however_many_contacts_and_tasks(self) -> None:
        add_custom_field(organization=self.org_a, name="VAT no.")
        for number in range(30):
            add_contact(customer=self.customer_a1, first_name=f"Person {number}")
            self.task(f"Task {number}", status=Status.CLOSED if number % 2 else Status.OPEN)
        self.login_staff(self.viewer_a)
        # Session with the membership, the user and unread notifications; customer, tasks (with
        # groups), custom fields, their values, contacts, probable duplicates.
        with self.assertNumQueries(11):
            self.client.get(self.url())

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        other_org_url = reverse("customers:detail", args=[self.org_b.slug, self.customer_a1.pk])
        self.assertEqual(self.client.get(other_org_url).status_code, 404)

    def test_a_customer_of_another_organization_is_404(self) -> None:
        customer_b = create_customer(organization=self.org_b, short_name="Hidden B")
        self.login_staff(self.admin_a)
        response = self.client.get(self.url(customer_b))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Hidden B", status_code=404)

    def test_a_missing_customer_is_404(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(f"/app/{self.org_a.slug}/customers/99999999999999999999/")
        self.assertEqual(response.status_code, 404)
