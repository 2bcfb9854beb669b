"""The staff view by topic (SPEC T7): a topic's open requests, newest first, paged both ways;
only the organization's own topics are offered, and another organization's topic shows none of
its requests."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Group
from frontdesk.support.models import Status, Task, Topic
from frontdesk.support.services import create_request
from frontdesk.support.topics import save_topic

LIST = "/app/acme-support/requests/"
BY_TOPIC = LIST + "by-topic/"


def listed(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>", page)]


class TopicViewTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.general = Topic.objects.for_org(self.org_a).get()
        self.billing = save_topic(organization=self.org_a, name="Billing",
                                  group=Group.objects.for_org(self.org_a).earliest("pk"),
                                  assignees=[])

    def request(self, topic: Topic, title: str) -> Task:
        return create_request(topic=topic, requester=self.portal_a1, title=title,
                              description="...")

    def page(self, query: str) -> str:
        response = self.client.get(BY_TOPIC + query)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_topics_open_requests_newest_first(self) -> None:
        general = [self.request(self.general, f"General {number}") for number in range(3)]
        billing = [self.request(self.billing, f"Billing {number}") for number in range(3)]
        Task.objects.filter(pk=billing[1].pk).update(status=Status.CLOSED)
        Task.objects.filter(pk=billing[2].pk).update(status=Status.WAITING)
        self.login_staff(self.agent_a)
        page = self.page(f"?topic={self.billing.pk}")
        self.assertIn('aria-current="page">By topic</a>', page)
        self.assertEqual(listed(page), [billing[2].pk, billing[0].pk])
        self.assertIn(f'<option value="{self.billing.pk}" selected>Billing</option>', page)
        # Without a topic, or with one that is not the organization's: its first topic.
        first = [task.pk for task in reversed(general)]
        self.assertEqual(listed(self.page("")), first)
        self.assertEqual(listed(self.page("?topic=abc")), first)
        # The list's own address for the view leads here, with the topic.
        self.assertRedirects(self.client.get(f"{LIST}?view=topic&topic={self.billing.pk}"),
                             f"{BY_TOPIC}?view=topic&topic={self.billing.pk}")

    def test_another_organizations_topic_shows_none_of_its_requests(self) -> None:
        from frontdesk.portal.services import find_or_create_portal_user

        theirs = Topic.objects.for_org(self.org_b).get()
        Topic.objects.filter(pk=theirs.pk).update(name="Their private topic")
        their_task = create_request(
            topic=theirs, title="Their secret request", description="...",
            requester=find_or_create_portal_user(organization=self.org_b,
                                                 email="someone@b.test", first_name="S",
                                                 last_name="O"))
        ours = self.request(self.general, "Ours")
        self.login_staff(self.agent_a)
        page = self.page(f"?topic={theirs.pk}")
        self.assertNotIn("Their secret request", page)
        self.assertNotIn("Their private topic", page)
        self.assertNotIn(f'value="{theirs.pk}"', page)
        self.assertEqual(listed(page), [ours.pk])
        self.assertNotIn(their_task.pk, listed(page))
        # Their staff see theirs under their own address, and none of ours.
        self.login_staff(self.staff_b)
        their_page = self.client.get(
            f"/app/{self.org_b.slug}/requests/by-topic/").content.decode()
        self.assertEqual(listed(their_page), [their_task.pk])

    def test_pages_go_older_and_back_newer_and_keep_the_topic(self) -> None:
        billing = [self.request(self.billing, f"Billing {number}") for number in range(30)]
        self.request(self.general, "General")
        self.login_staff(self.agent_a)
        newest_first = [task.pk for task in reversed(billing)]
        first = self.page(f"?topic={self.billing.pk}")
        self.assertEqual(listed(first), newest_first[:25])
        older = re.search(r'href="(\?[^"]*before=\d+)"', first)
        assert older is not None
        self.assertIn(f"topic={self.billing.pk}", older.group(1))
        rest = self.page(older.group(1).replace("&amp;", "&"))
        self.assertEqual(listed(rest), newest_first[25:])
        newer = re.search(r'href="(\?[^"]*after=\d+)"', rest)
        assert newer is not None
        self.assertEqual(listed(self.page(newer.group(1).replace("&amp;", "&"))),
                         newest_first[:25])

    def test_the_view_costs_what_the_others_do_whatever_its_rows(self) -> None:
        """Its topics are read with the membership (staff_view's read_along)."""
        self.login_staff(self.agent_a)
        counts = []
        for rows in (0, 30):
            for number in range(rows):
                self.request(self.billing, f"Billing {number}")
            for url in (LIST, f"{BY_TOPIC}?topic={self.billing.pk}"):
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(url).status_code, 200)
                counts.append(len(queries))
        self.assertEqual(counts, [counts[0]] * 4)

    def test_the_topics_read_by_id_or_by_slug_are_the_organizations_own_in_order(self) -> None:
        """What the page reads with the membership (by the address's slug), and by itself when
        it was not (by the organization's id)."""
        from frontdesk.lib.json_rows import rows_of
        from frontdesk.support.views.lists import _topic_choices, _topic_choices_of_org

        expected = [[self.general.pk, self.general.name], [self.billing.pk, "Billing"]]
        by_slug = list(_topic_choices("acme-support"))
        by_id = list(_topic_choices_of_org(self.org_a.pk))
        self.assertEqual(rows_of(by_slug[0][0]), expected)
        self.assertEqual(rows_of(by_id[0][0]), expected)
        self.assertEqual(list(_topic_choices("no-such-org")), [])
