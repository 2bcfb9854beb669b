"""A reply e-mailed by a request's CC follower (SPEC X5) shows its address as its author:
on the staff page and its live updates, on the portal page and its live updates (to those
who see the request only), in the API and in webhooks."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.api.models import Event
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, receiving
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Post, Task
from frontdesk.support.posts import add_customer_reply, add_staff_post

BOSS = "boss@example.test"


class FollowerReplyPagesTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.task = self.peters_request()
        self.colleague = self.colleague_of_peter()
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        add_follower(task=self.task, email=BOSS, by=self.agent_a)
        self.first = add_staff_post(task=self.task, author=self.agent_a, body="Restarted.",
                                    visible_to_customer=True)

    def reply(self, body: str = "Works from my phone.") -> Post:
        return add_customer_reply(task=self.task, author_email=BOSS, body=body)

    def seen(self) -> dict[str, str | int]:
        return {"after": self.first.pk, "count": 1,
                "status": Task.objects.get(pk=self.task.pk).status}

    def assert_signed_by_the_address(self, html: str, post: Post) -> None:
        self.assertIn(f'<li class="post post-customer" id="post-{post.pk}">', html)
        self.assertIn(f"<strong>{BOSS}</strong>", html)

    def test_the_staff_page_and_its_live_update_show_the_address(self) -> None:
        self.login_staff(self.viewer_a)
        post = self.reply()
        html = self.client.get(f"/app/acme-support/requests/{self.task.pk}/").content.decode()
        self.assert_signed_by_the_address(html, post)
        self.assertIn(f"{BOSS} posted", html)  # the activity names the address too
        live = self.client.get(f"/app/acme-support/requests/{self.task.pk}/posts/new/",
                               self.seen())
        self.assertEqual(live.status_code, 200)
        self.assert_signed_by_the_address(live.content.decode(), post)

    def test_the_staff_page_does_not_query_per_e_mailed_reply(self) -> None:
        self.login_staff(self.agent_a)
        path = f"/app/acme-support/requests/{self.task.pk}/"
        self.reply()
        self.client.get(path)  # prepared statements, kept parses
        with CaptureQueriesContext(connection) as few:
            self.client.get(path)
        for number in range(30):
            self.reply(f"reply {number}")
        with CaptureQueriesContext(connection) as many:
            self.assertContains(self.client.get(path), "reply 29")
        self.assertEqual(len(many), len(few))

    def test_the_requester_and_a_colleague_follower_see_the_address(self) -> None:
        post = self.reply()
        for person in (self.portal_a1, self.colleague):
            with self.subTest(person=person.email):
                self.login_portal(person)
                page = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
                self.assertEqual(page.status_code, 200)
                self.assert_signed_by_the_address(page.content.decode(), post)
                live = self.client.get(f"/p/acme-support/requests/{self.task.pk}/posts/new/",
                                       self.seen())
                self.assertEqual(live.status_code, 200)
                self.assert_signed_by_the_address(live.content.decode(), post)

    def test_another_customers_person_sees_neither_the_request_nor_the_address(self) -> None:
        self.reply()
        self.login_portal(self.portal_a2)
        for path in (f"/p/acme-support/requests/{self.task.pk}/",
                     f"/p/acme-support/requests/{self.task.pk}/posts/new/?after=0&count=0"
                     "&status=open"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn(BOSS, response.content.decode())

    def test_the_api_and_the_webhook_name_the_address(self) -> None:
        staff_b_client = self.api(self.token_of(self.staff_b, self.org_b))
        with receiving() as receiver:
            save_webhook_endpoint(organization=self.org_a, url=receiver.url,
                                  events=[Event.POST_CREATED], include_internal_posts=False)
            with self.sending():
                post = self.reply()
        [item] = receiver.received
        author = {"kind": "customer", "id": None, "name": BOSS}
        self.assertEqual(item.json["data"]["post"]["id"], post.pk)
        self.assertEqual(item.json["data"]["post"]["author"], author)
        detail = self.get_json(self.api(self.token_of(self.agent_a)),
                               f"/api/v1/requests/{self.task.pk}")
        self.assertEqual([(entry["id"], entry["author"]) for entry in detail["posts"]][-1],
                         (post.pk, author))
        # Another organization's token: no such request.
        self.get_json(staff_b_client, f"/api/v1/requests/{self.task.pk}", status=404)

    def test_a_reply_has_one_author(self) -> None:
        for authors in ({}, {"portal_user": self.portal_a1, "author_email": BOSS}):
            with self.subTest(authors=authors), self.assertRaises(ValueError):
                add_customer_reply(task=self.task, body="?", **authors)  # type: ignore[arg-type]
        self.assertFalse(Post.objects.filter(task=self.task, author__isnull=True).exists())
