"""Staff closing a request tells its requester and followers by e-mail (SPEC X2), through the
real SMTP sink: the requester's e-mail carries the rating links, a follower's none; never an
internal note; nothing when the requester closed it themselves."""

from __future__ import annotations

import re

from frontdesk.core.testing import FrontdeskTestCase, html_of, text_of
from frontdesk.organizations.models import Group
from frontdesk.portal.models import PortalFor, PortalSettings, PortalUser
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Status
from frontdesk.support.new_task import create_task
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status

RATING_LINK = re.compile(r"/p/acme-support/requests/\d+/rating/[^/\s\"]+/\?rating=(\w+)")


class ClosedNoticeTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        with self.sending():
            self.task = self.peters_request()
        self.colleague = self.colleague_of_peter(language="nl")
        add_follower(task=self.task, portal_user=self.colleague, by_portal_user=self.portal_a1)
        add_follower(task=self.task, email="boss@example.test", by_portal_user=self.portal_a1)
        self.smtp.clear()

    def close(self) -> None:
        with self.sending():
            change_status(task=self.task, status=Status.CLOSED, by=self.agent_a)

    def test_the_requester_is_told_with_a_link_for_each_rating(self) -> None:
        self.login_staff(self.agent_a)
        with self.sending():
            response = self.client.post(
                f"/app/acme-support/requests/{self.task.pk}/status/", {"status": "closed"})
        self.assertEqual(response.status_code, 302)
        [message] = self.smtp.to("peter@initech.test")
        self.assertEqual(str(message["Subject"]),
                         f"[#{self.task.pk}] Your request was closed: VPN is down")
        self.assertIn(f"<request-{self.task.pk}@", str(message["References"]))
        self.assertEqual(RATING_LINK.findall(text_of(message)), ["good", "bad"])
        self.assertEqual(RATING_LINK.findall(html_of(message)), ["good", "bad"])
        self.assertIn("/p/acme-support/link/", text_of(message))  # the usual portal link

    def test_followers_are_told_without_rating_links(self) -> None:
        self.close()
        [joan] = self.smtp.to("joan@initech.test")
        self.assertIn("Beste Joan", text_of(joan))  # in her own language
        self.assertIn("/p/acme-support/link/", text_of(joan))  # her own link
        [cc] = self.smtp.to("boss@example.test")
        self.assertIn(f"[#{self.task.pk}]", str(cc["Subject"]))
        for message in (joan, cc):
            self.assertEqual(RATING_LINK.findall(text_of(message) + html_of(message)), [])
        self.assertNotIn("/p/", text_of(cc) + html_of(cc))  # a CC address gets no link

    def test_an_internal_note_never_reaches_anyone(self) -> None:
        add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL: refund him")
        self.smtp.clear()
        self.close()
        self.assertEqual(len(self.smtp.messages), 3)
        for message in self.smtp.messages:
            self.assertNotIn("INTERNAL", text_of(message) + html_of(message))

    def test_the_requester_closing_it_themselves_is_told_nothing(self) -> None:
        with self.sending():
            change_status(task=self.task, status=Status.CLOSED, by_customer=self.portal_a1)
        self.assertEqual(self.smtp.messages, [])

    def test_an_inactive_requester_gets_nothing_and_followers_still_do(self) -> None:
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(is_active=False)
        self.close()
        self.assertEqual(self.smtp.to("peter@initech.test"), [])
        self.assertEqual(len(self.smtp.to("boss@example.test")), 1)

    def test_a_request_reopened_before_delivery_sends_nothing(self) -> None:
        with self.sending():
            change_status(task=self.task, status=Status.CLOSED, by=self.agent_a)
            change_status(task=self.task, status=Status.OPEN, by=self.agent_a)
        self.assertEqual(self.smtp.messages, [])

    def test_closing_twice_tells_once(self) -> None:
        self.close()
        self.close()
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)

    def test_a_customer_kept_out_of_the_portal_gets_no_link_to_rate(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(
            portal_for=PortalFor.SELECTED)
        self.close()
        [message] = self.smtp.to("peter@initech.test")
        self.assertIn("closed your request", text_of(message))
        self.assertNotIn("/p/", text_of(message) + html_of(message))

    def test_a_staff_task_tells_no_one(self) -> None:
        task = create_task(organization=self.org_a, by=self.agent_a, title="Inventory",
                           group=Group.objects.for_org(self.org_a).get(),
                           customer=self.customer_a1, shared=True)
        self.smtp.clear()
        with self.sending():
            change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        self.assertEqual(self.smtp.messages, [])
