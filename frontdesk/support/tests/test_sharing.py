"""Staff share a staff task with its customer, or stop (SPEC P16; support/sharing.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Group
from frontdesk.support.models import Source, Task, TaskEvent, Topic
from frontdesk.support.services import create_request
from frontdesk.support.sharing import share_task_with_customer


class ShareTaskTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = Task.objects.create(organization=self.org_a, title="Migrate mail",
                                        source=Source.STAFF, customer=self.customer_a1,
                                        group=Group.objects.for_org(self.org_a).earliest("id"))
        self.url = f"/app/acme-support/requests/{self.task.pk}/share/"

    def test_an_admin_shares_and_unshares_it_from_the_page(self) -> None:
        self.login_staff(self.admin_a)
        page = self.client.get(f"/app/acme-support/requests/{self.task.pk}/")
        self.assertContains(page, "Share with the customer")
        response = self.client.post(self.url, {"shared": "1"}, follow=True)
        self.assertContains(response, "The customer now sees this task in the portal.")
        self.assertContains(response, "Stop sharing")
        self.assertContains(response, "shared the task with the customer")  # the activity
        self.task.refresh_from_db()
        self.assertTrue(self.task.shared_with_customer)
        self.client.post(self.url, {"shared": "0"})
        self.task.refresh_from_db()
        self.assertFalse(self.task.shared_with_customer)
        self.assertEqual(list(TaskEvent.objects.filter(task=self.task).values_list(
            "kind", flat=True).order_by("id")), ["shared", "unshared"])

    def test_a_member_without_contribute_in_tasks_may_not(self) -> None:
        for user in (self.viewer_a, self.agent_a):  # agent_a: Support only
            self.login_staff(user)
            self.assertEqual(self.client.post(self.url, {"shared": "1"}).status_code, 403)
            self.assertNotContains(
                self.client.get(f"/app/acme-support/requests/{self.task.pk}/"),
                "Share with the customer")
        self.task.refresh_from_db()
        self.assertFalse(self.task.shared_with_customer)

    def test_another_organizations_staff_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(self.url, {"shared": "1"}).status_code, 404)
        self.assertEqual(self.client.post(f"/app/other-org/requests/{self.task.pk}/share/",
                                          {"shared": "1"}).status_code, 404)

    def test_a_request_or_a_task_without_customer_is_refused_with_a_message(self) -> None:
        request = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                 requester=self.portal_a1, title="VPN", description="down")
        with self.assertRaises(ValidationError):
            share_task_with_customer(task=request, shared=True, by=self.admin_a)
        Task.objects.filter(pk=self.task.pk).update(customer=None)
        self.login_staff(self.admin_a)
        response = self.client.post(self.url, {"shared": "1"}, follow=True)
        self.assertContains(response, "Choose the task&#39;s customer first")
        self.assertFalse(Task.objects.filter(shared_with_customer=True).exists())
        self.assertFalse(TaskEvent.objects.filter(kind="shared").exists())
