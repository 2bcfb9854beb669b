from django.conf import settings
from django.test import override_settings

from frontdesk.accounts.services import invite_staff
from frontdesk.core.testing import FrontdeskTestCase, text_of
from frontdesk.mail.models import OutboxMessage
from frontdesk.mail.tests.helpers import closed_port, make_retries_due


class RetryTests(FrontdeskTestCase):
    def failed_message(self) -> OutboxMessage:
        """An invitation of org A whose every delivery attempt found the SMTP server down."""
        with override_settings(EMAIL_PORT=closed_port()):
            with self.sending():
                invite_staff(organization=self.org_a, email="nina@new.test", is_admin=False,
                             by=self.admin_a)
            for _ in range(settings.FRONTDESK_EMAIL_MAX_ATTEMPTS - 1):
                with self.sending():
                    make_retries_due()  # the back-off has passed: the worker tries again
        message = OutboxMessage.objects.get(to="nina@new.test")
        self.assertEqual(message.state, OutboxMessage.State.FAILED)
        return message

    def url(self, message: OutboxMessage, org: str = "acme-support") -> str:
        return f"/app/{org}/outbox/{message.pk}/retry/"

    def test_send_again_delivers_a_failed_message_once_the_server_is_back(self) -> None:
        message = self.failed_message()
        self.login_staff(self.admin_a)
        with self.sending():
            response = self.client.post(self.url(message), follow=True)
        self.assertRedirects(response, "/app/acme-support/outbox/")
        self.assertContains(response, "The e-mail to nina@new.test will be sent again")
        message.refresh_from_db()
        self.assertEqual(message.state, OutboxMessage.State.SENT)
        self.assertIsNotNone(message.sent_at)
        [email] = self.smtp.to("nina@new.test")
        self.assertIn("/invitation/", text_of(email))
        self.assertContains(self.client.get("/app/acme-support/outbox/"), "Sent")

    def test_a_message_that_did_not_fail_is_not_sent_again(self) -> None:
        with self.sending():
            invite_staff(organization=self.org_a, email="nina@new.test", is_admin=False,
                         by=self.admin_a)
        message = OutboxMessage.objects.get()
        self.login_staff(self.admin_a)
        with self.sending():
            response = self.client.post(self.url(message), follow=True)
        self.assertContains(response, "Only an e-mail that failed can be sent again.")
        self.assertEqual(len(self.smtp.to("nina@new.test")), 1)

    def test_a_member_who_is_not_admin_gets_403(self) -> None:
        message = self.failed_message()
        self.login_staff(self.agent_a)
        with self.sending():
            self.assertEqual(self.client.post(self.url(message)).status_code, 403)
        message.refresh_from_db()
        self.assertEqual(message.state, OutboxMessage.State.FAILED)

    def test_another_organizations_admin_gets_404(self) -> None:
        message = self.failed_message()
        self.login_staff(self.staff_b)
        with self.sending():
            for org in ("acme-support", "other-org"):
                self.assertEqual(self.client.post(self.url(message, org)).status_code, 404)
        message.refresh_from_db()
        self.assertEqual(message.state, OutboxMessage.State.FAILED)
        self.assertEqual(self.smtp.messages, [])

    def test_send_again_needs_a_post(self) -> None:
        message = self.failed_message()
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get(self.url(message)).status_code, 405)
