"""Due moments on the request pages (SPEC X8): the staff list with its markers and the
"breaching" view, the staff request page, and the customer's expected resolution in the
portal, with no more queries whatever the rows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.service_levels.tests.helpers import round_the_clock, target
from frontdesk.support.models import Status, Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status, create_request

LIST = "/app/acme-support/requests/"


def listed(response: Any) -> list[int]:
    """The ids of the requests a list page links, in its order."""
    return [int(pk) for pk in re.findall(r'href="/(?:app|p)/acme-support/requests/(\d+)/"',
                                         response.content.decode())]


class RequestPageTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        round_the_clock(self.org_a)
        target(self.org_a, first=60, resolution=480)
        self.topic = Topic.objects.for_org(self.org_a).get()

    def new_request(self, title: str = "Printer", *, due_in: dt.timedelta | None = None
                    ) -> Task:
        task = create_request(topic=self.topic, requester=self.portal_a1, title=title,
                              description="Broken")
        if due_in is not None:  # as if made long ago
            Task.objects.filter(pk=task.pk).update(next_due_at=timezone.now() + due_in)
        return task

    def count_queries(self, path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_breaching_view_lists_the_open_requests_past_a_target_longest_first(
            self) -> None:
        self.login_staff(self.agent_a)
        late = self.new_request("Late", due_in=-dt.timedelta(hours=2))
        later = self.new_request("Later", due_in=-dt.timedelta(hours=5))
        self.new_request("In time")
        closed = self.new_request("Closed and late", due_in=-dt.timedelta(hours=9))
        Task.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
        response = self.client.get(LIST + "?view=breaching")
        self.assertEqual(listed(response), [later.pk, late.pk])
        self.assertContains(response, "Target missed", count=2)

    def test_the_breaching_view_pages_by_due_moment(self) -> None:
        self.login_staff(self.agent_a)
        made = [self.new_request(f"R{n}", due_in=-dt.timedelta(minutes=100 - n))
                for n in range(30)]
        first = self.client.get(LIST + "?view=breaching")
        self.assertEqual(listed(first), [t.pk for t in made[:25]])
        second = self.client.get(LIST + f"?view=breaching&before={made[24].pk}")
        self.assertEqual(listed(second), [t.pk for t in made[25:]])

    def test_the_list_marks_requests_at_risk_and_past_their_target(self) -> None:
        self.login_staff(self.agent_a)
        self.new_request("Soon", due_in=dt.timedelta(minutes=30))
        self.new_request("Past", due_in=-dt.timedelta(minutes=1))
        self.new_request("Fine")
        response = self.client.get(LIST)
        self.assertContains(response, "At risk", count=1)
        self.assertContains(response, "Target missed", count=1)
        self.assertContains(response, "Target due")

    def test_the_breaching_view_costs_what_the_open_view_costs_however_many_rows(
            self) -> None:
        self.login_staff(self.agent_a)
        for n in range(3):
            self.new_request(f"R{n}", due_in=-dt.timedelta(minutes=n + 1))
        few = self.count_queries(LIST + "?view=breaching")
        self.assertEqual(few, self.count_queries(LIST + "?view=open"))
        for n in range(27):
            self.new_request(f"S{n}", due_in=-dt.timedelta(minutes=n + 10))
        self.assertEqual(self.count_queries(LIST + "?view=breaching"), few)

    def test_the_breaching_view_is_read_in_the_order_of_its_index(self) -> None:
        from frontdesk.core.testing import query_plan
        from frontdesk.support.views.lists import _breaching_rows

        for n in range(3):
            self.new_request(f"R{n}", due_in=-dt.timedelta(minutes=n + 1))
        build = getattr(_breaching_rows, "__wrapped__")  # noqa: B009 (untyped attribute)
        for before in (None, Task.objects.order_by("pk").first().pk):  # type: ignore[union-attr]
            plan = query_plan(build(self.org_a.pk, timezone.now(), before, None))
            # (The assignees' names are ordered by a step of their own, per row.)
            self.assertIn("task_org_open_next_due", plan)

    def test_the_staff_request_page_shows_the_due_moments_in_one_statement(self) -> None:
        self.login_staff(self.agent_a)
        task = self.new_request()
        self.assertEqual(self.count_queries(f"{LIST}{task.pk}/"), 1)
        response = self.client.get(f"{LIST}{task.pk}/")
        self.assertContains(response, "First response due")
        self.assertContains(response, "Resolution due")
        add_staff_post(task=task, author=self.agent_a, body="On it", visible_to_customer=True)
        self.assertContains(self.client.get(f"{LIST}{task.pk}/"), "Answered ")
        Task.objects.filter(pk=task.pk).update(next_due_at=timezone.now()
                                               - dt.timedelta(minutes=5))
        self.assertContains(self.client.get(f"{LIST}{task.pk}/"), "Target missed")
        change_status(task=task, status=Status.WAITING, by=self.agent_a)
        self.assertContains(self.client.get(f"{LIST}{task.pk}/"),
                            "Paused while waiting for the customer")

    def test_the_staff_request_page_says_whether_the_targets_were_met(self) -> None:
        self.login_staff(self.agent_a)
        task = self.new_request()
        add_staff_post(task=task, author=self.agent_a, body="On it", visible_to_customer=True)
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        page = self.client.get(f"{LIST}{task.pk}/")
        self.assertContains(page, "Answered ")
        self.assertContains(page, "Resolved ")
        self.assertNotContains(page, "Target missed")
        # Both given after their due moments.
        Task.objects.filter(pk=task.pk).update(
            first_response_due_at=task.created_at - dt.timedelta(hours=2),
            resolution_due_at=task.created_at - dt.timedelta(hours=1))
        self.assertContains(self.client.get(f"{LIST}{task.pk}/"), "Target missed", count=2)

    def test_the_customer_sees_the_expected_resolution_and_nothing_else_of_it(self) -> None:
        task = self.new_request()
        Task.objects.filter(pk=task.pk).update(next_due_at=timezone.now()
                                               - dt.timedelta(minutes=5))
        self.login_portal(self.portal_a1)
        page = self.client.get(f"/p/acme-support/requests/{task.pk}/")
        self.assertContains(page, "Expected resolution by")
        self.assertNotContains(page, "First response")
        self.assertNotContains(page, "Target missed")
        # The list shows it too (a date and time, in the "Due" column).
        assert task.resolution_due_at is not None
        listing = self.client.get("/p/acme-support/requests/")
        self.assertEqual(listed(listing), [task.pk])
        self.assertContains(listing, str(task.resolution_due_at.year))

    def test_a_due_date_staff_set_is_what_the_customer_sees(self) -> None:
        task = self.new_request()
        Task.objects.filter(pk=task.pk).update(due_date=dt.date(2031, 1, 2))
        self.login_portal(self.portal_a1)
        page = self.client.get(f"/p/acme-support/requests/{task.pk}/")
        self.assertNotContains(page, "Expected resolution by")
        self.assertContains(page, "2031")

    def test_a_closed_request_shows_no_expected_resolution(self) -> None:
        task = self.new_request()
        Task.objects.filter(pk=task.pk).update(status=Status.CLOSED)
        self.login_portal(self.portal_a1)
        page = self.client.get(f"/p/acme-support/requests/{task.pk}/")
        self.assertNotContains(page, "Expected resolution by")

    def test_another_customer_does_not_see_the_request(self) -> None:
        task = self.new_request()
        self.login_portal(self.portal_a2)
        self.assertEqual(self.client.get(f"/p/acme-support/requests/{task.pk}/").status_code,
                         404)

    def test_the_portal_pages_cost_no_more_with_many_requests(self) -> None:
        self.login_portal(self.portal_a1)
        task = self.new_request()
        few = self.count_queries("/p/acme-support/requests/")
        detail = self.count_queries(f"/p/acme-support/requests/{task.pk}/")
        for n in range(30):
            self.new_request(f"R{n}")
        self.assertEqual(self.count_queries("/p/acme-support/requests/"), few)
        self.assertEqual(self.count_queries(f"/p/acme-support/requests/{task.pk}/"), detail)
