"""Portal customer managers (SPEC C5, T3): staff set who looks after a customer; a topic set to
"the customer's managers" sends that customer's requests (and the news of its replies and files)
to them alone, and any other customer's to the topic's assignees. Only the organization's own
active staff can be managers."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.customers.services import set_customer_managers
from frontdesk.portal.tests.helpers import upload
from frontdesk.support.models import Notification, Topic
from frontdesk.support.posts import add_customer_reply
from frontdesk.support.services import create_request
from frontdesk.support.topics import save_topic


class CustomerManagerTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.topic.assignees.set([self.agent_a])
        self.url = f"/app/acme-support/customers/{self.customer_a1.pk}/managers/"

    def assignees(self, title: str) -> list[str]:
        with self.sending():
            task = create_request(topic=self.topic, requester=self.portal_a1, title=title,
                                  description="...")
        return sorted(task.assignees.values_list("email", flat=True))

    def test_staff_name_the_managers_and_the_topic_sends_them_the_requests(self) -> None:
        self.login_staff(self.agent_a)
        detail = f"/app/acme-support/customers/{self.customer_a1.pk}/"
        self.assertContains(self.client.get(detail), self.url)
        response = self.client.post(self.url, {"managers": [self.viewer_a.pk]})
        self.assertRedirects(response, detail)
        self.assertContains(self.client.get(detail), "Vera Viewer")

        # Until the topic says so, the topic's assignees get the requests.
        self.assertEqual(self.assignees("Before"), ["agent@acme.test"])
        self.login_staff(self.admin_a)
        response = self.client.post(f"/app/acme-support/settings/topics/{self.topic.pk}/", {
            "name": self.topic.name, "group": self.topic.group_id,
            "assignees": [self.agent_a.pk], "to_customer_managers": "on"})
        self.assertEqual(response.status_code, 302)
        self.topic.refresh_from_db()
        self.assertTrue(self.topic.to_customer_managers)
        self.smtp.clear()
        self.assertEqual(self.assignees("After"), ["viewer@acme.test"])
        self.assertEqual(len(self.smtp.to("viewer@acme.test")), 1)
        self.assertEqual(self.smtp.to("agent@acme.test"), [])

        # The customer's reply with a file is news to the manager, not to the topic's assignee.
        task = Customer.objects.get(pk=self.customer_a1.pk).tasks.get(title="After")
        with self.sending():
            add_customer_reply(task=task, portal_user=self.portal_a1, body="Here is the log.",
                               files=[upload("log.txt")])
        replies = Notification.objects.filter(kind=Notification.Kind.CUSTOMER_REPLY)
        self.assertEqual([notification.user for notification in replies], [self.viewer_a])

    def test_a_customer_without_managers_gets_the_topics_assignees(self) -> None:
        save_topic(organization=self.org_a, topic=self.topic, name=self.topic.name,
                   group=self.topic.group, assignees=[self.agent_a], to_customer_managers=True)
        self.assertEqual(self.assignees("No managers"), ["agent@acme.test"])
        # A manager who left the staff counts as none.
        set_customer_managers(customer=self.customer_a1, managers=[self.viewer_a])
        self.membership(self.viewer_a).delete()
        self.assertEqual(self.assignees("Manager gone"), ["agent@acme.test"])

    def test_only_the_organizations_active_staff_can_be_managers(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url, {"managers": [self.staff_b.pk]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="errors"')
        self.assertNotContains(self.client.get(self.url), self.staff_b.email)
        self.viewer_a.is_active = False
        self.viewer_a.save(update_fields=["is_active"])
        for stranger in (self.staff_b, self.viewer_a):
            with (self.subTest(stranger=stranger.email),
                  self.assertRaisesMessage(ValidationError, "Managers must be staff")):
                set_customer_managers(customer=self.customer_a1,
                                      managers=[self.agent_a, stranger])
        self.assertFalse(self.customer_a1.managers.exists())

    def test_viewers_and_other_organizations_cannot_change_them(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(self.url, {"managers": [self.viewer_a.pk]})
                         .status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        other = f"/app/other-org/customers/{self.customer_a1.pk}/managers/"
        self.assertEqual(self.client.post(other, {"managers": [self.staff_b.pk]}).status_code,
                         404)
        self.assertFalse(self.customer_a1.managers.exists())

    def test_those_newly_named_are_told_by_email_while_they_still_are_managers(self) -> None:
        self.login_staff(self.agent_a)
        with self.sending():
            self.client.post(self.url, {"managers": [self.agent_a.pk, self.viewer_a.pk]})
        # The one who named them is not told; the one named is, with the customer's page.
        self.assertEqual(self.smtp.to("agent@acme.test"), [])
        [mail] = self.smtp.to("viewer@acme.test")
        self.assertIn("You look after Initech", mail["Subject"])
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        self.assertIn(f"/app/acme-support/customers/{self.customer_a1.pk}/", body.get_content())
        # Saved again: nobody new, no e-mail.
        with self.sending():
            self.client.post(self.url, {"managers": [self.agent_a.pk, self.viewer_a.pk]})
        self.assertEqual(len(self.smtp.messages), 1)
        # Named, then taken off before the e-mail goes: not sent.
        with self.captureOnCommitCallbacks(execute=True):
            set_customer_managers(customer=self.customer_a1, managers=[self.admin_a])
        self.customer_a1.managers.clear()
        with self.sending():
            pass
        self.assertEqual(self.smtp.to(self.admin_a.email), [])
