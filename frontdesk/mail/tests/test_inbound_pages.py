"""The incoming e-mail pages (SPEC E2): the log of what arrived and the settings, for staff
with Manage in support only, of their own organization only."""

from __future__ import annotations

import re
from unittest import mock

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from frontdesk.mail.inbound import receive_message
from frontdesk.mail.models import InboundMessage, InboundSettings
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.organizations.permissions import Level
from frontdesk.support.models import Topic

LOG = "/app/acme-support/settings/email/received/"
SETTINGS = "/app/acme-support/settings/email/"
TOKEN = "/app/acme-support/settings/email/token/"


class LogPageTests(InboundTestCase):
    def test_it_shows_what_each_e_mail_became(self) -> None:
        made = self.receive(eml(subject="Printer on fire"))
        self.receive(eml(subject="Away", headers={"Auto-Submitted": "auto-replied"}))
        self.login_staff(self.admin_a)
        response = self.client.get(LOG)
        self.assertContains(response, "Printer on fire")
        self.assertContains(response, made.message_id.replace("<", "&lt;").replace(">", "&gt;"))
        self.assertContains(response, "rita@newco.test")
        self.assertContains(response, "New request")
        self.assertContains(response, f'/app/acme-support/requests/{made.task_id}/')
        self.assertContains(response, "Automatic reply")
        self.assertContains(response, "Process again")  # the one set aside

    def test_a_failure_is_logged_with_its_error_and_can_be_retried(self) -> None:
        with mock.patch("frontdesk.mail.inbound.parse_message",
                        side_effect=RuntimeError("disk on fire")), \
                self.assertLogs("frontdesk.mail.inbound", "ERROR"):
            message = self.receive(eml())
        self.assertEqual((message.status, message.error),
                         (InboundMessage.Status.FAILED, "RuntimeError: disk on fire"))
        self.login_staff(self.admin_a)
        self.assertContains(self.client.get(LOG), "RuntimeError: disk on fire")
        with self.sending():
            response = self.client.post(f"{LOG}{message.pk}/retry/")
        self.assertRedirects(response, LOG, fetch_redirect_response=False)
        message.refresh_from_db()
        self.assertEqual((message.status, message.error, message.attempts),
                         (InboundMessage.Status.NEW_REQUEST, "", 2))
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_the_e_mail_itself_is_deleted_after_the_days_kept_its_line_stays(self) -> None:
        with mock.patch("frontdesk.mail.inbound.parse_message",
                        side_effect=RuntimeError("disk on fire")), \
                self.assertLogs("frontdesk.mail.inbound", "ERROR"):
            message = self.receive(eml(subject="Printer on fire"))
        stored = str(message.raw.name)
        self.assertTrue(message.raw.storage.exists(stored))
        [waiting] = DBTaskResult.objects.filter(
            task_path="frontdesk.mail.tasks.forget_inbound_email", status="READY")
        self.assertEqual((waiting.run_after - message.received_at).days, 90)
        with self.sending():  # not due yet: the worker leaves it
            pass
        self.assertTrue(message.raw.storage.exists(stored))
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
        with self.captureOnCommitCallbacks(execute=True), self.sending():
            pass
        message.refresh_from_db()
        self.assertEqual(message.raw.name, "")
        self.assertFalse(message.raw.storage.exists(stored))
        self.login_staff(self.admin_a)
        page = self.client.get(LOG)
        self.assertContains(page, "Printer on fire")  # its line stays
        self.assertContains(page, "The e-mail itself was deleted after 90 days.")
        self.assertNotContains(page, "Process again")
        response = self.client.post(f"{LOG}{message.pk}/retry/", follow=True)
        self.assertContains(response, "it cannot be processed again")
        message.refresh_from_db()
        self.assertEqual(message.status, InboundMessage.Status.FAILED)

    def test_a_processed_e_mail_is_not_processed_again(self) -> None:
        message = self.receive(eml())
        self.login_staff(self.admin_a)
        with self.sending():
            response = self.client.post(f"{LOG}{message.pk}/retry/", follow=True)
        self.assertContains(response, "This e-mail was processed already.")
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_one_still_waiting_can_be_handed_over_again_and_is_processed_once(self) -> None:
        message = receive_message(organization=self.org_a, raw=eml()).message
        DBTaskResult.objects.all().delete()  # its worker died with the task
        self.login_staff(self.admin_a)
        self.assertContains(self.client.get(LOG), "Process again")
        with self.sending():
            for _ in range(2):
                self.client.post(f"{LOG}{message.pk}/retry/")
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts),
                         (InboundMessage.Status.NEW_REQUEST, 1))
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)

    def test_the_number_of_queries_does_not_grow_with_messages(self) -> None:
        for number in range(30):
            receive_message(organization=self.org_a,
                            raw=eml(subject=f"mail {number:02}",
                                    headers={"Precedence": "bulk"} if number % 2 else {}))
        InboundMessage.objects.update(notes=[{"kind": "empty_file", "name": "x.txt"}])
        self.login_staff(self.admin_a)
        # session with the membership, one page of messages
        with self.assertNumQueries(2):
            response = self.client.get(LOG)
        content = response.content.decode()
        self.assertIn("mail 29", content)
        self.assertNotIn("mail 04", content)
        older = re.search(r'href="(\?before=\d+)">Older →<', content)
        assert older is not None
        self.assertContains(self.client.get(LOG + older.group(1)), "mail 04")

    def test_without_manage_in_support_it_is_403(self) -> None:
        for user in (self.agent_a, self.viewer_a):
            self.login_staff(user)
            self.assertEqual(self.client.get(LOG).status_code, 403)
            self.assertEqual(self.client.get(SETTINGS).status_code, 403)
        membership = self.membership(self.agent_a)
        membership.level_support = Level.MANAGE
        membership.save()
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get(LOG).status_code, 200)

    def test_another_organizations_staff_get_404_and_see_none_of_it(self) -> None:
        message = self.receive(eml(subject="A secret"))
        self.login_staff(self.staff_b)
        for url in (LOG, SETTINGS):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(f"{LOG}{message.pk}/retry/").status_code, 404)
        response = self.client.get("/app/other-org/settings/email/received/")
        self.assertNotContains(response, "A secret")
        self.assertEqual(self.client.post(
            f"/app/other-org/settings/email/received/{message.pk}/retry/").status_code, 404)


