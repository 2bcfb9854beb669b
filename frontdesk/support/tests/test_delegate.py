"""Assignees, due date and priority of a request (SPEC T4, T6), and the overdue view (T7):
only the organization's staff can be assigned, bad input changes nothing, those newly assigned
are told in the app and by e-mail, and another organization's requests stay out of reach."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support.models import Notification, Priority, Status, Task, TaskEvent, Topic
from frontdesk.support.services import create_request

LIST = "/app/acme-support/requests/"


class DelegateTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        with self.sending():  # the new request told to its topic's assignees
            self.task = create_request(topic=self.topic, requester=self.portal_a1,
                                       title="Printer offline", description="Since Monday.")
        self.smtp.clear()
        self.url = f"{LIST}{self.task.pk}/delegate/"

    def assignee_ids(self) -> list[int]:
        return sorted(self.task.assignees.values_list("pk", flat=True))

    def test_staff_assign_set_a_due_date_and_a_priority_and_the_new_assignee_is_told(self) -> None:
        before = self.assignee_ids()
        self.assertIn(self.agent_a.pk, before)
        self.login_staff(self.agent_a)
        page = self.client.get(self.url)
        self.assertContains(page, "Vera Viewer")
        self.assertNotContains(page, "staff@other.test")  # another organization's staff
        with self.sending():
            response = self.client.post(self.url, {
                "assignees": [self.agent_a.pk, self.viewer_a.pk], "due_date": "2026-12-04",
                "priority": Priority.HIGH})
        self.assertRedirects(response, f"{LIST}{self.task.pk}/")
        self.task.refresh_from_db()
        self.assertEqual(self.assignee_ids(), sorted([self.agent_a.pk, self.viewer_a.pk]))
        self.assertEqual((self.task.due_date, self.task.priority),
                         (dt.date(2026, 12, 4), Priority.HIGH))
        events = TaskEvent.objects.filter(task=self.task, actor=self.agent_a)
        self.assertEqual(sorted(events.values_list("kind", flat=True)),
                         ["assignees", "due_date", "priority"])
        # The one newly assigned is told; not the one who assigned, not those already on it.
        notification = Notification.objects.get(kind=Notification.Kind.ASSIGNED)
        self.assertEqual((notification.user, notification.task, notification.actor_name),
                         (self.viewer_a, self.task, "Alan Agent"))
        [mail] = self.smtp.to("viewer@acme.test")
        self.assertIn("Printer offline", mail["Subject"])
        body = mail.get_body()
        assert body is not None
        self.assertIn("Alan Agent assigned you a request of", body.get_content())
        self.assertEqual(self.smtp.to("agent@acme.test"), [])
        detail = self.client.get(f"{LIST}{self.task.pk}/").content.decode()
        self.assertIn("Alan Agent changed the assignees", detail)
        self.assertIn("Alan Agent changed the due date", detail)

        # Saved again unchanged: nothing new happens.
        with self.sending():
            self.client.post(self.url, {"assignees": [self.agent_a.pk, self.viewer_a.pk],
                                        "due_date": "2026-12-04", "priority": Priority.HIGH})
        self.assertEqual(events.count(), 3)
        self.assertEqual(Notification.objects.filter(kind=Notification.Kind.ASSIGNED).count(), 1)

        # Everyone taken off, no due date.
        self.client.post(self.url, {"due_date": "", "priority": Priority.NORMAL})
        self.task.refresh_from_db()
        self.assertEqual((self.assignee_ids(), self.task.due_date), ([], None))

    def test_another_organizations_staff_or_a_bad_date_change_nothing(self) -> None:
        before = self.assignee_ids()
        self.login_staff(self.agent_a)
        for data in ({"assignees": [self.staff_b.pk], "priority": Priority.LOW},
                     {"assignees": [self.viewer_a.pk], "due_date": "31.02.2026",
                      "priority": Priority.LOW},
                     {"assignees": [self.viewer_a.pk], "priority": "whenever"}):
            with self.subTest(data=data), self.sending():
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errors"')
        self.task.refresh_from_db()
        self.assertEqual(self.assignee_ids(), before)
        self.assertEqual((self.task.due_date, self.task.priority), (None, Priority.NORMAL))
        self.assertFalse(TaskEvent.objects.exclude(kind=TaskEvent.Kind.CREATED).exists())
        self.assertFalse(Notification.objects.filter(kind=Notification.Kind.ASSIGNED).exists())

    def test_the_service_itself_refuses_anyone_not_on_the_staff(self) -> None:
        """Whoever calls it (an import, a later API): another organization's staff, or an
        inactive member, and nothing changes."""
        from django.core.exceptions import ValidationError

        from frontdesk.support.services import delegate

        before = self.assignee_ids()
        self.viewer_a.is_active = False
        self.viewer_a.save(update_fields=["is_active"])
        for stranger in (self.staff_b, self.viewer_a):
            with (self.subTest(stranger=stranger.email), self.sending(),
                  self.assertRaisesMessage(ValidationError, "Assignees must be staff")):
                delegate(task=self.task, assignees=[self.agent_a, stranger],
                         due_date=dt.date(2026, 12, 1), priority=Priority.HIGH,
                         by=self.agent_a)
        self.task.refresh_from_db()
        self.assertEqual(self.assignee_ids(), before)
        self.assertEqual((self.task.due_date, self.task.priority), (None, Priority.NORMAL))
        self.assertFalse(TaskEvent.objects.exclude(kind=TaskEvent.Kind.CREATED).exists())
        self.assertFalse(Notification.objects.filter(kind=Notification.Kind.ASSIGNED).exists())

    def test_viewers_and_other_organizations_cannot_delegate(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"priority": Priority.LOW}).status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        other = f"/app/other-org/requests/{self.task.pk}/delegate/"
        self.assertEqual(self.client.post(other, {"priority": Priority.LOW}).status_code, 404)
        self.task.refresh_from_db()
        self.assertEqual(self.task.priority, Priority.NORMAL)


class OverdueViewTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()

    def request(self, title: str, due_in_days: int | None, status: Status = Status.OPEN,
                topic: Topic | None = None) -> Task:
        task = create_request(topic=topic or self.topic, requester=self.portal_a1, title=title,
                              description="...")
        due = None if due_in_days is None else timezone.localdate() + dt.timedelta(due_in_days)
        Task.objects.filter(pk=task.pk).update(due_date=due, status=status)
        return task

    def ids(self, url: str) -> tuple[list[int], dict[str, str]]:
        page = self.client.get(url).content.decode()
        links = {label: LIST + href.replace("&amp;", "&") for href, label
                 in re.findall(r'<a href="(\?[^"]*)">(← Newer|Older →)</a>', page)}
        return [int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>", page)], links

    def test_the_open_requests_due_before_today_longest_overdue_first(self) -> None:
        late = self.request("Late", -3)
        later = self.request("Later", -1)
        also_late = self.request("Also late", -3)
        self.request("Due today", 0)
        self.request("Due later", 5)
        self.request("No due date", None)
        self.request("Closed and late", -10, Status.CLOSED)
        waiting = self.request("Waiting and late", -2, Status.WAITING)
        from frontdesk.portal.services import find_or_create_portal_user

        theirs = create_request(
            topic=Topic.objects.for_org(self.org_b).get(), title="Theirs", description="...",
            requester=find_or_create_portal_user(organization=self.org_b, email="s@b.test",
                                                 first_name="S", last_name="O"))
        Task.objects.filter(pk=theirs.pk).update(due_date=dt.date(2020, 1, 1))
        self.login_staff(self.agent_a)
        ids, _links = self.ids(LIST + "?view=overdue")
        self.assertEqual(ids, [late.pk, also_late.pk, waiting.pk, later.pk])

    def test_the_lists_mark_a_due_date_that_has_passed(self) -> None:
        late = self.request("Late", -1)
        today = self.request("Due today", 0)
        closed = self.request("Closed and late", -10, Status.CLOSED)
        self.login_staff(self.agent_a)
        for view in ("all", "all"):  # the second page from memory (lib/jinja_memo.py)
            page = self.client.get(LIST + f"?view={view}").content.decode()
            rows = {int(pk): row for pk, row in
                    re.findall(r"<tr>\s*<td>(\d+)</td>(.*?)</tr>", page, re.DOTALL)}
            self.assertIn('<span class="pill pill-breached">Overdue</span>', rows[late.pk])
            self.assertNotIn("Overdue", rows[today.pk])
            self.assertNotIn("Overdue", rows[closed.pk])

    def test_pages_of_overdue_requests_go_both_ways(self) -> None:
        tasks = [self.request(f"Late {number}", -1 - number % 4) for number in range(30)]
        expected = [task.pk for task in sorted(tasks, key=lambda task: (
            Task.objects.get(pk=task.pk).due_date, task.pk))]
        self.login_staff(self.agent_a)
        first, links = self.ids(LIST + "?view=overdue")
        self.assertEqual(first, expected[:25])
        self.assertNotIn("← Newer", links)
        rest, links = self.ids(links["Older →"])
        self.assertEqual(rest, expected[25:])
        self.assertNotIn("Older →", links)
        back, links = self.ids(links["← Newer"])
        self.assertEqual(back, expected[:25])

    def test_the_overdue_view_costs_what_the_other_views_do(self) -> None:
        for number in range(30):
            self.request(f"Late {number}", -1 - number % 3)
        self.login_staff(self.agent_a)
        counts = []
        for url in (LIST, LIST + "?view=overdue", LIST + "?view=overdue&before=999999"):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts, [counts[0]] * 3)
