from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase, text_of
from frontdesk.mail.models import OutboxMessage
from frontdesk.portal.tests.helpers import upload
from frontdesk.support.models import Post, Status, Task, TaskEvent, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request


class StaffRequestPageTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        with self.sending():
            self.task = create_request(topic=topic, requester=self.portal_a1,
                                       title="Cannot log in", description="Password rejected.")
        self.smtp.clear()
        self.url = f"/app/acme-support/requests/{self.task.pk}/"

    def test_staff_see_the_new_request_in_their_list(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get("/app/acme-support/requests/")
        self.assertContains(response, "Cannot log in")
        self.assertContains(response, "Initech")
        response = self.client.get("/app/acme-support/requests/?view=mine")
        self.assertContains(response, "Cannot log in")

    def test_list_rows_remembered_show_every_change_at_once(self) -> None:
        """The list's rows are written from memory while they are the same
        (lib/jinja_memo.py): a changed title, status, customer or assignee shows at once, in
        the reader's language."""
        from frontdesk.support.services import change_status

        self.login_staff(self.agent_a)
        for _ in range(2):
            self.assertContains(self.client.get("/app/acme-support/requests/"), "Cannot log in")
        Task.objects.filter(pk=self.task.pk).update(title="Cannot log in <again>")
        change_status(task=self.task, status=Status.WAITING, by=self.agent_a)
        self.task.assignees.set([self.admin_a])
        page = self.client.get("/app/acme-support/requests/").content.decode()
        self.assertIn("Cannot log in &lt;again&gt;", page)
        self.assertIn('<span class="pill pill-waiting">Waiting for reply</span>', page)
        self.assertIn("<td>Ada Admin</td>", page)
        self.agent_a.language = "tr"
        self.agent_a.save(update_fields=["language"])
        page = self.client.get("/app/acme-support/requests/").content.decode()
        self.assertNotIn(">Waiting for reply<", page)

    def test_the_page_names_the_assignees_by_name_or_else_e_mail(self) -> None:
        from frontdesk.accounts.models import User

        nameless = User.objects.create_user("nameless@acme.test", "pw-nameless-1234",
                                            full_name="")
        self.task.assignees.set([self.agent_a, nameless, self.admin_a])
        self.login_staff(self.agent_a)
        response = self.client.get(self.url)
        self.assertContains(response, "<dd>nameless@acme.test, Ada Admin, Alan Agent</dd>",
                            html=False)

    def test_the_list_names_each_requests_assignees_with_the_row(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from frontdesk.accounts.models import User

        nameless = User.objects.create_user("nameless@acme.test", "pw-nameless-1234",
                                            full_name="")
        self.task.assignees.set([self.agent_a, nameless, self.admin_a])
        self.login_staff(self.agent_a)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/app/acme-support/requests/")
        self.assertContains(response, "<td>nameless@acme.test, Ada Admin, Alan Agent</td>",
                            html=False)
        self.assertEqual(len(queries), 2)  # the session with the membership; the page

    def test_pages_go_older_and_back_newer_each_row_with_its_assignees(self) -> None:
        import html
        import re

        topic = Topic.objects.for_org(self.org_a).get()
        for number in range(30):  # the default topic assigns two; a third get a third one
            task = create_request(topic=topic, requester=self.portal_a1,
                                  title=f"Request {number}", description="...")
            if number % 3 == 0:
                task.assignees.add(self.viewer_a)
        self.login_staff(self.agent_a)

        def rows_and_links(url: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
            page = self.client.get(url).content.decode()
            rows = re.findall(r">(Request \d+|Cannot log in)</a></td>\s*<td>[^<]*</td>\s*"
                              r"<td>.*?</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", page, re.S)
            links = {label: "/app/acme-support/requests/" + html.unescape(href) for href, label
                     in re.findall(r'<a href="(\?[^"]*)">(← Newer|Older →)</a>', page)}
            return rows, links

        two = "Ada Admin, Alan Agent"
        newest_first = [(f"Request {number}", f"{two}, Vera Viewer" if number % 3 == 0 else two)
                        for number in reversed(range(30))] + [("Cannot log in", two)]
        for view in ("open", "mine"):
            with self.subTest(view=view):
                first, links = rows_and_links(f"/app/acme-support/requests/?view={view}")
                self.assertEqual(first, newest_first[:25])
                self.assertNotIn("← Newer", links)
                older, links = rows_and_links(links["Older →"])
                self.assertEqual(older, newest_first[25:])
                self.assertNotIn("Older →", links)
                back, links = rows_and_links(links["← Newer"])
                self.assertEqual(back, newest_first[:25])

    def test_a_cursor_too_large_for_the_database_shows_the_first_page(self) -> None:
        self.login_staff(self.agent_a)
        for cursor in ("before", "after"):
            response = self.client.get(f"/app/acme-support/requests/?{cursor}=" + "9" * 30)
            self.assertContains(response, "Cannot log in")

    def test_assigned_to_me_shows_only_my_open_requests(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        theirs = create_request(topic=topic, requester=self.portal_a1, title="Not mine",
                                description="...")
        theirs.assignees.set([self.viewer_a])
        closed = create_request(topic=topic, requester=self.portal_a1, title="Mine but closed",
                                description="...")
        Task.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
        self.login_staff(self.agent_a)
        page = self.client.get("/app/acme-support/requests/?view=mine").content.decode()
        self.assertIn("Cannot log in", page)
        self.assertNotIn("Not mine", page)
        self.assertNotIn("Mine but closed", page)
        self.login_staff(self.viewer_a)
        page = self.client.get("/app/acme-support/requests/?view=mine").content.decode()
        self.assertIn("Not mine", page)
        self.assertNotIn("Cannot log in", page)

    def test_a_view_by_status_shows_that_status_only_of_this_organization(self) -> None:
        import re

        topic = Topic.objects.for_org(self.org_a).get()
        tasks = {status: [create_request(topic=topic, requester=self.portal_a1,
                                         title=f"{status.label} {number}", description="...")
                          for number in range(2)] for status in Status}
        for status, made in tasks.items():
            Task.objects.filter(pk__in=[task.pk for task in made]).update(status=status)
        from frontdesk.portal.services import find_or_create_portal_user

        theirs = create_request(
            topic=Topic.objects.for_org(self.org_b).get(), title="Theirs waiting",
            description="...", requester=find_or_create_portal_user(
                organization=self.org_b, email="someone@b.test", first_name="S", last_name="O"))
        Task.objects.filter(pk=theirs.pk).update(status=Status.WAITING)
        self.login_staff(self.agent_a)
        for status in (Status.IN_PROGRESS, Status.WAITING, Status.CLOSED):
            with self.subTest(status=status):
                page = self.client.get(f"/app/acme-support/requests/?view={status.value}")
                self.assertContains(page, f'aria-current="page">{status.label}</a>')
                ids = [int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>",
                                                    page.content.decode())]
                self.assertEqual(ids, [task.pk for task in reversed(tasks[status])])
        # "Open" is every open status, newest first.
        listed = self.client.get("/app/acme-support/requests/?view=open").content.decode()
        self.assertEqual(re.findall(r">((?:Open|In progress|Waiting for reply|Closed) \d)</a>",
                                    listed),
                         ["Waiting for reply 1", "Waiting for reply 0", "In progress 1",
                          "In progress 0", "Open 1", "Open 0"])

    def test_a_staff_post_is_internal_by_default(self) -> None:
        self.login_staff(self.agent_a)
        with self.sending():
            response = self.client.post(self.url + "posts/", {"body": "Checking the logs."})
        post = Post.objects.get(body="Checking the logs.")
        self.assertRedirects(response, f"{self.url}#post-{post.pk}")
        self.assertFalse(post.is_visible_to_customer)
        self.assertEqual(self.smtp.to("peter@initech.test"), [])
        self.assertContains(self.client.get(self.url), "Internal")

    def test_posts_and_activity_read_with_the_request_are_the_rows_themselves(self) -> None:
        """The page reads its posts and its newest events with the request, as JSON built by
        the database (lib/json_rows.py): what comes out must be what the rows hold."""
        from django.utils import timezone

        from frontdesk.lib.json_rows import datetime_of, rows_of
        from frontdesk.support.queries import POST_ROW, post_lines
        from frontdesk.support.views.requests import (
            EVENTS_SHOWN,
            _recent_events,
            _task_page_of_org,
        )

        bodies = ['Quote " and \\ backslash', "<script>alert(1)</script>", "Line\nbreak\ttab",
                  "Ünïcödé çğış 😀", "متن فارسی", "", "x" * 5000]
        for index, body in enumerate(bodies):
            add_staff_post(task=self.task, author=self.agent_a, body=body,
                           visible_to_customer=index % 2 == 0)
        reply = Post.objects.create(organization_id=self.org_a.pk, task=self.task,
                                    portal_author=self.portal_a1, body="From the customer",
                                    is_visible_to_customer=True)
        # A post whose time has no microseconds (its text on SQLite has none either).
        Post.objects.filter(pk=reply.pk).update(
            created_at=timezone.now().replace(microsecond=0))
        for index in range(15):  # more events than the page shows
            add_staff_post(task=self.task, author=self.agent_a, body=f"More {index}")
        task = _task_page_of_org(self.org_a.pk, self.task.pk)[0]
        # The rows as JSON carries them are the rows as the database holds them.
        stored = list(Post.objects.filter(task=self.task).order_by("id")
                      .values_list(*POST_ROW))
        carried = [(pk, body, bool(visible), datetime_of(created_at), *rest)
                   for pk, body, visible, created_at, *rest in rows_of(task.post_rows)]
        self.assertEqual(carried, stored)
        expected = post_lines(rows_of(task.post_rows))
        self.assertEqual(expected[-16].who, self.portal_a1.full_name)
        self.assertEqual(expected[0].who, self.agent_a.full_name)
        self.assertEqual([line.body for line in expected],
                         [*bodies, "From the customer", *(f"More {n}" for n in range(15))])
        # The newest events only, newest first, each at its own time.
        events = _recent_events(task)
        stored = list(TaskEvent.objects.filter(task=self.task).order_by("-id")[:EVENTS_SHOWN])
        self.assertEqual([when for _, when in events], [event.created_at for event in stored])
        self.assertEqual(len(events), EVENTS_SHOWN)
        self.assertEqual(events[0][0], f"{self.agent_a.full_name} posted")
        # A request without posts has an empty list.
        topic = Topic.objects.for_org(self.org_a).get()
        bare = create_request(topic=topic, requester=self.portal_a1, title="Bare",
                              description="Nothing yet.")
        task = _task_page_of_org(self.org_a.pk, bare.pk)[0]
        self.assertEqual(post_lines(rows_of(task.post_rows)), ())
        # And the page writes them escaped, in order.
        self.login_staff(self.agent_a)
        page = self.client.get(self.url).content.decode()
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertLess(page.index("&lt;script&gt;alert(1)&lt;/script&gt;"),
                        page.index("Ünïcödé çğış 😀"))
        self.assertLess(page.index("متن فارسی"), page.index("From the customer"))

    def test_make_visible_shows_one_post_and_emails_the_requester(self) -> None:
        self.login_staff(self.agent_a)
        post = add_staff_post(task=self.task, author=self.agent_a, body="Try resetting it.")
        with self.sending():
            self.client.post(f"{self.url}posts/{post.pk}/visibility/", {"visible": "1"})
        post.refresh_from_db()
        self.assertTrue(post.is_visible_to_customer)
        [notice] = self.smtp.to("peter@initech.test")
        self.assertIn("Try resetting it.", text_of(notice))
        self.assertTrue(TaskEvent.objects.filter(task=self.task,
                                                 kind=TaskEvent.Kind.POST_SHOWN).exists())

    def test_visibility_can_be_undone_and_an_undelivered_notice_is_not_sent(self) -> None:
        self.login_staff(self.agent_a)
        post = add_staff_post(task=self.task, author=self.agent_a, body="Oops, wrong task.")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{self.url}posts/{post.pk}/visibility/", {"visible": "1"})
            self.client.post(f"{self.url}posts/{post.pk}/visibility/", {"visible": "0"})
        with self.sending():
            pass  # the worker runs now, after the undo
        post.refresh_from_db()
        self.assertFalse(post.is_visible_to_customer)
        self.assertEqual(self.smtp.to("peter@initech.test"), [])
        self.assertEqual(OutboxMessage.objects.get(kind="portal.reply_notice").state,
                         OutboxMessage.State.CANCELLED)

    def test_a_post_ticked_visible_reaches_the_customer_with_its_files(self) -> None:
        self.login_staff(self.agent_a)
        with self.sending():
            self.client.post(self.url + "posts/", {
                "body": "Here is the guide.", "visible_to_customer": "on",
                "attachments": [upload("guide.txt", b"guide")]})
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        self.assertContains(response, "Here is the guide.")
        self.assertContains(response, "guide.txt")

    def test_a_view_only_user_reads_but_cannot_post(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertContains(self.client.get(self.url), "Cannot log in")
        self.assertNotContains(self.client.get(self.url), 'name="body"')
        response = self.client.post(self.url + "posts/", {"body": "Hi"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Contribute", status_code=403)
        self.assertFalse(Post.objects.exists())
        response = self.client.post(self.url + "status/", {"status": "closed"})
        self.assertEqual(response.status_code, 403)
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Status.OPEN)

    def test_posts_remembered_for_one_reader_are_not_shown_to_another(self) -> None:
        """The posts' HTML is remembered per process (lib/jinja_memo.py): a contributor's
        buttons must not reach a view-only member, nor a post's old state its new one."""
        post = add_staff_post(task=self.task, author=self.agent_a, body="Internal finding.")
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(self.url), "Make visible to customer")
        self.assertContains(self.client.get(self.url), "Make visible to customer")  # from memory
        self.login_staff(self.viewer_a)
        page = self.client.get(self.url)
        self.assertContains(page, "Internal finding.")
        self.assertNotContains(page, "Make visible to customer")
        self.assertNotContains(page, "formaction=")
        self.login_staff(self.agent_a)
        self.client.post(self.url + f"posts/{post.pk}/visibility/", {"visible": "1"})
        page = self.client.get(self.url)
        self.assertContains(page, "Make internal")
        self.assertNotContains(page, "Make visible to customer")
        # The author's new name shows at once.
        self.agent_a.full_name = "Agnes Renamed"
        self.agent_a.save(update_fields=["full_name"])
        self.assertContains(self.client.get(self.url), "<strong>Agnes Renamed</strong>")
        # And in the reader's language and time zone.
        self.agent_a.language = "tr"
        self.agent_a.save(update_fields=["language"])
        self.assertContains(self.client.get(self.url), "Dahili yap")

    def test_status_changes_are_recorded(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(self.url + "status/", {"status": "closed"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Status.CLOSED)
        self.assertIsNotNone(self.task.closed_at)
        self.assertTrue(TaskEvent.objects.filter(task=self.task,
                                                 kind=TaskEvent.Kind.STATUS).exists())
        # The activity list says who did what, newest first, the requester by name.
        page = self.client.get(self.url).content.decode()
        changed = page.index(f"{self.agent_a.full_name} changed the status")
        created = page.index(f"{self.portal_a1.full_name} created the task")
        self.assertLess(changed, created)
        # In each member's own language, one after the other.
        self.agent_a.language = "tr"
        self.agent_a.save(update_fields=["language"])
        page = self.client.get(self.url).content.decode()
        self.assertIn(f"{self.portal_a1.full_name} görevi oluşturdu", page)
        self.agent_a.language = "pl"
        self.agent_a.save(update_fields=["language"])
        page = self.client.get(self.url).content.decode()
        self.assertIn(f"{self.portal_a1.full_name} tworzy zadanie", page)

    def test_an_unknown_status_changes_nothing(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(self.url + "status/", {"status": "exploded"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Status.OPEN)

    def test_another_organizations_staff_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get("/app/acme-support/requests/").status_code, 404)
        self.assertEqual(self.client.get(f"/app/other-org/requests/{self.task.pk}/").status_code,
                         404)
        response = self.client.post(f"/app/other-org/requests/{self.task.pk}/posts/",
                                    {"body": "x"})
        self.assertEqual(response.status_code, 404)

    def test_the_request_read_with_the_membership_is_only_the_addressed_organizations(
            self) -> None:
        # The page reads the request in the membership's statement, by the address's slug.
        topic_b = Topic.objects.for_org(self.org_b).get()
        secret = Task.objects.create(organization=self.org_b, title="Secret of Other Org",
                                     group_id=topic_b.group_id)
        self.login_staff(self.agent_a)
        response = self.client.get(f"/app/acme-support/requests/{secret.pk}/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"Secret of Other Org", response.content)
        self.assertEqual(self.client.get(f"/app/other-org/requests/{secret.pk}/").status_code,
                         404)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertContains(response, "Cannot log in")
        self.assertEqual(len(queries), 1)
        # The password changed since this session began: the membership and the request are
        # read, and neither is used; the session signs nobody in.
        self.agent_a.set_password("a-new-password-for-alan")
        self.agent_a.save(update_fields=["password"])
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(b"Cannot log in", response.content)

    def test_the_assignee_has_a_notification_that_leads_to_the_request(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get("/app/acme-support/requests/notifications/")
        self.assertContains(response, "Cannot log in")
        notification = self.agent_a.notifications.get()
        response = self.client.post(
            f"/app/acme-support/requests/notifications/{notification.pk}/")
        self.assertRedirects(response, self.url)
        notification.refresh_from_db()
        self.assertIsNotNone(notification.read_at)

    def test_the_activity_speaks_the_readers_language(self) -> None:
        """The sentences are translated when the page is read, not when the code loads."""
        self.agent_a.language = "pl"
        self.agent_a.save(update_fields=["language"])
        self.login_staff(self.agent_a)
        page = self.client.get(self.url).content.decode()
        self.assertIn("Peter tworzy zadanie", page)
        self.assertNotIn("created the task", page)
