"""The notifications page: the member's own, of this organization, newest first, a page at a
time, at the same cost however many there are."""

from __future__ import annotations

import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase, query_plan, run_worker
from frontdesk.customers.models import Customer
from frontdesk.organizations.services import add_staff_member
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Notification, Task, Topic
from frontdesk.support.services import create_request
from frontdesk.support.views.notifications import _notification_rows

PAGE = "/app/acme-support/requests/notifications/"


class NotificationsPageTests(FrontdeskTestCase):
    def notify(self, count: int, *, user: object = None, title: str = "Request") -> list[Task]:
        topic = Topic.objects.for_org(self.org_a).get()
        tasks = [create_request(topic=topic, requester=self.portal_a1, title=f"{title} {n}",
                                description="...") for n in range(count)]
        run_worker()
        if user is not None:  # the worker notified the topic's assignee (agent_a)
            Notification.objects.filter(task__in=tasks).update(user=user)
        return tasks

    def titles(self, html: str) -> list[str]:
        return [unescape(title) for title in
                re.findall(r'class="link">#\d+ ([^<]+)</button>', html)]

    def test_newest_first_a_page_at_a_time_and_each_opens_its_request(self) -> None:
        tasks = self.notify(30)
        self.login_staff(self.agent_a)
        first = self.client.get(PAGE)
        self.assertEqual(self.titles(first.content.decode()),
                         [f"Request {n}" for n in range(29, 4, -1)])
        older = re.search(r'href="(\?before=\d+)"', first.content.decode())
        assert older is not None
        second = self.client.get(PAGE + older.group(1).replace("&amp;", "&"))
        self.assertEqual(self.titles(second.content.decode()),
                         [f"Request {n}" for n in range(4, -1, -1)])
        # Each row's button posts the page's one form to its own notification.
        notification = Notification.objects.get(task=tasks[7], user=self.agent_a)
        self.assertContains(first, f'formaction="{PAGE}{notification.pk}/"')
        self.assertContains(first, 'name="csrfmiddlewaretoken"', 3)  # log out, all read, rows
        response = self.client.post(f"{PAGE}{notification.pk}/")
        self.assertRedirects(response, f"/app/acme-support/requests/{tasks[7].pk}/")
        notification.refresh_from_db()
        self.assertIsNotNone(notification.read_at)

    def test_rows_remembered_show_a_read_notification_and_a_new_title_at_once(self) -> None:
        """Rows are written from memory while they are the same (lib/jinja_memo.py)."""
        [task] = self.notify(1)
        self.login_staff(self.agent_a)
        for _ in range(2):
            self.assertContains(self.client.get(PAGE), 'style="font-weight: 600"', 1)
        notification = Notification.objects.get(task=task, user=self.agent_a)
        self.client.post(f"{PAGE}{notification.pk}/")
        Task.objects.filter(pk=task.pk).update(title="Renamed <now>")
        page = self.client.get(PAGE)
        self.assertNotContains(page, 'style="font-weight: 600"')
        self.assertEqual(self.titles(page.content.decode()), ["Renamed <now>"])

    def test_only_the_members_own_of_this_organization(self) -> None:
        self.notify(2, title="Agent's")
        self.notify(2, user=self.viewer_a, title="Viewer's")
        # The agent is staff of the other organization too, with a notification there.
        add_staff_member(organization=self.org_b, user=self.agent_a)
        other_topic = Topic.objects.for_org(self.org_b).get()
        customer_b = Customer.objects.create(organization=self.org_b, short_name="B Corp")
        requester_b = PortalUser.objects.create(organization=self.org_b, email="b@b.test",
                                                customer=customer_b)
        other = create_request(topic=other_topic, requester=requester_b,
                               title="Other org's request", description="...")
        Notification.objects.create(organization=self.org_b, user=self.agent_a, task=other,
                                    kind=Notification.Kind.NEW_REQUEST, actor_name="B")
        self.login_staff(self.agent_a)
        html = unescape(self.client.get(PAGE).content.decode())
        self.assertEqual(self.titles(html), ["Agent's 1", "Agent's 0"])
        self.assertNotIn("Viewer's", html)
        self.assertNotIn("Other org's request", html)
        html_b = self.client.get("/app/other-org/requests/notifications/").content.decode()
        self.assertEqual(self.titles(html_b), ["Other org's request"])
        # Someone else's notification cannot be opened (nor marked read) by its number.
        theirs = Notification.objects.filter(user=self.viewer_a).first()
        assert theirs is not None
        self.assertEqual(self.client.post(f"{PAGE}{theirs.pk}/").status_code, 404)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)

    def test_the_same_queries_for_one_notification_or_forty(self) -> None:
        self.login_staff(self.agent_a)
        self.notify(1)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(PAGE).status_code, 200)
            return len(queries)

        few = count()
        self.notify(39)
        # Session with the membership (and the user and the badge); the page of notifications.
        self.assertEqual((few, count()), (2, 2))

    def test_the_page_is_read_in_the_order_of_its_index(self) -> None:
        self.notify(3)
        build = getattr(_notification_rows, "__wrapped__")  # noqa: B009 (untyped attribute)
        plan = query_plan(build(self.org_a.pk, self.agent_a.pk, None, None))
        self.assertIn("notification_list", plan)
        self.assertNotIn("Sort", plan)
        self.assertNotIn("TEMP B-TREE", plan)
