from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from frontdesk.core import demo_data
from frontdesk.core.testing import run_worker
from frontdesk.customers.models import Customer
from frontdesk.files.models import CustomerFile
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalUser
from frontdesk.service_levels.models import BusinessHours, ServiceTarget
from frontdesk.support.follower_model import Follower
from frontdesk.support.models import (
    Attachment,
    Notification,
    Post,
    Rating,
    SavedReply,
    Source,
    Status,
    Task,
    Topic,
)


class SeedDemoTests(TestCase):
    def test_it_creates_the_demo_organization_and_the_admin_can_log_in(self) -> None:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        self.assertIn("admin@example.com / demo-admin", out.getvalue())
        self.assertIn("accountant@example.com / demo-accountant", out.getvalue())
        organization = Organization.objects.get(slug="demo")
        self.assertEqual(organization.name, "Demo Company")
        self.assertEqual(Topic.objects.for_org(organization).count(), 2)
        self.assertTrue(organization.portal_settings.public_form_enabled)
        self.assertGreaterEqual(Task.objects.for_org(organization).requests().count(), 8)
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
        self.assertIn("accountant@example.com / demo-accountant", out.getvalue())
        self.assertEqual(Task.objects.count(), tasks)


class SeededSupportTests(TestCase):
    """What the demo shows of support, each page with something on it."""

    org: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        with cls.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=StringIO())
        run_worker()  # as `make run` does: the assignees' notifications
        cls.org = Organization.objects.get(slug="demo")

    def request(self, title: str) -> Task:
        return Task.objects.for_org(self.org).get(title=title)

    def staff_login(self) -> None:
        self.client.post("/login/", {"username": "agent@example.com", "password": "demo-agent"})

    def test_the_requests_were_made_after_the_service_levels_and_are_due(self) -> None:
        hours = BusinessHours.objects.get(organization=self.org)
        self.assertEqual(hours.time_zone, "Europe/Amsterdam")
        self.assertEqual([name for _day, name in hours.holidays],
                         ["Christmas Day", "New Year's Day"])
        targets = ServiceTarget.objects.for_org(self.org)
        self.assertEqual(targets.filter(topic__isnull=True).count(), 4)
        self.assertEqual(targets.filter(topic__isnull=False).count(), 1)
        requests = Task.objects.for_org(self.org).requests()
        self.assertFalse(requests.filter(resolution_due_at__isnull=True).exists())
        self.assertFalse(requests.filter(status__in=[Status.OPEN, Status.IN_PROGRESS],
                                         next_due_at__isnull=True).exists())

    def test_the_requests_are_in_every_stage_priority_and_rating(self) -> None:
        requests = Task.objects.for_org(self.org).requests()
        self.assertTrue(8 <= requests.count() <= 12)
        self.assertEqual(set(requests.values_list("status", flat=True)), set(Status))
        self.assertEqual(len(set(requests.values_list("priority", flat=True))), 4)
        self.assertEqual(requests.values("customer").distinct().count(), 3)
        self.assertEqual(set(requests.exclude(rating="").values_list("rating", flat=True)),
                         {Rating.GOOD, Rating.BAD})
        self.assertFalse(requests.filter(status=Status.CLOSED, solution="").exists())
        posts = Post.objects.filter(organization=self.org)
        self.assertTrue(posts.filter(author__isnull=False, is_visible_to_customer=False))
        self.assertTrue(posts.filter(author__isnull=False, is_visible_to_customer=True))
        self.assertTrue(posts.filter(portal_author__isnull=False))
        self.assertEqual(Attachment.objects.filter(organization=self.org).get().name,
                         "vpn-client.log")

    def test_a_colleague_and_a_cc_address_follow_the_vpn_request(self) -> None:
        followers = Follower.objects.filter(task=self.request("VPN drops every hour"))
        self.assertEqual(sorted((f.portal_user.email if f.portal_user else f.email)
                                for f in followers),
                         ["it-team@initech.example", "samir@initech.example"])

    def test_the_customer_sees_replies_shared_work_and_files_never_internal_notes(self) -> None:
        self.client.post("/p/demo/login/", {"email": "customer@example.com",
                                            "password": "demo-customer"})
        vpn = self.request("VPN drops every hour")
        page = self.client.get(f"/p/demo/requests/{vpn.pk}/")
        self.assertContains(page, "Could you send the time")
        self.assertContains(page, "vpn-client.log")
        self.assertNotContains(page, "gateway firmware is old")
        self.assertContains(self.client.get("/p/demo/shared/"), "Replace the gateway at Initech")
        self.assertNotContains(self.client.get("/p/demo/shared/"), "Renew our certificate")
        shared = self.request("Replace the gateway at Initech")
        page = self.client.get(f"/p/demo/shared/{shared.pk}/")
        self.assertContains(page, "The new gateway is ordered")
        self.assertNotContains(page, "GX-88812")  # an internal note
        self.assertContains(self.client.get("/p/demo/documents/"), "network-plan.txt")
        self.assertEqual(CustomerFile.objects.filter(organization=self.org).count(), 1)

    def test_staff_pages_have_saved_replies_notifications_and_due_requests(self) -> None:
        replies = SavedReply.objects.filter(organization=self.org)
        self.assertEqual(replies.count(), 2)
        self.assertIn("{requester}", replies.get(title="Asking for details").body)
        self.staff_login()
        self.assertContains(self.client.get("/app/demo/requests/saved-replies/"),
                            "Asking for details")
        self.assertContains(self.client.get("/app/demo/requests/"), "E-mail stopped working")
        overdue = self.client.get("/app/demo/requests/?view=overdue")
        self.assertContains(overdue, "New user for our accountant")
        self.assertNotContains(overdue, "VPN drops every hour")
        self.assertTrue(Notification.objects.filter(organization=self.org,
                                                    user__email="agent@example.com"))
        self.assertContains(self.client.get("/app/demo/requests/notifications/"),
                            "VPN drops every hour")
        staff_tasks = Task.objects.for_org(self.org).filter(source=Source.STAFF)
        self.assertEqual(staff_tasks.count(), 2)
        self.assertEqual(staff_tasks.filter(shared_with_customer=True).get().customer,
                         Customer.objects.for_org(self.org).get(short_name="Initech"))

    def test_the_accountant_acts_for_two_customers_and_sees_only_theirs(self) -> None:
        accountant = PortalUser.objects.for_org(self.org).get(
            email=demo_data.ACCOUNTANT_LOGIN[0])
        customers = {name: Customer.objects.for_org(self.org).get(short_name=name)
                     for name in ("Initech", "Globex", "Umbrella")}
        self.assertEqual(accountant.customer, customers["Globex"])
        response = self.client.post("/p/demo/login/", {
            "email": demo_data.ACCOUNTANT_LOGIN[0], "password": demo_data.ACCOUNTANT_LOGIN[1]})
        self.assertEqual(response.status_code, 302)
        umbrella = self.request("Website certificate expires next week")
        page = self.client.get("/p/demo/requests/")
        self.assertContains(page, "E-mail stopped working for the whole office")
        self.assertContains(page, "Invoice 2026-098 was charged twice")
        self.assertNotContains(page, "VPN drops every hour")
        self.assertNotContains(page, umbrella.title)
        self.assertContains(self.client.get("/p/demo/invoices/"), "Mail server certificate")
        self.client.post("/p/demo/customer/", {"customer": customers["Initech"].pk})
        page = self.client.get("/p/demo/requests/")
        self.assertContains(page, "VPN drops every hour")
        self.assertNotContains(page, "E-mail stopped working for the whole office")
        self.assertNotContains(page, umbrella.title)
        invoices = self.client.get("/p/demo/invoices/")
        self.assertContains(invoices, "Maintenance, November")
        self.assertNotContains(invoices, "Mail server certificate")
        self.assertEqual(self.client.get(f"/p/demo/requests/{umbrella.pk}/").status_code, 404)
        self.assertEqual(self.client.post("/p/demo/customer/", {
            "customer": customers["Umbrella"].pk}).status_code, 404)
