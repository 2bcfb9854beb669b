"""The two ways in (SPEC E2): the mail server's pipe command and the webhook. Each stores the
message once and leaves the rest to the worker."""

from __future__ import annotations

import base64
import io
import sys
from typing import Any
from unittest import mock

from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.test import override_settings

from frontdesk.core.testing import run_worker
from frontdesk.mail.inbound import regenerate_inbound_token
from frontdesk.mail.models import InboundMessage, InboundSettings
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.support.models import Source, Task

URL = "/mail/inbound/acme-support/"


def piped(raw: bytes) -> io.TextIOWrapper:
    """Standard input as a mail server's pipe gives it: bytes behind a text stream."""
    return io.TextIOWrapper(io.BytesIO(raw))


class PipeCommandTests(InboundTestCase):
    def test_a_message_on_standard_input_is_stored_then_made_a_request_by_the_worker(
            self) -> None:
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True), \
                mock.patch.object(sys, "stdin", piped(eml())):
            call_command("receive_email", organization="acme-support", stdout=out)
        message = InboundMessage.objects.get()
        self.assertIn(f"Message {message.pk} received.", out.getvalue())
        self.assertEqual((message.status, message.from_address, message.subject),
                         (InboundMessage.Status.RECEIVED, "rita@newco.test",
                          "Printer on fire"))
        with message.raw.open("rb") as handle:
            self.assertIn(b"It smokes since this morning.", handle.read())
        with self.sending():
            run_worker()
        message.refresh_from_db()
        self.assertEqual(message.status, InboundMessage.Status.NEW_REQUEST)
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_the_same_message_piped_twice_is_processed_once(self) -> None:
        raw = eml()
        for expected in ("received", "already received"):
            out = io.StringIO()
            with self.sending():
                call_command("receive_email", organization="acme-support",
                             stdin=io.BytesIO(raw), stdout=out)
            self.assertIn(expected, out.getvalue())
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(Task.objects.filter(source=Source.EMAIL).count(), 1)
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_a_message_without_message_id_received_twice_is_processed_once(self) -> None:
        raw = b"From: rita@newco.test\r\nSubject: no id\r\n\r\nHello\r\n"
        for _ in range(2):
            with self.sending():
                call_command("receive_email", organization="acme-support",
                             stdin=io.BytesIO(raw), stdout=io.StringIO())
        self.assertEqual(InboundMessage.objects.count(), 1)
        self.assertEqual(Task.objects.filter(source=Source.EMAIL).count(), 1)

    def test_bad_input_is_refused_with_a_clear_message(self) -> None:
        with self.assertRaisesMessage(CommandError, "No organization with the address name"):
            call_command("receive_email", organization="nope", stdin=io.BytesIO(eml()))
        with self.assertRaisesMessage(CommandError, "The message is empty."):
            call_command("receive_email", organization="acme-support",
                         stdin=io.BytesIO(b"  \n"))
        with override_settings(FRONTDESK_INBOUND_MAX_MB=1), \
                self.assertRaisesMessage(CommandError, "larger than 1 MB"):
            call_command("receive_email", organization="acme-support",
                         stdin=io.BytesIO(eml(body="x" * 1_200_000)))
        self.assertEqual(InboundMessage.objects.count(), 0)

    def test_run_as_the_mail_server_runs_it_it_exits_non_zero_on_bad_input(self) -> None:
        stderr = io.StringIO()
        # `run_from_argv` closes the database connections when it ends: in a test, that
        # would close the test's own (and its transaction) on PostgreSQL.
        with mock.patch.object(sys, "stdin", piped(eml())), \
                mock.patch.object(sys, "stderr", stderr), \
                mock.patch("django.core.management.base.connections.close_all"), \
                self.assertRaises(SystemExit) as exit_status:
            ManagementUtility(["manage.py", "receive_email", "--organization",
                               "nope"]).execute()
        self.assertEqual(exit_status.exception.code, 1)
        self.assertIn("No organization with the address name 'nope'", stderr.getvalue())


