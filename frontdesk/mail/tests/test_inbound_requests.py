"""A new e-mail becomes a request (SPEC E2, P6, P11), confirmed to its sender."""

from __future__ import annotations

from frontdesk.core.testing import text_of
from frontdesk.customers.models import Customer
from frontdesk.mail.inbound import retry_message
from frontdesk.mail.models import InboundMessage, InboundSettings
from frontdesk.mail.tests.inbound_helpers import SUPPORT, InboundTestCase, eml
from frontdesk.organizations.models import Group
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Notification, Source, Task
from frontdesk.support.topics import save_topic

Status = InboundMessage.Status


class NewRequestTests(InboundTestCase):
    def test_an_e_mail_from_someone_new_becomes_a_request_and_they_get_a_confirmation(
            self) -> None:
        message = self.receive(eml(subject="Re: Fwd: Printer on fire"))
        self.assertEqual(message.status, Status.NEW_REQUEST)
        task = self.task_of(message)
        self.assertEqual((task.organization_id, task.source, task.title, task.description),
                         (self.org_a.pk, Source.EMAIL, "Printer on fire",
                          "It smokes since this morning."))
        requester = task.requester
        assert requester is not None
        self.assertEqual((requester.email, requester.first_name, requester.last_name),
                         ("rita@newco.test", "Rita", "Requester"))
        # A new customer record for her, as the public form makes (P6).
        self.assertEqual(Customer.objects.get(tasks=task).email, "rita@newco.test")

        [confirmation] = self.smtp.to("rita@newco.test")
        self.assertIn(f"[#{task.pk}]", str(confirmation["Subject"]))
        self.assertIn("We received your request", text_of(confirmation))
        # Threading: the Message-ID is kept with the outbox row, replies go to the support
        # address, and the e-mail says it is automatic (no out-of-office answers it).
        [outbox] = [sent for sent in self.sent_about(task.pk) if sent.to == "rita@newco.test"]
        self.assertEqual(str(confirmation["Message-ID"]).strip(), outbox.message_id)
        self.assertEqual(str(confirmation["Reply-To"]), SUPPORT)
        self.assertEqual(str(confirmation["Auto-Submitted"]), "auto-generated")
        self.assertIn(f"<request-{task.pk}@", str(confirmation["References"]))
        # The topic's assignee is told, as for the form.
        self.assertTrue(Notification.objects.filter(task=task, user=self.agent_a,
                                                    kind=Notification.Kind.NEW_REQUEST)
                        .exists())

    def test_a_topic_whose_form_has_required_fields_still_takes_e_mail(self) -> None:
        """An e-mail cannot answer the topic's form (SPEC T3): nothing is asked of it."""
        from frontdesk.support.models import Topic

        Topic.objects.for_org(self.org_a).update(form_fields=[{
            "key": "serial", "label": "Serial number", "kind": "text", "required": True,
            "help": "", "choices": []}])
        message = self.receive(eml())
        self.assertEqual(message.status, Status.NEW_REQUEST)
        self.assertIsNone(self.task_of(message).answers)

    def test_a_known_portal_user_is_the_requester(self) -> None:
        message = self.receive(eml(sender="Peter <PETER@initech.test>"))
        task = self.task_of(message)
        self.assertEqual((task.requester_id, task.customer_id),
                         (self.portal_a1.pk, self.customer_a1.pk))
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)

    def test_someone_with_a_customers_e_mail_joins_that_customer(self) -> None:
        message = self.receive(eml(sender="office@globex.test"))
        task = self.task_of(message)
        self.assertEqual(task.customer_id, self.customer_a2.pk)
        person = PortalUser.objects.get(organization=self.org_a, email="office@globex.test")
        self.assertEqual((person.customer_id, person.first_name), (self.customer_a2.pk,
                                                                    "office"))

    def test_it_goes_to_the_topic_chosen_for_e_mail(self) -> None:
        topic = save_topic(organization=self.org_a, name="E-mail",
                           group=Group.objects.for_org(self.org_a).get(),
                           assignees=[self.admin_a])
        InboundSettings.objects.filter(pk=self.inbound.pk).update(topic=topic)
        task = self.task_of(self.receive(eml()))
        self.assertEqual(task.topic_id, topic.pk)
        self.assertTrue(task.assignees.filter(pk=self.admin_a.pk).exists())

    def test_a_request_by_e_mail_appears_in_the_customers_portal(self) -> None:
        message = self.receive(eml(sender="peter@initech.test", subject="Sent by mail"))
        self.login_portal(self.portal_a1)
        response = self.client.get("/p/acme-support/requests/")
        self.assertContains(response, "Sent by mail")
        response = self.client.get(f"/p/acme-support/requests/{message.task_id}/")
        self.assertContains(response, "It smokes since this morning.")
        # Another customer's person does not see it.
        self.login_portal(self.portal_a2)
        response = self.client.get(f"/p/acme-support/requests/{message.task_id}/")
        self.assertEqual(response.status_code, 404)

    def test_an_e_mail_without_subject_or_text_still_becomes_a_request(self) -> None:
        task = self.task_of(self.receive(eml(subject="", body="")))
        self.assertEqual(task.title, "(no subject)")

    def test_while_receiving_is_off_it_is_set_aside_and_can_be_processed_later(self) -> None:
        InboundSettings.objects.filter(pk=self.inbound.pk).update(enabled=False)
        message = self.receive(eml())
        self.assertEqual((message.status, message.reason),
                         (Status.IGNORED, InboundMessage.Reason.OFF))
        self.assertFalse(Task.objects.filter(source=Source.EMAIL).exists())
        self.assertEqual(self.smtp.messages, [])

        InboundSettings.objects.filter(pk=self.inbound.pk).update(enabled=True)
        with self.sending():
            self.assertTrue(retry_message(message=message))
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Status.NEW_REQUEST, 2))
        self.assertEqual(len(self.smtp.to("rita@newco.test")), 1)
        with self.sending():
            self.assertFalse(retry_message(message=message))  # done: not again

    def test_another_organization_receiving_the_same_message_makes_its_own(self) -> None:
        raw = eml()
        self.receive(raw)
        InboundSettings.objects.create(organization=self.org_b, enabled=True)
        from frontdesk.mail.inbound import receive_message

        with self.sending():
            received = receive_message(organization=self.org_b, raw=raw)
        self.assertFalse(received.duplicate)
        self.assertEqual(Task.objects.filter(organization=self.org_b,
                                             source=Source.EMAIL).count(), 1)
        self.assertEqual(Task.objects.filter(organization=self.org_a,
                                             source=Source.EMAIL).count(), 1)
