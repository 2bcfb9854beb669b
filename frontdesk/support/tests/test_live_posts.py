"""The staff request page's live updates (SPEC X3): a poll with nothing new is one statement
and answers 204; a new post comes as the page's own list item."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support.models import Post, Status, Task, Topic
from frontdesk.support.posts import add_customer_reply, add_staff_post
from frontdesk.support.services import change_status, create_request


class StaffLivePostsTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        self.task = create_request(topic=topic, requester=self.portal_a1, title="VPN is down",
                                   description="Since 9 o'clock.")
        for number in range(3):
            add_staff_post(task=self.task, author=self.agent_a, body=f"note {number}")
        self.url = f"/app/acme-support/requests/{self.task.pk}/posts/new/"

    def seen(self, task: Task | None = None) -> dict[str, str | int]:
        posts = Post.objects.filter(task=task or self.task)
        last = posts.order_by("-id").first()
        return {"after": last.pk if last else 0, "count": posts.count(),
                "status": (task or self.task).status}

    def test_nothing_new_is_204_in_one_statement(self) -> None:
        self.login_staff(self.agent_a)
        seen = self.seen()
        self.client.get(self.url, seen)  # the first call prepares the statement
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, seen)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response["Cache-Control"], "no-store")
        # The session, the membership and the request's state, read together.
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])

    def test_a_new_post_comes_as_the_pages_list_item(self) -> None:
        self.login_staff(self.agent_a)
        seen = self.seen()
        reply = add_customer_reply(task=self.task, portal_user=self.portal_a1,
                                   body="Still down here.", files=[])
        note = add_staff_post(task=self.task, author=self.agent_a, body="checking the gateway")
        response = self.client.get(self.url, seen)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'id="post-{reply.pk}"', html)
        self.assertIn("Still down here.", html)
        self.assertIn(f'id="post-{note.pk}"', html)
        self.assertIn("Make visible to customer", html)  # the agent may contribute
        self.assertNotIn("note 0", html)  # only what is newer than the page's
        self.assertEqual(response["X-Live-After"], str(note.pk))
        self.assertEqual(response["X-Live-Count"], "5")
        self.task.refresh_from_db()
        self.assertEqual(response["X-Live-Status"], self.task.status)

    def test_a_status_change_asks_for_a_reload(self) -> None:
        self.login_staff(self.agent_a)
        seen = self.seen()
        change_status(task=self.task, status=Status.WAITING, by=self.agent_a)
        response = self.client.get(self.url, seen)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Live-Changed"], "1")
        self.assertEqual(response["X-Live-Status"], "waiting")
        self.assertEqual(response.content, b"")

    def test_a_view_only_member_gets_the_posts_without_buttons(self) -> None:
        self.login_staff(self.viewer_a)
        seen = self.seen()
        add_staff_post(task=self.task, author=self.agent_a, body="new note")
        response = self.client.get(self.url, seen)
        self.assertContains(response, "new note")
        self.assertNotContains(response, "Make visible to customer")

    def test_another_organizations_staff_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url, self.seen()).status_code, 404)
        self.assertEqual(self.client.get(
            f"/app/other-org/requests/{self.task.pk}/posts/new/", self.seen()).status_code, 404)

    def test_a_malformed_poll_is_refused_with_a_message(self) -> None:
        self.login_staff(self.agent_a)
        for query in ({}, {"after": "x", "count": "1", "status": "open"},
                      {"after": "9" * 30, "count": "1", "status": "open"}):
            response = self.client.get(self.url, query)
            self.assertEqual(response.status_code, 400)
            self.assertIn(b"newest post", response.content)

    def test_the_page_tells_the_script_what_it_shows(self) -> None:
        self.login_staff(self.agent_a)
        seen = self.seen()
        response = self.client.get(f"/app/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, f'data-after="{seen["after"]}" data-count="3"')
        self.assertContains(response, "frontdesk/live_posts.js")
