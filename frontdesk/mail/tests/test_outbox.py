import re

from django.test import override_settings

from frontdesk.accounts.services import invite_staff
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.mail.models import OutboxMessage
from frontdesk.mail.services import queue_email
from frontdesk.mail.tests.helpers import closed_port, make_retries_due

URL = "/app/acme-support/outbox/"


class OutboxTests(FrontdeskTestCase):
    def invite(self, email: str) -> OutboxMessage:
        """An e-mail of org A, queued the way every e-mail is (it goes out on commit)."""
        invite_staff(organization=self.org_a, email=email, is_admin=False, by=self.admin_a)
        return OutboxMessage.objects.get(to=email)

    def test_a_delivered_message_shows_as_sent_with_its_subject(self) -> None:
        with self.sending():
            self.invite("nina@new.test")
        self.assertEqual(len(self.smtp.to("nina@new.test")), 1)
        self.login_staff(self.admin_a)
        response = self.client.get(URL)
        self.assertContains(response, "nina@new.test")
        self.assertContains(response, "You are invited to join Acme Support on Frontdesk")
        self.assertContains(response, "Sent")
        self.assertNotContains(response, "Send again")

    def test_a_message_not_sent_yet_shows_its_kind(self) -> None:
        self.invite("nina@new.test")  # no commit in this test: the worker never sees it
        self.login_staff(self.admin_a)
        response = self.client.get(URL)
        self.assertContains(response, "accounts.staff_invitation")
        self.assertContains(response, "Queued")

    def test_an_unreachable_server_leaves_the_message_waiting_to_retry_then_failed(
            self) -> None:
        self.login_staff(self.admin_a)
        with override_settings(EMAIL_PORT=closed_port()):
            with self.sending():
                message = self.invite("nina@new.test")
            message.refresh_from_db()
            self.assertEqual((message.state, message.attempts),
                             (OutboxMessage.State.RETRYING, 1))
            self.assertIn("ConnectionRefusedError", message.last_error)
            response = self.client.get(URL)
            self.assertContains(response, "Waiting to retry")
            self.assertContains(response, "ConnectionRefusedError")
            self.assertNotContains(response, "Send again")

            # The back-off passes twice: the worker makes the 2nd and the last (3rd) attempt.
            for attempts in (2, 3):
                with self.sending():
                    self.assertEqual(make_retries_due(), 1)
                message.refresh_from_db()
                self.assertEqual(message.attempts, attempts)
        self.assertEqual(message.state, OutboxMessage.State.FAILED)
        self.assertEqual(make_retries_due(), 0)  # nothing more is scheduled
        response = self.client.get(URL)
        self.assertContains(response, "Failed")
        self.assertContains(response, "Send again")
        self.assertEqual(self.smtp.messages, [])

    def test_it_shows_25_messages_a_page_newest_first(self) -> None:
        for n in range(30):
            queue_email(kind="accounts.password_reset", to=f"person{n:02}@acme.test",
                        language="en", organization=self.org_a, context={"user_id": 0})
        self.login_staff(self.admin_a)
        response = self.client.get(URL)
        content = response.content.decode()
        self.assertIn("person29@acme.test", content)
        self.assertIn("person05@acme.test", content)
        self.assertNotIn("person04@acme.test", content)
        self.assertLess(content.index("person29@"), content.index("person28@"))

        self.assertNotIn(">← Newer<", content)
        older = re.search(r'href="(\?before=\d+)">Older →<', content)
        assert older is not None
        response = self.client.get(URL + older.group(1))
        self.assertContains(response, ">← Newer<")
        self.assertNotContains(response, ">Older →<")
        self.assertContains(response, "person04@acme.test")
        self.assertContains(response, "person00@acme.test")
        self.assertNotContains(response, "person05@acme.test")

    def test_the_number_of_queries_does_not_grow_with_messages(self) -> None:
        for n in range(30):
            queue_email(kind="accounts.password_reset", to=f"person{n:02}@acme.test",
                        language="en", organization=self.org_a, context={"user_id": 0})
        self.login_staff(self.admin_a)
        # session with the membership (the user, unread notifications), one page of messages
        with self.assertNumQueries(2):
            self.client.get(URL)

    def test_a_member_who_is_not_admin_gets_403(self) -> None:
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_another_organizations_admin_never_sees_these_messages(self) -> None:
        with self.sending():
            self.invite("nina@new.test")
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(URL).status_code, 404)
        response = self.client.get("/app/other-org/outbox/")
        self.assertContains(response, "No e-mail has been sent yet.")
        self.assertNotContains(response, "nina@new.test")
