"""Automatic replies, lists, bounces and our own mail are never answered (SPEC E2), and one
sender cannot flood the desk."""

from __future__ import annotations

from django.test import override_settings

from frontdesk.mail.loops import our_own_address
from frontdesk.mail.models import InboundMessage
from frontdesk.mail.tests.inbound_helpers import SUPPORT, InboundTestCase, eml
from frontdesk.support.models import Source, Task

Reason = InboundMessage.Reason


class LoopTests(InboundTestCase):
    def assert_set_aside(self, raw: bytes, reason: str) -> None:
        message = self.receive(raw)
        self.assertEqual((message.status, message.reason, message.task_id),
                         (InboundMessage.Status.IGNORED, reason, None))
        self.assertFalse(Task.objects.filter(source=Source.EMAIL).exists())
        self.assertEqual(self.smtp.messages, [])  # no confirmation to anyone

    def test_automatic_replies_and_lists_are_set_aside_unanswered(self) -> None:
        cases = [
            ({"Auto-Submitted": "auto-replied"}, Reason.AUTO_REPLY),
            ({"Auto-Submitted": "auto-generated; type=vacation"}, Reason.AUTO_REPLY),
            ({"X-Autoreply": "yes"}, Reason.AUTO_REPLY),
            ({"X-Autorespond": "Out of office"}, Reason.AUTO_REPLY),
            ({"Precedence": "bulk"}, Reason.BULK),
            ({"Precedence": "junk"}, Reason.BULK),
            ({"Precedence": "list"}, Reason.BULK),
            ({"List-Id": "<news.shop.test>"}, Reason.BULK),
            ({"Return-Path": "<>"}, Reason.LOOP),
        ]
        for number, (headers, reason) in enumerate(cases):
            with self.subTest(headers=headers):
                self.assert_set_aside(eml(headers=headers, subject=f"auto {number}"), reason)

    def test_mail_systems_and_our_own_addresses_are_set_aside(self) -> None:
        senders = ["MAILER-DAEMON@mx.newco.test", "postmaster@newco.test",
                   "noreply@shop.test", "no-reply@shop.test", SUPPORT,
                   f"Frontdesk <{our_own_address()}>"]
        for number, sender in enumerate(senders):
            with self.subTest(sender=sender):
                self.assert_set_aside(eml(sender=sender, subject=f"loop {number}"),
                                      Reason.LOOP)

    def test_a_delivery_report_is_a_bounce(self) -> None:
        raw = (b"From: rita@newco.test\r\nSubject: Undelivered\r\nMessage-ID: <b@x>\r\n"
               b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n"
               b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--b--\r\n")
        self.assert_set_aside(raw, Reason.LOOP)

    def test_auto_submitted_no_is_an_ordinary_e_mail(self) -> None:
        message = self.receive(eml(headers={"Auto-Submitted": "no"}))
        self.assertEqual(message.status, InboundMessage.Status.NEW_REQUEST)

    @override_settings(FRONTDESK_INBOUND_LIMIT_PER_SENDER=2)
    def test_past_the_flood_limit_a_sender_is_set_aside(self) -> None:
        statuses = [self.receive(eml(subject=f"mail {n}")).status for n in range(3)]
        self.assertEqual(statuses, [InboundMessage.Status.NEW_REQUEST] * 2
                         + [InboundMessage.Status.IGNORED])
        self.assertEqual(InboundMessage.objects.latest("id").reason, Reason.FLOOD)
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 2)
        # Another sender is not held back.
        other = self.receive(eml(sender="peter@initech.test", subject="mine"))
        self.assertEqual(other.status, InboundMessage.Status.NEW_REQUEST)
