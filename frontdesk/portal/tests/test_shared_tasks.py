"""Shared work in the portal (SPEC P16): a staff task shared with its customer shows in the
customer's "Shared tasks" tab as a request would (P11), and nothing else of staff's work
reaches the portal: not an unshared task, not another customer's, not an internal note."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.customers.models import Customer
from frontdesk.organizations.models import Group
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.models import PortalSettings, PortalUser
from frontdesk.portal.services import set_portal_modules
from frontdesk.portal.tests.helpers import PortalTestCase, upload
from frontdesk.support.models import Attachment, Notification, Post, Source, Task
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_customer
from frontdesk.support.sharing import share_task_with_customer


def staff_task(testcase: PortalTestCase, title: str, customer: Customer | None, *,
               shared: bool = False) -> Task:
    task = Task.objects.create(organization=testcase.org_a, title=title,
                               description="STAFF-ONLY description", source=Source.STAFF,
                               group=Group.objects.for_org(testcase.org_a).earliest("id"),
                               customer=customer, creator=testcase.admin_a,
                               due_date=dt.date(2031, 5, 6))
    task.assignees.add(testcase.agent_a)
    if shared:
        share_task_with_customer(task=task, shared=True, by=testcase.admin_a)
    return task


class SharedTaskPortalTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.shared = staff_task(self, "Migrate the mail server", self.customer_a1, shared=True)
        self.internal_note = add_staff_post(task=self.shared, author=self.agent_a,
                                            body="INTERNAL: their admin is slow",
                                            files=[upload("internal.txt", b"secret")])
        self.visible = add_staff_post(task=self.shared, author=self.agent_a,
                                      body="The new server is ready.",
                                      visible_to_customer=True, files=[upload("plan.txt")])
        self.hidden = staff_task(self, "Renew their certificate", self.customer_a1)
        self.other = staff_task(self, "Globex backup", self.customer_a2, shared=True)

    def pages(self, task: Task) -> list[str]:
        return [f"/p/acme-support/shared/{task.pk}/", f"/p/acme-support/requests/{task.pk}/",
                f"/p/acme-support/shared/{task.pk}/posts/new/?after=0&count=0&status=open",
                f"/p/acme-support/requests/{task.pk}/posts/new/?after=0&count=0&status=open"]

    def test_the_shared_task_shows_as_a_request_would(self) -> None:
        self.login_portal(self.portal_a1)
        listing = self.client.get("/p/acme-support/shared/")
        self.assertContains(listing, "Migrate the mail server")
        self.assertContains(listing, "Alan Agent")
        self.assertContains(listing, 'href="/p/acme-support/shared/"')  # the tab
        detail = self.client.get(f"/p/acme-support/shared/{self.shared.pk}/")
        self.assertContains(detail, "Migrate the mail server")
        self.assertContains(detail, "Open")
        self.assertContains(detail, "Alan Agent")
        self.assertContains(detail, "2031")
        self.assertContains(detail, "The new server is ready.")
        self.assertContains(detail, "plan.txt")
        for response in (listing, detail):
            self.assertNotContains(response, "STAFF-ONLY")
            self.assertNotContains(response, "INTERNAL")
            self.assertNotContains(response, "internal.txt")
            self.assertNotContains(response, "Renew their certificate")
            self.assertNotContains(response, "Globex backup")

    def test_only_the_visible_posts_files_download(self) -> None:
        self.login_portal(self.portal_a1)
        plan = Attachment.objects.get(name="plan.txt")
        secret = Attachment.objects.get(name="internal.txt")
        self.assertEqual(self.client.get(
            f"/p/acme-support/shared/files/{plan.pk}/").status_code, 200)
        self.assertEqual(self.client.get(
            f"/p/acme-support/shared/files/{secret.pk}/").status_code, 404)
        # Not through the requests' downloads either.
        self.assertEqual(self.client.get(f"/p/acme-support/files/{secret.pk}/").status_code, 404)

    def test_an_unshared_task_never_shows(self) -> None:
        self.login_portal(self.portal_a1)
        for path in ("/p/acme-support/", "/p/acme-support/requests/",
                     "/p/acme-support/shared/"):
            self.assertNotContains(self.client.get(path), "Renew their certificate")
        for path in self.pages(self.hidden):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        # A shared task is not one of the customer's requests either.
        self.assertEqual(self.client.get(
            f"/p/acme-support/requests/{self.shared.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"),
                               "Migrate the mail server")

    def test_another_customers_shared_task_is_404(self) -> None:
        self.login_portal(self.portal_a1)
        for path in self.pages(self.other):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        self.login_portal(self.portal_a2)
        for path in self.pages(self.shared):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        self.assertEqual(self.client.post(f"/p/acme-support/shared/{self.shared.pk}/reply/",
                                          {"body": "hi"}).status_code, 404)
        self.assertContains(self.client.get("/p/acme-support/shared/"), "Globex backup")

    def test_unsharing_hides_it_again(self) -> None:
        share_task_with_customer(task=self.shared, shared=False, by=self.admin_a)
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get("/p/acme-support/shared/"),
                               "Migrate the mail server")
        self.assertEqual(self.client.get(
            f"/p/acme-support/shared/{self.shared.pk}/").status_code, 404)

    def test_moving_the_task_to_another_customer_stops_sharing_it(self) -> None:
        change_customer(task=self.shared, customer=self.customer_a2, by=self.admin_a)
        self.shared.refresh_from_db()
        self.assertFalse(self.shared.shared_with_customer)
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.get(
            f"/p/acme-support/shared/{self.shared.pk}/").status_code, 404)

    def test_a_link_session_and_a_portal_without_the_module_see_none(self) -> None:
        token = mint_access_link(self.portal_a1)
        self.client.get(f"/p/acme-support/link/{token}/")
        self.assertNotContains(self.client.get("/p/acme-support/requests/"),
                               'href="/p/acme-support/shared/"')
        self.assertEqual(self.client.get("/p/acme-support/shared/").status_code, 404)
        self.assertEqual(self.client.get(
            f"/p/acme-support/shared/{self.shared.pk}/").status_code, 404)
        PortalSettings.objects.filter(organization=self.org_a).update(show_documents=False)
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"),
                               'href="/p/acme-support/shared/"')
        for path in ("/p/acme-support/shared/", f"/p/acme-support/shared/{self.shared.pk}/"):
            self.assertEqual(self.client.get(path).status_code, 404, path)

    def test_a_person_without_the_tab_sees_none_and_a_colleague_still_does(self) -> None:
        colleague = PortalUser.objects.create(organization=self.org_a,
                                              customer=self.customer_a1,
                                              email="mia@initech.test", first_name="Mia")
        set_portal_modules(portal_user=self.portal_a1, quotes=True, invoices=True,
                           balance=True, shared=False)
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"),
                               'href="/p/acme-support/shared/"')
        for path in ("/p/acme-support/shared/", f"/p/acme-support/shared/{self.shared.pk}/",
                     "/p/acme-support/documents/"):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        self.login_portal(colleague)
        self.assertContains(self.client.get("/p/acme-support/shared/"),
                            "Migrate the mail server")
        # Staff set it on the customer's page.
        self.client.force_login(self.admin_a)
        self.client.post(f"/app/acme-support/customers/{self.customer_a1.pk}/portal-users/"
                         f"{colleague.pk}/tabs/", {"quotes": "on"})
        colleague.refresh_from_db()
        self.assertEqual((colleague.sees_quotes, colleague.sees_shared), (True, False))

    def test_the_customer_replies_and_the_assignee_is_told(self) -> None:
        self.login_portal(self.portal_a1)
        with self.sending():
            response = self.client.post(f"/p/acme-support/shared/{self.shared.pk}/reply/",
                                        {"body": "Thanks, Tuesday suits us."})
        self.assertRedirects(response, f"/p/acme-support/shared/{self.shared.pk}/")
        self.assertTrue(Post.objects.filter(task=self.shared, portal_author=self.portal_a1,
                                            is_visible_to_customer=True).exists())
        self.assertTrue(Notification.objects.filter(task=self.shared, user=self.agent_a,
                                                    kind="customer_reply").exists())
        self.assertContains(self.client.get(f"/p/acme-support/shared/{self.shared.pk}/"),
                            "Tuesday suits us.")
        empty = self.client.post(f"/p/acme-support/shared/{self.shared.pk}/reply/",
                                 {"body": ""})
        self.assertEqual(empty.status_code, 400)
        self.assertContains(empty, "This field is required.", status_code=400)

    def test_live_updates_bring_only_visible_posts(self) -> None:
        self.login_portal(self.portal_a1)
        seen: dict[str, str | int] = {"after": self.visible.pk, "count": 1, "status": "open"}
        url = f"/p/acme-support/shared/{self.shared.pk}/posts/new/"
        self.assertEqual(self.client.get(url, seen).status_code, 204)
        add_staff_post(task=self.shared, author=self.agent_a, body="INTERNAL again")
        add_staff_post(task=self.shared, author=self.agent_a, body="Done on Tuesday.",
                       visible_to_customer=True)
        response = self.client.get(url, seen)
        self.assertContains(response, "Done on Tuesday.")
        self.assertNotContains(response, "INTERNAL")


class SharedTaskQueryCountTests(PortalTestCase):
    def count(self, path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_list_and_the_page_cost_the_same_for_few_or_many(self) -> None:
        self.login_portal(self.portal_a1)
        tasks = [staff_task(self, f"Task {n}", self.customer_a1, shared=True) for n in range(3)]
        for task in tasks:
            add_staff_post(task=task, author=self.agent_a, body="visible",
                           visible_to_customer=True)
        self.count("/p/acme-support/shared/")  # prepares the statements
        few = self.count("/p/acme-support/shared/")
        detail = f"/p/acme-support/shared/{tasks[0].pk}/"
        self.count(detail)
        few_posts = self.count(detail)
        self.assertLessEqual(few, 2)
        for n in range(27):
            task = staff_task(self, f"More {n}", self.customer_a1, shared=True)
            task.assignees.add(self.admin_a)
            add_staff_post(task=tasks[0], author=self.agent_a, body=f"post {n}",
                           visible_to_customer=n % 2 == 0)
        self.assertEqual(self.count("/p/acme-support/shared/"), few)
        self.assertEqual(self.count(detail), few_posts)
