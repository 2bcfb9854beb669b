from __future__ import annotations

from frontdesk.core.testing import html_of, text_of
from frontdesk.organizations.models import Group
from frontdesk.portal.tests.helpers import PortalTestCase, upload
from frontdesk.support.models import Attachment, Notification, Post, Status, Task, Topic
from frontdesk.support.posts import add_staff_post, make_post_visible_to_customer
from frontdesk.support.services import change_status, create_request


class PortalRequestPageTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        Group.objects.filter(pk=topic.group_id).update(name="Tier-2 Escalations")
        with self.sending():
            self.task = create_request(topic=topic, requester=self.portal_a1,
                                       title="VPN is down", description="Since 9 o'clock.",
                                       files=[upload("trace.txt", b"trace")])
            self.internal = add_staff_post(task=self.task, author=self.agent_a,
                                           body="INTERNAL: customer is on the old plan",
                                           files=[upload("internal.txt", b"secret")])
            self.visible = add_staff_post(task=self.task, author=self.agent_a,
                                          body="We are restarting the gateway.",
                                          visible_to_customer=True,
                                          files=[upload("howto.txt", b"steps")])
        self.smtp.clear()

    def test_the_requester_sees_what_is_meant_for_them(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "VPN is down")
        self.assertContains(response, "Open")  # the stage
        self.assertContains(response, "Since 9 o&#39;clock.")
        self.assertContains(response, "We are restarting the gateway.")
        self.assertContains(response, "Alan Agent")  # the staff member's name
        self.assertContains(response, "trace.txt")
        self.assertContains(response, "howto.txt")

    def test_it_hides_internal_posts_and_task_details_from_the_requester(self) -> None:
        self.login_portal(self.portal_a1)
        for path in ["/p/acme-support/requests/", f"/p/acme-support/requests/{self.task.pk}/"]:
            response = self.client.get(path)
            self.assertNotContains(response, "INTERNAL")
            self.assertNotContains(response, "internal.txt")
            self.assertNotContains(response, self.task.group.name)  # no group
            self.assertNotContains(response, "<img")  # no profile picture
        internal_file = Attachment.objects.get(name="internal.txt")
        self.assertEqual(
            self.client.get(f"/p/acme-support/files/{internal_file.pk}/").status_code, 404)

    def test_a_staff_members_email_never_shows_in_place_of_a_name(self) -> None:
        self.assertTrue(self.task.assignees.filter(pk=self.agent_a.pk).exists())
        self.agent_a.full_name = ""
        self.agent_a.save(update_fields=["full_name"])
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "We are restarting the gateway.")
        self.assertNotContains(response, self.agent_a.email)
        # Of the assignees, the one with a name; the nameless one not at all.
        self.assertContains(response, "<dd>Ada Admin</dd>", html=False)
        self.assertContains(response, "<strong>Acme Support</strong>", html=False)
        listed = self.client.get("/p/acme-support/requests/")
        self.assertContains(listed, "VPN is down")
        self.assertNotContains(listed, self.agent_a.email)

    def test_the_customer_sees_who_handles_a_request_and_by_when(self) -> None:
        """SPEC P11 (seed 003): once staff delegate a request, its customer sees on their
        portal who is handling it and by when; their colleagues' list shows it too."""
        import datetime as dt

        from django.utils.formats import date_format

        from frontdesk.portal.models import PortalUser
        from frontdesk.support.models import Priority
        from frontdesk.support.services import delegate

        due = dt.date(2026, 12, 4)
        delegate(task=self.task, assignees=[self.agent_a, self.viewer_a], due_date=due,
                 priority=Priority.HIGH, by=self.admin_a)
        colleague = PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                              email="colleague@a1.test", first_name="Col")
        for portal_user in (self.portal_a1, colleague):
            self.login_portal(portal_user)
            for path, cell in (("/p/acme-support/requests/", "td"),
                               (f"/p/acme-support/requests/{self.task.pk}/", "dd")):
                with self.subTest(who=portal_user.email, path=path):
                    page = self.client.get(path).content.decode()
                    self.assertIn(f"<{cell}>Alan Agent, Vera Viewer</{cell}>", page)
                    self.assertIn(f"<{cell}>{date_format(due, 'SHORT_DATE_FORMAT')}</{cell}>",
                                  page)
                    self.assertNotIn(self.agent_a.email, page)
                    self.assertNotIn("High", page)  # the priority stays the staff's
        # Another customer's user sees none of it.
        self.login_portal(self.portal_a2)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"), "Alan Agent")

    def test_posts_remembered_for_the_page_follow_every_change(self) -> None:
        """The portal's posts come with the request and are written from memory while they
        are the same (lib/jinja_memo.py): a post made internal is gone at once, a nameless
        staff member is signed with the portal's current name, and nothing of this page
        reaches another customer's user."""
        from frontdesk.portal.models import PortalSettings
        from frontdesk.support.posts import make_post_internal

        url = f"/p/acme-support/requests/{self.task.pk}/"
        self.login_portal(self.portal_a1)
        for _ in range(2):
            self.assertContains(self.client.get(url), "We are restarting the gateway.")
        make_post_internal(post=self.visible, by=self.agent_a)
        self.assertNotContains(self.client.get(url), "We are restarting the gateway.")
        make_post_visible_to_customer(post=self.visible, by=self.agent_a)
        self.agent_a.full_name = ""
        self.agent_a.save(update_fields=["full_name"])
        self.assertContains(self.client.get(url), "<strong>Acme Support</strong>")
        PortalSettings.objects.filter(organization=self.org_a).update(display_name="Acme Help")
        self.assertContains(self.client.get(url), "<strong>Acme Help</strong>")
        self.login_portal(self.portal_a2)  # another customer of the organization
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_each_remembered_post_lists_its_own_files(self) -> None:
        """The posts' HTML, files included, is remembered as one block: each file stays under
        its own post with its own address, and a file gone is gone from the page at once."""
        url = f"/p/acme-support/requests/{self.task.pk}/"
        trace, howto = (Attachment.objects.get(name=name) for name in ("trace.txt", "howto.txt"))
        self.login_portal(self.portal_a1)
        for _ in range(2):  # written, then from memory
            page = self.client.get(url).content.decode()
            trace_link = f'href="/p/acme-support/files/{trace.pk}/"'
            howto_link = f'href="/p/acme-support/files/{howto.pk}/"'
            self.assertLess(page.index(trace_link), page.index("We are restarting the gateway."))
            self.assertLess(page.index("We are restarting the gateway."), page.index(howto_link))
        howto.delete()
        page = self.client.get(url).content.decode()
        self.assertIn("We are restarting the gateway.", page)
        self.assertNotIn("howto.txt", page)
        self.assertNotIn(howto_link, page)

    def test_a_remembered_list_of_requests_is_only_ever_its_own_customers(self) -> None:
        """The list's rows are remembered as one block (lib/jinja_memo.py): another customer's
        user, with requests of the same titles, sees their own rows, with their own links."""
        topic = Topic.objects.for_org(self.org_a).get()
        with self.sending():
            other = create_request(topic=topic, requester=self.portal_a2, title="VPN is down",
                                   description="Globex too.")
        self.login_portal(self.portal_a1)
        for _ in range(2):  # written, then from memory
            page = self.client.get("/p/acme-support/requests/").content.decode()
            self.assertIn(f"/p/acme-support/requests/{self.task.pk}/", page)
            self.assertNotIn(f"/p/acme-support/requests/{other.pk}/", page)
        self.login_portal(self.portal_a2)
        page = self.client.get("/p/acme-support/requests/").content.decode()
        self.assertIn(f"/p/acme-support/requests/{other.pk}/", page)
        self.assertNotIn(f"/p/acme-support/requests/{self.task.pk}/", page)
        # A request changing stage shows at once.
        Task.objects.filter(pk=other.pk).update(status=Status.CLOSED)
        page = self.client.get("/p/acme-support/requests/").content.decode()
        self.assertIn('<span class="pill pill-closed">', page)

    def test_a_visible_file_is_a_download_that_never_renders(self) -> None:
        self.login_portal(self.portal_a1)
        howto = Attachment.objects.get(name="howto.txt")
        response = self.client.get(f"/p/acme-support/files/{howto.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"steps")  # type: ignore[attr-defined]
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_another_customers_user_gets_404_for_the_request_its_posts_and_files(self) -> None:
        self.login_portal(self.portal_a2)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"), "VPN is down")
        self.assertEqual(
            self.client.get(f"/p/acme-support/requests/{self.task.pk}/").status_code, 404)
        response = self.client.post(f"/p/acme-support/requests/{self.task.pk}/reply/",
                                    {"body": "sneaky"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Post.objects.filter(body="sneaky").exists())
        for attachment in Attachment.objects.all():
            self.assertEqual(
                self.client.get(f"/p/acme-support/files/{attachment.pk}/").status_code, 404)

    def test_a_second_requesters_link_cannot_open_the_first_ones_request(self) -> None:
        with self.sending():
            self.client.post("/p/acme-support/link/", {"email": "hank@globex.test"})
        self.open_link_of(self.smtp.to("hank@globex.test")[0])
        self.assertEqual(
            self.client.get(f"/p/acme-support/requests/{self.task.pk}/").status_code, 404)
        trace = Attachment.objects.get(name="trace.txt")
        self.assertEqual(self.client.get(f"/p/acme-support/files/{trace.pk}/").status_code, 404)

    def test_the_requesters_reply_reaches_the_assignees(self) -> None:
        self.login_portal(self.portal_a1)
        with self.sending():
            response = self.client.post(f"/p/acme-support/requests/{self.task.pk}/reply/", {
                "body": "Still down here.", "attachments": [upload("screen.txt", b"img")]})
        self.assertRedirects(response, f"/p/acme-support/requests/{self.task.pk}/")
        post = Post.objects.get(body="Still down here.")
        self.assertTrue(post.is_visible_to_customer)
        self.assertEqual(post.portal_author, self.portal_a1)
        self.assertTrue(Attachment.objects.filter(post=post, name="screen.txt").exists())
        self.assertTrue(Notification.objects.filter(
            user=self.agent_a, kind=Notification.Kind.CUSTOMER_REPLY).exists())
        [mail] = self.smtp.to("agent@acme.test")
        self.assertIn("Still down here.", text_of(mail))

    def test_an_empty_reply_is_refused_next_to_the_field(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.post(f"/p/acme-support/requests/{self.task.pk}/reply/",
                                    {"body": ""})
        self.assertContains(response, "This field is required.", status_code=400)

    def test_a_closed_request_takes_no_more_replies(self) -> None:
        change_status(task=self.task, status=Status.CLOSED, by=self.agent_a)
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "This request is closed")
        response = self.client.post(f"/p/acme-support/requests/{self.task.pk}/reply/",
                                    {"body": "hello?"})
        self.assertContains(response, "closed and takes no more replies", status_code=400)
        self.assertFalse(Post.objects.filter(body="hello?").exists())

    def test_the_requester_closes_the_request_and_it_takes_no_more_replies(self) -> None:
        """SPEC P12 (seed 002): solved or answered, the customer closes the request."""
        from frontdesk.support.models import TaskEvent

        url = f"/p/acme-support/requests/{self.task.pk}/"
        # Another customer's user can neither see it nor close it.
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.post(f"{url}close/").status_code, 404)
        self.login_portal(self.portal_a1)
        self.assertContains(self.client.get(url), "Close this request")
        self.assertEqual(self.client.get(f"{url}close/").status_code, 405)
        response = self.client.post(f"{url}close/", follow=True)
        self.assertContains(response, "Your request is closed.")
        self.assertNotContains(response, "Close this request")
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Status.CLOSED)
        self.assertIsNotNone(self.task.closed_at)
        self.client.post(f"{url}close/")  # again: nothing more
        [event] = TaskEvent.objects.filter(task=self.task, kind=TaskEvent.Kind.STATUS)
        self.assertEqual((event.portal_actor, event.actor, event.data),
                         (self.portal_a1, None, {"from": "open", "to": "closed"}))
        self.client.post(f"{url}reply/", {"body": "One more thing"})
        self.assertFalse(Post.objects.filter(body="One more thing").exists())
        # Staff read who closed it in the activity.
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(f"/app/acme-support/requests/{self.task.pk}/"),
                            f"{self.portal_a1.first_name} changed the status")

    def test_the_customer_rates_a_closed_request_and_staff_read_it(self) -> None:
        """SPEC X2: once closed, the customer's users rate how it was handled (and may change
        their mind); an open request, or another customer's, cannot be rated."""
        url = f"/p/acme-support/requests/{self.task.pk}/"
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get(url), 'id="rating"')
        self.assertEqual(self.client.post(f"{url}rate/", {"rating": "good"}).status_code, 400)
        self.client.post(f"{url}close/")
        self.assertContains(self.client.get(url), 'id="rating"')
        for data in ({"rating": "meh"}, {}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(f"{url}rate/", data).status_code, 400)
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.post(f"{url}rate/", {"rating": "bad"}).status_code, 404)
        self.task.refresh_from_db()
        self.assertEqual(self.task.rating, "")

        self.login_portal(self.portal_a1)
        response = self.client.post(f"{url}rate/", {"rating": "bad", "comment": " Too slow. "},
                                    follow=True)
        self.assertContains(response, "Thank you for your rating.")
        self.client.post(f"{url}rate/", {"rating": "good", "comment": "Fine after all."})
        self.client.post(f"{url}rate/", {"rating": "good", "comment": "Fine after all."})
        # Two ratings recorded: the same one sent again adds nothing.
        self.assertEqual(self.task.events.filter(kind="rated").count(), 2)
        self.task.refresh_from_db()
        self.assertEqual((self.task.rating, self.task.rating_comment),
                         ("good", "Fine after all."))
        self.login_staff(self.agent_a)
        page = self.client.get(f"/app/acme-support/requests/{self.task.pk}/").content.decode()
        self.assertIn("<dd>Good: “Fine after all.”</dd>", page)
        self.assertIn(f"{self.portal_a1.first_name} rated the handling of the request", page)

    def test_a_signed_in_user_opens_a_new_request(self) -> None:
        self.login_portal(self.portal_a1)
        with self.sending():
            response = self.client.post("/p/acme-support/requests/new/", {
                "title": "New laptop", "description": "Please order one."})
        task = Task.objects.get(title="New laptop")
        self.assertRedirects(response, f"/p/acme-support/requests/{task.pk}/")
        self.assertEqual(task.customer, self.customer_a1)
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)

    def test_visible_replies_are_emailed_with_a_fresh_link(self) -> None:
        with self.sending():
            post = add_staff_post(task=self.task, author=self.agent_a, body="Fixed now.")
            make_post_visible_to_customer(post=post, by=self.agent_a)
        [notice] = self.smtp.to("peter@initech.test")
        self.assertIn("Fixed now.", text_of(notice))
        self.assertNotIn("INTERNAL", text_of(notice) + html_of(notice))
        self.open_link_of(notice)
        self.assertContains(self.client.get(f"/p/acme-support/requests/{self.task.pk}/"),
                            "Fixed now.")
