from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from frontdesk.organizations.models import Organization
from frontdesk.support.models import Task, Topic


class SeedDemoTests(TestCase):
    def test_it_creates_the_demo_organization_and_the_admin_can_log_in(self) -> None:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        self.assertIn("admin@example.com / demo-admin", out.getvalue())
        organization = Organization.objects.get(slug="demo")
        self.assertEqual(organization.name, "Demo Company")
        self.assertEqual(Topic.objects.for_org(organization).count(), 2)
        self.assertTrue(organization.portal_settings.public_form_enabled)
        self.assertGreaterEqual(Task.objects.for_org(organization).count(), 3)
        self.client.post("/login/", {"username": "admin@example.com", "password": "demo-admin"})
        self.assertContains(self.client.get("/app/demo/"), "Demo Company")
        response = self.client.post("/p/demo/login/", {"email": "customer@example.com",
                                                       "password": "demo-customer"})
        self.assertRedirects(response, "/p/demo/requests/")
        # The customer's billing: a quote to answer, an invoice to approve, the balance.
        self.assertContains(self.client.get("/p/demo/quotes/"), "Gateway upgrade")
        self.assertContains(self.client.get("/p/demo/invoices/"), "Maintenance, November")
        self.assertContains(self.client.get("/p/demo/balance/"), "€456.78")
        self.assertContains(self.client.get("/p/demo/faq/"), "When do you answer?")

    def test_it_never_touches_a_database_with_data(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        tasks = Task.objects.count()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        self.assertIn("no demo data added", out.getvalue())
        self.assertEqual(Task.objects.count(), tasks)
