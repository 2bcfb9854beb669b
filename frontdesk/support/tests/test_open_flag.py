"""Assignment.is_open follows its task, however either is written (support/open_flag.py), and
"assigned to me" reads it: only the member's open requests, all of them, page by page."""

from __future__ import annotations

import html
import re

from django.db import connection

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support import open_flag
from frontdesk.support.models import Assignment, Status, Task, Topic
from frontdesk.support.services import change_status, create_request


class OpenFlagTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()

    def new_task(self, title: str = "Printer") -> Task:
        return create_request(topic=self.topic, requester=self.portal_a1, title=title,
                              description="...")

    def flags(self, task: Task) -> set[int]:
        return set(Assignment.objects.filter(task=task).values_list("is_open", flat=True))

    def test_it_follows_the_status_whichever_way_the_task_is_changed(self) -> None:
        task = self.new_task()  # assigned by its topic, through lib/inserts
        self.assertEqual(self.flags(task), {1})
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        self.assertEqual(self.flags(task), {0})
        Task.objects.filter(pk=task.pk).update(status=Status.WAITING)
        self.assertEqual(self.flags(task), {1})
        task.refresh_from_db()
        task.status = Status.CLOSED
        task.save()
        self.assertEqual(self.flags(task), {0})

    def test_a_new_assignment_takes_its_tasks_flag(self) -> None:
        task = self.new_task()
        task.assignees.clear()
        Task.objects.filter(pk=task.pk).update(status=Status.CLOSED)
        task.assignees.add(self.viewer_a)
        Assignment.objects.bulk_create([Assignment(task=task, user=self.admin_a, is_open=1)])
        self.assertEqual(self.flags(task), {0})
        self.assertEqual(Assignment.objects.filter(task=task).count(), 2)

    def test_other_tasks_keep_their_flags(self) -> None:
        kept, closed = self.new_task("Kept"), self.new_task("Closed")
        change_status(task=closed, status=Status.CLOSED, by=self.agent_a)
        self.assertEqual(self.flags(kept), {1})

    def test_missing_triggers_are_put_back_and_the_flags_corrected(self) -> None:
        # What `migrate` does when SQLite rebuilt a table and its triggers went with it.
        task = self.new_task()
        open_flag.drop(connection)
        Task.objects.filter(pk=task.pk).update(status=Status.CLOSED)
        self.assertEqual(self.flags(task), {1})  # stale without the triggers
        self.assertEqual(sorted(open_flag.ensure(connection)),
                         sorted([open_flag.ON_INSERT, open_flag.ON_STATUS]))
        self.assertEqual(self.flags(task), {0})
        self.assertEqual(open_flag.ensure(connection), [])  # nothing missing any more
        Task.objects.filter(pk=task.pk).update(status=Status.OPEN)
        self.assertEqual(self.flags(task), {1})


class AssignedToMeTests(FrontdeskTestCase):
    def titles_and_older(self, url: str) -> tuple[list[str], str | None]:
        page = self.client.get(url).content.decode()
        older = re.search(r'<a href="([^"]*before=\d+[^"]*)">', page)
        return (re.findall(r">(Mine \d+|Theirs \d+|Closed \d+)<", page),
                "/app/acme-support/requests/" + html.unescape(older.group(1)) if older else None)

    def test_every_open_request_of_mine_newest_first_and_no_other(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        mine = []
        for number in range(40):
            kind = "Mine" if number % 4 else ("Theirs" if number % 8 else "Closed")
            task = create_request(topic=topic, requester=self.portal_a1,
                                  title=f"{kind} {number}", description="...")
            if kind == "Theirs":
                task.assignees.set([self.viewer_a])
            elif kind == "Closed":
                change_status(task=task, status=Status.CLOSED, by=self.agent_a)
            else:
                mine.append(task.title)
        self.login_staff(self.agent_a)
        seen: list[str] = []
        url: str | None = "/app/acme-support/requests/?view=mine"
        while url:
            titles, url = self.titles_and_older(url)
            self.assertLessEqual(len(titles), 25)
            seen += titles
        self.assertEqual(seen, mine[::-1])
        # The member's count on the dashboard agrees.
        self.assertContains(self.client.get("/app/acme-support/"),
                            f"Assigned to me</a>: {len(mine)}</li>")