class SettingsPageTests(InboundTestCase):
    def test_it_saves_the_address_topic_and_switch(self) -> None:
        self.login_staff(self.admin_a)
        topic = Topic.objects.for_org(self.org_a).get()
        response = self.client.post(SETTINGS, {"enabled": "", "topic": topic.pk,
                                               "support_address": "Desk@Acme.test"})
        self.assertRedirects(response, SETTINGS, fetch_redirect_response=False)
        inbound = InboundSettings.objects.get(organization=self.org_a)
        self.assertEqual((inbound.enabled, inbound.support_address, inbound.topic_id),
                         (False, "desk@acme.test", topic.pk))
        response = self.client.get(SETTINGS)
        self.assertContains(response, "desk@acme.test")
        self.assertContains(response, "receive_email --organization acme-support")
        self.assertContains(response, "/mail/inbound/acme-support/")
        self.assertContains(response, "Authorization: Bearer &lt;secret&gt;")

    def test_bad_input_changes_nothing(self) -> None:
        self.login_staff(self.admin_a)
        topic_b = Topic.objects.for_org(self.org_b).get()
        for data in ({"enabled": "on", "support_address": "not an address"},
                     {"enabled": "on", "topic": topic_b.pk}):
            response = self.client.post(SETTINGS, data)
            self.assertEqual(response.status_code, 400)
        inbound = InboundSettings.objects.get(organization=self.org_a)
        self.assertEqual((inbound.support_address, inbound.topic_id),
                         ("help@acme.test", None))

    def test_the_secret_is_shown_once_and_works(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(TOKEN)
        self.assertEqual(response["Cache-Control"], "no-store")
        token = re.search(r'id="inbound-token" type="text" readonly value="([\w-]+)"',
                          response.content.decode())
        assert token is not None
        self.assertNotContains(self.client.get(SETTINGS), token.group(1))
        self.assertContains(self.client.get(SETTINGS), "It is not shown again")
        with self.sending():
            response = self.client.post("/mail/inbound/acme-support/", eml(),
                                        content_type="message/rfc822",
                                        HTTP_AUTHORIZATION=f"Bearer {token.group(1)}")
        self.assertEqual(response.status_code, 202)

    def test_the_settings_page_is_linked_for_those_who_may_use_it(self) -> None:
        self.login_staff(self.admin_a)
        self.assertContains(self.client.get("/app/acme-support/settings/"), SETTINGS)
        self.login_staff(self.agent_a)
        self.assertNotContains(self.client.get("/app/acme-support/settings/"), SETTINGS)
