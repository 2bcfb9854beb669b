"""What the staff request pages cost: a constant number of queries whatever the rows and
posts, the notification badge's count, one CSRF token per page."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase, run_worker
from frontdesk.support.models import Status, Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request


class StaffRequestQueryCountTests(FrontdeskTestCase):
    """The list and the detail page cost the same number of queries for 3 rows or 30."""

    def make_requests(self, count: int, posts: int) -> Task:
        topic = Topic.objects.for_org(self.org_a).get()
        task = None
        for number in range(count):
            task = create_request(topic=topic, requester=self.portal_a1,
                                  title=f"Request {number}", description="...")
            for index in range(posts):
                add_staff_post(task=task, author=self.agent_a, body=f"post {index}",
                               visible_to_customer=index % 2 == 0)
        assert task is not None
        return task

    def count_queries(self, path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_list_does_not_query_per_row(self) -> None:
        self.login_staff(self.agent_a)
        self.make_requests(3, 0)
        few = self.count_queries("/app/acme-support/requests/")
        self.make_requests(27, 0)
        self.assertEqual(self.count_queries("/app/acme-support/requests/"), few)

    def test_every_view_of_the_list_costs_the_same(self) -> None:
        self.login_staff(self.agent_a)
        self.make_requests(30, 0)
        # Rows in every view: one request closed, one unassigned, one in each other status.
        Task.objects.filter(title="Request 0").update(status=Status.CLOSED)
        Task.objects.get(title="Request 1").assignees.clear()
        Task.objects.filter(title="Request 2").update(status=Status.IN_PROGRESS)
        Task.objects.filter(title="Request 3").update(status=Status.WAITING)
        counts = {view: self.count_queries(f"/app/acme-support/requests/?view={view}")
                  for view in ("open", "mine", "unassigned", "in_progress", "waiting", "closed",
                               "all")}
        self.assertEqual(len(set(counts.values())), 1, counts)

    def test_the_detail_does_not_query_per_post(self) -> None:
        self.login_staff(self.agent_a)
        small = self.make_requests(1, 2)
        few = self.count_queries(f"/app/acme-support/requests/{small.pk}/")
        # One statement: the session with the membership, and along with it the request with
        # its assignees' names, its posts and its latest events (no files: none read).
        self.assertEqual(few, 1)
        big = self.make_requests(1, 30)
        self.assertEqual(self.count_queries(f"/app/acme-support/requests/{big.pk}/"), few)

    def test_a_request_without_files_reads_no_files(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login_staff(self.agent_a)
        self.login_portal(self.portal_a1)  # the same browser: staff and the customer
        plain = self.make_requests(1, 2)
        with_files = self.make_requests(1, 0)
        add_staff_post(task=with_files, author=self.agent_a, body="see the log",
                       visible_to_customer=True,
                       files=[SimpleUploadedFile("log.txt", b"lines", "text/plain")])
        add_staff_post(task=with_files, author=self.agent_a, body="visible text only",
                       visible_to_customer=True)
        for page in ("/app/acme-support/requests/{}/", "/p/acme-support/requests/{}/"):
            without = self.count_queries(page.format(plain.pk))
            self.assertEqual(self.count_queries(page.format(with_files.pk)), without + 1, page)
            self.assertContains(self.client.get(page.format(with_files.pk)), "log.txt")

    def test_the_portal_pages_do_not_query_per_row(self) -> None:
        self.login_portal(self.portal_a1)
        small = self.make_requests(2, 2)
        list_few = self.count_queries("/p/acme-support/requests/")
        detail_few = self.count_queries(f"/p/acme-support/requests/{small.pk}/")
        big = self.make_requests(28, 30)
        self.assertEqual(self.count_queries("/p/acme-support/requests/"), list_few)
        self.assertEqual(self.count_queries(f"/p/acme-support/requests/{big.pk}/"), detail_few)


class NotificationBadgeTests(FrontdeskTestCase):
    def test_the_badge_counts_unread_notifications_up_to_99_plus(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="T", description="")
        self.login_staff(self.agent_a)
        self.assertNotContains(self.client.get("/app/acme-support/"), '<span class="badge"')
        run_worker()  # the worker notifies
        self.assertContains(self.client.get("/app/acme-support/"), '<span class="badge"', 1)
        self.assertContains(self.client.get("/app/acme-support/"), ">1</span>")
        from frontdesk.support.models import Notification

        Notification.objects.bulk_create(
            Notification(organization=self.org_a, user=self.agent_a, task=task,
                         kind=Notification.Kind.CUSTOMER_REPLY) for _ in range(120))
        home = self.client.get("/app/acme-support/")
        self.assertContains(home, ">99+</span>")
        # The badge stops counting at 100; the dashboard says how many there are.
        self.assertContains(home, "Unread notifications</a>: 121")


class CsrfTokenOncePerPageTests(FrontdeskTestCase):
    def test_every_form_of_a_page_carries_the_same_masked_token(self) -> None:
        import re

        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="T", description="")
        for index in range(3):
            add_staff_post(task=task, author=self.agent_a, body=f"post {index}")
        self.login_staff(self.agent_a)
        page = self.client.get(f"/app/acme-support/requests/{task.pk}/").content.decode()
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        self.assertGreater(len(tokens), 4)
        self.assertEqual(len(set(tokens)), 1)
        # And the token works: a post made with it is accepted.
        self.client = self.client_class(enforce_csrf_checks=True)
        self.login_staff(self.agent_a)
        page = self.client.get(f"/app/acme-support/requests/{task.pk}/").content.decode()
        token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]
        response = self.client.post(f"/app/acme-support/requests/{task.pk}/posts/",
                                    {"body": "with token", "csrfmiddlewaretoken": token})
        self.assertEqual(response.status_code, 302)
