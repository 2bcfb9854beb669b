"""Followers get the customer-facing e-mails of a request (SPEC X5), through the real SMTP
sink: a colleague with a link of their own, a CC address without any; never an internal
note."""

from __future__ import annotations

import re

from frontdesk.core.testing import FrontdeskTestCase, html_of, text_of
from frontdesk.portal.models import PortalFor, PortalSettings, PortalUser, SeenByDefault
from frontdesk.support.followers import add_follower, remove_follower
from frontdesk.support.posts import (
    add_staff_post,
    make_post_internal,
    make_post_visible_to_customer,
)
from frontdesk.support.services import describe

LINK = re.compile(r"http://127\.0\.0\.1:8000(/p/[\w-]+/link/[\w-]+/)")


class FollowerEmailTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        with self.sending():
            self.task = self.peters_request()
        self.colleague = self.colleague_of_peter(language="nl")
        self.joan = add_follower(task=self.task, portal_user=self.colleague,
                                 by_portal_user=self.portal_a1)
        self.cc = add_follower(task=self.task, email="boss@example.test",
                               by_portal_user=self.portal_a1)
        self.smtp.clear()

    def everything_sent(self) -> str:
        return "\n".join(text_of(message) + html_of(message) for message in self.smtp.messages)

    def test_a_visible_reply_reaches_every_follower_and_an_internal_note_none(self) -> None:
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL: old plan")
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
        self.assertNotIn("INTERNAL", self.everything_sent())
        for address in ("peter@initech.test", "joan@initech.test", "boss@example.test"):
            with self.subTest(address=address):
                [message] = self.smtp.to(address)
                self.assertIn("Gateway restarted.", text_of(message))
                self.assertIn(f"[#{self.task.pk}]", str(message["Subject"]))
                self.assertIn(f"<request-{self.task.pk}@", str(message["References"]))

    def test_a_colleague_gets_their_own_link_and_a_cc_address_none(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(
            seen_by_default=SeenByDefault.OWN)
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
        [cc] = self.smtp.to("boss@example.test")
        self.assertNotIn("/link/", text_of(cc) + html_of(cc))
        self.assertIn("added as a follower", text_of(cc))
        [joan] = self.smtp.to("joan@initech.test")
        self.assertIn("Beste Joan", text_of(joan))  # in her own language
        match = LINK.search(text_of(joan))
        assert match, text_of(joan)
        self.client.get(match.group(1))
        page = self.client.get(f"/p/acme-support/requests/{self.task.pk}/")
        # Signed in as herself, never as the requester.
        viewer = page.wsgi_request.viewer  # type: ignore[attr-defined]
        self.assertEqual(viewer.portal_user.pk, self.colleague.pk)
        self.assertContains(page, "Gateway restarted.")

    def test_a_colleague_of_a_customer_kept_out_gets_the_answer_without_a_link(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(
            portal_for=PortalFor.SELECTED)
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
        [joan] = self.smtp.to("joan@initech.test")
        self.assertIn("Gateway restarted.", text_of(joan))
        self.assertNotIn("/link/", text_of(joan) + html_of(joan))

    def test_a_post_made_internal_before_delivery_reaches_no_follower(self) -> None:
        post = add_staff_post(task=self.task, author=self.agent_a, body="Oops, internal")
        with self.sending():
            make_post_visible_to_customer(post=post, by=self.agent_a)
            make_post_internal(post=post, by=self.agent_a)
        self.assertEqual(self.smtp.messages, [])

    def test_a_removed_follower_gets_nothing_more(self) -> None:
        remove_follower(follower=self.joan, by=self.agent_a)
        remove_follower(follower=self.cc, by=self.agent_a)
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
        self.assertEqual(self.smtp.to("joan@initech.test"), [])
        self.assertEqual(self.smtp.to("boss@example.test"), [])
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)

    def test_a_follower_removed_before_delivery_is_not_sent_to(self) -> None:
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
            remove_follower(follower=self.cc, by=self.agent_a)
        self.assertEqual(self.smtp.to("boss@example.test"), [])
        self.assertEqual(len(self.smtp.to("joan@initech.test")), 1)

    def test_the_solution_reaches_the_followers(self) -> None:
        with self.sending():
            describe(task=self.task, severity=None, category=None,
                     solution="Use the new gateway.", by=self.agent_a)
        for address in ("peter@initech.test", "joan@initech.test", "boss@example.test"):
            with self.subTest(address=address):
                [message] = self.smtp.to(address)
                self.assertIn("Use the new gateway.", text_of(message))
        [cc] = self.smtp.to("boss@example.test")
        self.assertNotIn("/link/", text_of(cc) + html_of(cc))

    def test_an_inactive_colleague_gets_nothing(self) -> None:
        PortalUser.objects.filter(pk=self.colleague.pk).update(is_active=False)
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
        self.assertEqual(self.smtp.to("joan@initech.test"), [])