class WebhookTests(InboundTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.token = regenerate_inbound_token(organization=self.org_a)

    def post(self, raw: bytes, token: str | None = None, url: str = URL, **extra: Any
             ) -> Any:
        headers: dict[str, Any] = ({} if token is None
                                   else {"HTTP_AUTHORIZATION": f"Bearer {token}"})
        with self.sending():
            return self.client.post(url, raw, content_type="message/rfc822",
                                    **headers, **extra)

    def test_a_posted_message_with_the_secret_becomes_a_request(self) -> None:
        response = self.post(eml(), self.token)
        self.assertEqual(response.status_code, 202)
        message = InboundMessage.objects.get()
        self.assertEqual(response.json(), {"id": message.pk, "duplicate": False})
        self.assertEqual(message.status, InboundMessage.Status.NEW_REQUEST)
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_the_secret_may_come_as_the_password_of_basic_authentication(self) -> None:
        credentials = base64.b64encode(f"mailservice:{self.token}".encode()).decode()
        response = self.post(eml(), HTTP_AUTHORIZATION=f"Basic {credentials}")
        self.assertEqual(response.status_code, 202)

    def test_a_form_post_with_the_raw_message_in_a_field_is_taken(self) -> None:
        with self.sending():
            response = self.client.post(URL, {"email": eml().decode()},
                                        HTTP_AUTHORIZATION=f"Bearer {self.token}")
        self.assertEqual(response.status_code, 202)
        self.assertEqual(InboundMessage.objects.get().from_address, "rita@newco.test")

    def test_a_duplicate_is_acknowledged_and_processed_once(self) -> None:
        raw = eml()
        self.assertEqual(self.post(raw, self.token).status_code, 202)
        second = self.post(raw, self.token)
        self.assertEqual(second.status_code, 200)
        self.assertTrue(second.json()["duplicate"])
        self.assertEqual(Task.objects.filter(source=Source.EMAIL).count(), 1)
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_wrong_or_missing_secret_and_unknown_organization_get_the_same_404(self) -> None:
        InboundSettings.objects.create(organization=self.org_b, enabled=True)  # no secret
        answers = [self.post(eml(), None), self.post(eml(), "wrong"),
                   self.post(eml(), self.token, url="/mail/inbound/no-such-org/"),
                   self.post(eml(), self.token, url="/mail/inbound/other-org/"),
                   self.post(eml(), "", url="/mail/inbound/other-org/"),
                   self.post(eml(), HTTP_AUTHORIZATION="Basic !!!")]
        for response in answers:
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.content, answers[0].content)
        self.assertEqual(InboundMessage.objects.count(), 0)

    def test_a_new_secret_ends_the_old_one(self) -> None:
        old = self.token
        new = regenerate_inbound_token(organization=self.org_a)
        self.assertEqual(self.post(eml(), old).status_code, 404)
        self.assertEqual(self.post(eml(), new).status_code, 202)

    def test_too_large_and_empty_messages_are_refused_without_a_500(self) -> None:
        with override_settings(FRONTDESK_INBOUND_MAX_MB=1):
            response = self.post(eml(body="x" * 1_200_000), self.token)
        self.assertEqual(response.status_code, 413)
        response = self.post(b"", self.token)
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"The message is empty.", response.content)
        self.assertEqual(InboundMessage.objects.count(), 0)

    def test_get_is_not_accepted(self) -> None:
        response = self.client.get(URL, HTTP_AUTHORIZATION=f"Bearer {self.token}")
        self.assertEqual(response.status_code, 405)

    def test_malformed_mime_is_stored_and_logged_never_a_500(self) -> None:
        garbage = (b"From: =?x-unknown?B?////?= <rita@newco.test>\r\n"
                   b"Subject: \xff\xfe broken \x00\r\n"
                   b"Content-Type: multipart/mixed\r\n"  # no boundary
                   b"Content-Transfer-Encoding: base64\r\n\r\n"
                   b"%%%not base64 at all\xff\r\n")
        response = self.post(garbage, self.token)
        self.assertEqual(response.status_code, 202)
        message = InboundMessage.objects.get()
        self.assertIn(message.status, (InboundMessage.Status.NEW_REQUEST,
                                       InboundMessage.Status.IGNORED))
        # Binary noise without a sender at all: set aside, with the reason.
        response = self.post(b"\x00\x01\x02\xff\xfe" * 50, self.token)
        self.assertEqual(response.status_code, 202)
        noise = InboundMessage.objects.latest("id")
        self.assertEqual((noise.status, noise.reason),
                         (InboundMessage.Status.IGNORED, InboundMessage.Reason.NO_SENDER))
