from django.core.exceptions import ValidationError
from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.customers.models import Activity, Customer
from frontdesk.customers.services import create_customer
from frontdesk.organizations.permissions import Level
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.auth import login_portal_user
from frontdesk.portal.models import AccessLink
from frontdesk.support.models import Task, TaskEvent, Topic
from frontdesk.support.services import change_customer, create_request


class ChangeCustomerTests(FrontdeskTestCase):
    """support.services.change_customer (SPEC C13)."""

    def setUp(self) -> None:
        super().setUp()
        self.task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                   requester=self.portal_a1, title="Printer on fire",
                                   description="Help")

    def test_it_records_the_event_and_both_customers_activities(self) -> None:
        change_customer(task=self.task, customer=self.customer_a2, by=self.agent_a)
        self.task.refresh_from_db()
        self.assertEqual(self.task.customer, self.customer_a2)
        event = TaskEvent.objects.get(task=self.task, kind=TaskEvent.Kind.CUSTOMER)
        self.assertEqual(event.data, {"from": self.customer_a1.pk, "to": self.customer_a2.pk})
        self.assertEqual(event.actor, self.agent_a)
        self.assertTrue(Activity.objects.filter(customer=self.customer_a1,
                                                kind="task_unlinked").exists())
        linked = Activity.objects.get(customer=self.customer_a2, kind="task_linked")
        self.assertEqual(linked.data, {"task": self.task.pk, "title": "Printer on fire"})

    def test_the_same_customer_changes_nothing(self) -> None:
        change_customer(task=self.task, customer=self.customer_a1, by=self.agent_a)
        self.assertFalse(TaskEvent.objects.filter(task=self.task, kind="customer").exists())

    def test_no_customer_unlinks_it(self) -> None:
        change_customer(task=self.task, customer=None, by=self.agent_a)
        self.task.refresh_from_db()
        self.assertIsNone(self.task.customer_id)

    def test_a_customer_of_another_organization_is_refused(self) -> None:
        other = create_customer(organization=self.org_b, short_name="B")
        with self.assertRaises(ValidationError):
            change_customer(task=self.task, customer=other, by=self.agent_a)
        self.task.refresh_from_db()
        self.assertEqual(self.task.customer, self.customer_a1)

    def portal_sees(self, url_name: str, *args: int) -> int:
        return self.client.get(reverse(url_name, args=[self.org_a.slug, *args])).status_code

    def test_the_portal_follows_the_new_customer(self) -> None:
        detail = ("portal:request_detail", self.task.pk)
        self.login_portal(self.portal_a1)
        self.assertEqual(self.portal_sees(*detail), 200)
        change_customer(task=self.task, customer=self.customer_a2, by=self.agent_a)
        # The old customer's people no longer see it, not even its requester…
        self.assertEqual(self.portal_sees(*detail), 404)
        listed = self.client.get(reverse("portal:request_list", args=[self.org_a.slug]))
        self.assertNotContains(listed, "Printer on fire")
        # …and the new customer's do.
        self.client.logout()
        self.login_portal(self.portal_a2)
        self.assertEqual(self.portal_sees(*detail), 200)
        listed = self.client.get(reverse("portal:request_list", args=[self.org_a.slug]))
        self.assertContains(listed, "Printer on fire")

    def test_the_requesters_link_session_loses_it_too(self) -> None:
        mint_access_link(self.portal_a1)
        session = self.client.session
        login_portal_user(session, self.portal_a1, AccessLink.objects.get())
        session.save()
        self.client.cookies["sessionid"] = session.session_key or ""
        detail = ("portal:request_detail", self.task.pk)
        self.assertEqual(self.portal_sees(*detail), 200)
        change_customer(task=self.task, customer=self.customer_a2, by=self.agent_a)
        self.assertEqual(self.portal_sees(*detail), 404)


class RequestCustomerPageTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                   requester=self.portal_a1, title="Printer on fire",
                                   description="Help")
        self.url = reverse("support:request_customer", args=[self.org_a.slug, self.task.pk])

    def customer_of_task(self) -> Customer | None:
        return Task.objects.get(pk=self.task.pk).customer

    def test_a_search_lists_matches_to_choose_without_javascript(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get(self.url, {"q": "glob"})
        self.assertContains(response, f'name="customer" value="{self.customer_a2.pk}"')
        self.assertContains(response, "Create a new customer named “glob”")
        self.assertContains(response, "customers/picker.js")
        # The script asks for the matches alone.
        fragment = self.client.get(self.url, {"q": "glob"}, headers={"X-Fragment": "1"})
        self.assertContains(fragment, f'name="customer" value="{self.customer_a2.pk}"')
        self.assertNotContains(fragment, "<html")

    def test_choosing_a_customer_tags_the_task(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url, {"customer": self.customer_a2.pk})
        detail = reverse("support:request_detail", args=[self.org_a.slug, self.task.pk])
        self.assertRedirects(response, detail)
        self.assertEqual(self.customer_of_task(), self.customer_a2)
        page = self.client.get(detail)
        self.assertContains(page, "Alan Agent changed the customer")

    def test_a_new_customer_is_made_on_the_spot(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(self.url, {"new_name": "Vandelay Industries"})
        customer = self.customer_of_task()
        assert customer is not None
        self.assertEqual(customer.short_name, "Vandelay Industries")
        self.assertEqual(customer.organization_id, self.org_a.pk)
        self.assertTrue(Activity.objects.filter(customer=customer, kind="created").exists())

    def test_a_bad_new_name_changes_nothing(self) -> None:
        self.login_staff(self.agent_a)
        count = Customer.objects.count()
        response = self.client.post(self.url, {"new_name": "x" * 300}, follow=True)
        self.assertContains(response, "at most 120 characters")
        self.assertEqual(Customer.objects.count(), count)
        self.assertEqual(self.customer_of_task(), self.customer_a1)

    def test_removing_the_customer(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(self.url, {"remove": "1"})
        self.assertIsNone(self.customer_of_task())

    def test_a_customer_of_another_organization_is_404(self) -> None:
        other = create_customer(organization=self.org_b, short_name="B")
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.post(self.url, {"customer": other.pk}).status_code, 404)
        self.assertEqual(self.customer_of_task(), self.customer_a1)
        response = self.client.get(self.url, {"q": "B"})
        self.assertNotContains(response, f'value="{other.pk}"')

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, {"customer": self.customer_a2.pk})
                         .status_code, 404)
        self.assertEqual(self.customer_of_task(), self.customer_a1)

    def test_a_viewer_cannot_change_it(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(self.url, {"customer": self.customer_a2.pk})
                         .status_code, 403)
        self.assertEqual(self.customer_of_task(), self.customer_a1)

    def test_making_a_customer_takes_contribute_in_customers(self) -> None:
        user = make_staff("desk@acme.test", "Desk", self.org_a, support=Level.CONTRIBUTE)
        self.login_staff(user)
        count = Customer.objects.count()
        self.assertEqual(self.client.post(self.url, {"new_name": "Vandelay"}).status_code, 403)
        self.assertEqual(Customer.objects.count(), count)
        # Choosing an existing one takes View, which they have.
        self.client.post(self.url, {"customer": self.customer_a2.pk})
        self.assertEqual(self.customer_of_task(), self.customer_a2)
