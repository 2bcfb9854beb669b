"""Staff make tasks of their own (SPEC T1): from the list or for a customer, possibly shared
with it (P16); only the organization's groups, staff and customers; Contribute in Tasks."""

from __future__ import annotations

import datetime as dt

from frontdesk.core.testing import make_staff, run_worker
from frontdesk.customers.models import Activity, Customer
from frontdesk.organizations.models import Group
from frontdesk.organizations.permissions import Level
from frontdesk.portal.tests.helpers import PortalTestCase, upload
from frontdesk.support.models import Attachment, Notification, Source, Task, TaskEvent

URL = "/app/acme-support/requests/new/"


class NewTaskTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.group = Group.objects.for_org(self.org_a).earliest("id")

    def data(self, **changes: object) -> dict[str, object]:
        return {"title": "Migrate the mail server", "description": "Over the weekend.",
                "group": self.group.pk, "priority": "high", "due_date": "2031-05-06",
                "assignees": [self.agent_a.pk], **changes}

    def test_a_task_is_made_with_its_assignees_notified(self) -> None:
        self.login_staff(self.admin_a)
        self.assertContains(self.client.get("/app/acme-support/requests/"), URL)
        form = self.client.get(URL)
        self.assertContains(form, 'name="title"')
        self.assertContains(form, "Alan Agent")  # an assignee to choose
        self.assertNotContains(form, "Bea Other")  # another organization's staff
        self.assertNotContains(form, 'name="shared"')  # no customer to share it with
        response = self.client.post(URL, {**self.data(), "attachments": upload("plan.txt")})
        task = Task.objects.get(title="Migrate the mail server")
        self.assertRedirects(response, f"/app/acme-support/requests/{task.pk}/")
        self.assertEqual((task.source, task.creator_id, task.priority, task.due_date,
                          task.customer_id, task.shared_with_customer),
                         (Source.STAFF, self.admin_a.pk, "high", dt.date(2031, 5, 6), None,
                          False))
        self.assertEqual(list(task.assignees.all()), [self.agent_a])
        self.assertEqual(Attachment.objects.get(task=task).name, "plan.txt")
        self.assertTrue(TaskEvent.objects.filter(task=task, kind="created",
                                                 actor=self.admin_a).exists())
        with self.sending():
            run_worker()
        self.assertTrue(Notification.objects.filter(user=self.agent_a, task=task).exists())
        self.assertFalse(Notification.objects.filter(user=self.admin_a, task=task).exists())
        self.assertTrue(self.smtp.to("agent@acme.test"))
        self.assertEqual(self.smtp.to("peter@initech.test"), [])  # no customer, no requester

    def test_a_task_for_a_customer_shared_with_it_shows_in_their_portal(self) -> None:
        self.login_staff(self.admin_a)
        page = self.client.get(f"/app/acme-support/customers/{self.customer_a1.pk}/")
        self.assertContains(page, f"{URL}?customer={self.customer_a1.pk}")
        self.client.post(f"{URL}?customer={self.customer_a1.pk}", {**self.data(), "shared": "1"})
        self.client.post(f"{URL}?customer={self.customer_a1.pk}",
                         self.data(title="Renew their certificate"))
        shared = Task.objects.get(title="Migrate the mail server")
        self.assertEqual((shared.customer_id, shared.shared_with_customer),
                         (self.customer_a1.pk, True))
        self.assertTrue(Activity.objects.filter(customer=self.customer_a1,
                                                kind=Activity.Kind.TASK_LINKED).exists())
        self.login_portal(self.portal_a1)
        listing = self.client.get("/p/acme-support/shared/")
        self.assertContains(listing, "Migrate the mail server")
        self.assertNotContains(listing, "Renew their certificate")  # not shared
        self.assertNotContains(self.client.get("/p/acme-support/requests/"),
                               "Renew their certificate")
        self.login_portal(self.portal_a2)  # another customer's person
        self.assertNotContains(self.client.get("/p/acme-support/shared/"),
                               "Migrate the mail server")

    def test_only_the_organizations_groups_staff_and_customers(self) -> None:
        self.login_staff(self.admin_a)
        theirs = Group.objects.for_org(self.org_b).earliest("id")
        response = self.client.post(URL, self.data(group=theirs.pk))
        self.assertEqual(response.status_code, 400)
        response = self.client.post(URL, self.data(assignees=[self.staff_b.pk]))
        self.assertEqual(response.status_code, 400)
        their_customer = Customer.objects.create(organization=self.org_b, short_name="Hooli")
        self.assertEqual(self.client.post(f"{URL}?customer={their_customer.pk}",
                                          self.data()).status_code, 404)
        response = self.client.post(URL, self.data(title="   "))
        self.assertEqual(response.status_code, 400)
        response = self.client.post(f"{URL}", {**self.data(), "shared": "1"})
        self.assertFalse(Task.objects.get().shared_with_customer)  # no customer: not shared
        self.assertEqual(Task.objects.count(), 1)

    def test_contribute_in_tasks_is_needed(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.post(URL, self.data()).status_code, 403)
        self.assertNotContains(self.client.get("/app/acme-support/requests/"), URL)
        tasker = make_staff("tina@acme.test", "Tina Tasks", self.org_a,
                            support=Level.VIEW, tasks=Level.CONTRIBUTE, customers=Level.NONE)
        self.login_staff(tasker)
        self.assertEqual(self.client.post(URL, self.data()).status_code, 302)
        # A customer's task needs seeing customers.
        self.assertEqual(self.client.get(f"{URL}?customer={self.customer_a1.pk}").status_code,
                         403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(URL).status_code, 404)
        self.assertEqual(Task.objects.count(), 1)
