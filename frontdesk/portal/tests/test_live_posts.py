"""The portal request page's live updates (SPEC X3): only what the customer may read, only of
their own requests; a poll with nothing new is one query beyond the portal's own."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.tests.helpers import PortalTestCase, upload
from frontdesk.support.models import Post, Task, Topic
from frontdesk.support.posts import (
    add_staff_post,
    make_post_internal,
    make_post_visible_to_customer,
)
from frontdesk.support.services import create_request


class PortalLivePostsTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        self.task = create_request(topic=topic, requester=self.portal_a1, title="VPN is down",
                                   description="Since 9 o'clock.")
        self.first = add_staff_post(task=self.task, author=self.agent_a, body="Looking.",
                                    visible_to_customer=True)
        self.url = f"/p/acme-support/requests/{self.task.pk}/posts/new/"

    def seen(self) -> dict[str, str | int]:
        posts = Post.objects.filter(task=self.task, is_visible_to_customer=True)
        return {"after": posts.order_by("-id")[0].pk, "count": posts.count(),
                "status": Task.objects.get(pk=self.task.pk).status}

    def test_nothing_new_is_204_in_one_query_beyond_the_portals_own(self) -> None:
        self.login_portal(self.portal_a1)
        seen = self.seen()
        add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL only")
        self.client.get(self.url, seen)  # the first call prepares the statements
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, seen)
        self.assertEqual(response.status_code, 204)
        # The portal's settings with the session and its viewer (as on every portal page),
        # then the request's state.
        self.assertEqual(len(queries), 2, [q["sql"] for q in queries])

    def test_a_person_who_came_by_a_link_polls_their_own_request(self) -> None:
        # A link session sees the person's own requests only (P10): the other way to ask.
        self.client.get(f"/p/acme-support/link/{mint_access_link(self.portal_a1)}/")
        seen = self.seen()
        self.assertEqual(self.client.get(self.url, seen).status_code, 204)
        add_staff_post(task=self.task, author=self.agent_a, body="Fixed.",
                       visible_to_customer=True)
        self.assertContains(self.client.get(self.url, seen), "Fixed.")
        theirs = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                                requester=self.portal_a2, title="Globex", description="-")
        other = f"/p/acme-support/requests/{theirs.pk}/posts/new/"
        self.assertEqual(self.client.get(other, seen).status_code, 404)

    def test_the_new_visible_post_comes_and_never_an_internal_note(self) -> None:
        self.login_portal(self.portal_a1)
        seen = self.seen()
        add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL: old plan",
                       files=[upload("internal.txt", b"secret")])
        visible = add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                                 visible_to_customer=True, files=[upload("howto.txt")])
        add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL: bill them")
        response = self.client.get(self.url, seen)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gateway restarted.")
        self.assertContains(response, f'id="post-{visible.pk}"')
        self.assertContains(response, "Alan Agent")
        self.assertContains(response, "howto.txt")
        self.assertNotContains(response, "INTERNAL")
        self.assertNotContains(response, "internal.txt")
        self.assertEqual(response["X-Live-After"], str(visible.pk))
        self.assertEqual(response["X-Live-Count"], "2")
        self.assertEqual(response["X-Live-Changed"], "0")

    def test_a_post_made_visible_or_internal_later_asks_for_a_reload(self) -> None:
        note = add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL draft")
        self.login_portal(self.portal_a1)
        seen = self.seen()
        make_post_internal(post=self.first, by=self.agent_a)
        response = self.client.get(self.url, seen)
        self.assertEqual(response["X-Live-Changed"], "1")
        self.assertNotContains(response, "INTERNAL")
        make_post_visible_to_customer(post=self.first, by=self.agent_a)
        make_post_visible_to_customer(post=note, by=self.agent_a)
        response = self.client.get(self.url, seen)
        # Newer than the page's newest: appended.
        self.assertContains(response, "INTERNAL draft")

    def test_another_customers_user_gets_404(self) -> None:
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.get(self.url, self.seen()).status_code, 404)

    def test_another_organizations_portal_does_not_know_the_viewer(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/other-org/requests/{self.task.pk}/posts/new/",
                                   self.seen())
        self.assertEqual(response.status_code, 302)  # to that portal's log-in
        self.assertNotIn(b"Looking.", response.content)

    def test_a_visitor_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.url, self.seen())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/p/acme-support/login/", response["Location"])

    def test_a_malformed_poll_is_refused(self) -> None:
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(self.url, {"after": "-1"}).status_code, 400)

    def test_the_page_tells_the_script_what_it_shows(self) -> None:
        self.login_portal(self.portal_a1)
        seen = self.seen()
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, f'data-after="{seen["after"]}" data-count="1"')
        self.assertContains(response, "frontdesk/live_posts.js")
        self.assertContains(response, 'aria-live="polite"')
