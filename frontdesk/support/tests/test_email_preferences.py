"""Notifications by e-mail, per person (SPEC T8): each staff member says on their profile which
kinds also come by e-mail; in the app every notification stays, and the others on the request
are told as before."""

from __future__ import annotations

import datetime as dt
import re

from frontdesk.accounts.models import User
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support.models import Notification, Priority, Topic
from frontdesk.support.posts import add_customer_reply
from frontdesk.support.services import create_request, delegate


class EmailPreferenceTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.topic.assignees.set([self.agent_a, self.admin_a])

    def save_preferences(self, user: User, **ticked: bool) -> None:
        self.login_staff(user)
        data = {"form": "emails", **{name: "on" for name, on in ticked.items() if on}}
        response = self.client.post("/account/", data, follow=True)
        self.assertContains(response, "Your e-mail settings are saved.")

    def test_what_a_member_turns_off_comes_only_in_the_app(self) -> None:
        # The agent wants e-mail only when assigned; the admin keeps every e-mail.
        self.save_preferences(self.agent_a, email_assignments=True)
        agent = User.objects.get(pk=self.agent_a.pk)
        self.assertEqual((agent.email_new_requests, agent.email_customer_replies,
                          agent.email_assignments), (False, False, True))
        page = self.client.get("/account/").content.decode()
        self.assertEqual(re.findall(r'<input type="checkbox" name="(email_\w+)"[^>]*checked',
                                    page), ["email_assignments"])

        with self.sending():
            task = create_request(topic=self.topic, requester=self.portal_a1,
                                  title="Printer offline", description="Since Monday.")
        with self.sending():
            add_customer_reply(task=task, portal_user=self.portal_a1, body="Still offline.")
        kinds = {Notification.Kind.NEW_REQUEST, Notification.Kind.CUSTOMER_REPLY}
        for user in (self.agent_a, self.admin_a):
            self.assertEqual(set(Notification.objects.filter(user=user)
                                 .values_list("kind", flat=True)), kinds)
        self.assertEqual(self.smtp.to("agent@acme.test"), [])
        self.assertEqual(len(self.smtp.to(self.admin_a.email)), 2)

        # Assigned by a colleague: that one comes by e-mail too.
        with self.sending():
            delegate(task=task, assignees=[self.admin_a, self.viewer_a, self.agent_a],
                     due_date=dt.date(2026, 12, 4), priority=Priority.HIGH, by=self.admin_a)
        self.smtp.clear()
        self.save_preferences(self.viewer_a)  # nothing ticked: no e-mail at all
        with self.sending():
            delegate(task=task, assignees=[self.admin_a], due_date=None,
                     priority=Priority.HIGH, by=self.admin_a)
            delegate(task=task, assignees=[self.admin_a, self.viewer_a, self.agent_a],
                     due_date=None, priority=Priority.HIGH, by=self.admin_a)
        self.assertEqual(len(self.smtp.to("agent@acme.test")), 1)
        self.assertEqual(self.smtp.to("viewer@acme.test"), [])
        self.assertEqual(Notification.objects.filter(user=self.viewer_a,
                                                     kind=Notification.Kind.ASSIGNED).count(), 2)

    def test_a_member_turns_them_back_on(self) -> None:
        self.save_preferences(self.agent_a)
        self.save_preferences(self.agent_a, email_new_requests=True,
                              email_customer_replies=True, email_assignments=True)
        with self.sending():
            create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                           description="Offline.")
        self.assertEqual(len(self.smtp.to("agent@acme.test")), 1)
