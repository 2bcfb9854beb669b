"""Nothing of the demo organization reaches another organization made beside it: not its
requests, customers, saved replies or portal people."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from frontdesk.accounts.models import User
from frontdesk.core import demo_data
from frontdesk.organizations.models import Organization
from frontdesk.organizations.services import create_organization
from frontdesk.portal.services import find_or_create_portal_user, set_password
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request


class SeededDemoTenancyTests(TestCase):
    demo: Organization
    other: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", stdout=StringIO())
        cls.demo = Organization.objects.get(slug="demo")
        admin = User.objects.create_user("boss@other.test", "pw-boss@other.test")
        cls.other = create_organization(slug="other", name="Other Org", admin=admin)
        person = find_or_create_portal_user(organization=cls.other, email="ann@other.test",
                                            first_name="Ann", last_name="Other")
        set_password(portal_user=person, password="pw-ann-other")
        create_request(topic=Topic.objects.for_org(cls.other).get(), requester=person,
                       title="Our own request", description="Only ours.")

    def test_staff_of_another_organization_see_nothing_of_the_demo(self) -> None:
        self.client.post("/login/", {"username": "boss@other.test",
                                     "password": "pw-boss@other.test"})
        page = self.client.get("/app/other/requests/")
        self.assertContains(page, "Our own request")
        for title in Task.objects.for_org(self.demo).values_list("title", flat=True):
            self.assertNotContains(page, title)
        self.assertNotContains(self.client.get("/app/other/customers/"), "Initech")
        self.assertNotContains(self.client.get("/app/other/requests/saved-replies/"),
                               "Asking for details")
        vpn = Task.objects.for_org(self.demo).get(title="VPN drops every hour")
        self.assertEqual(self.client.get("/app/demo/requests/").status_code, 404)
        self.assertEqual(self.client.get(f"/app/demo/requests/{vpn.pk}/").status_code, 404)

    def test_demo_staff_see_nothing_of_the_other_organization(self) -> None:
        self.client.post("/login/", {"username": "admin@example.com", "password": "demo-admin"})
        self.assertNotContains(self.client.get("/app/demo/requests/"), "Our own request")
        own = Task.objects.for_org(self.other).get()
        self.assertEqual(self.client.get(f"/app/demo/requests/{own.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/app/other/").status_code, 404)

    def test_the_demo_portal_people_are_unknown_in_another_portal(self) -> None:
        response = self.client.post("/p/other/login/", {
            "email": demo_data.ACCOUNTANT_LOGIN[0], "password": demo_data.ACCOUNTANT_LOGIN[1]})
        self.assertEqual(response.status_code, 200)  # the form again, with its error
        self.assertEqual(self.client.get("/p/other/requests/").status_code, 302)
        self.client.post("/p/other/login/", {"email": "ann@other.test",
                                             "password": "pw-ann-other"})
        page = self.client.get("/p/other/requests/")
        self.assertContains(page, "Our own request")
        self.assertNotContains(page, "VPN drops every hour")
        vpn = Task.objects.for_org(self.demo).get(title="VPN drops every hour")
        self.assertEqual(self.client.get(f"/p/other/requests/{vpn.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/p/demo/requests/{vpn.pk}/").status_code, 302)
