"""Replies by e-mail thread into their request, and only into one the sender may answer
(SPEC E2, P12)."""

from __future__ import annotations

from frontdesk.core.testing import html_of, text_of
from frontdesk.mail.models import InboundMessage
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.portal.models import PortalUser
from frontdesk.support.models import Notification, Post, Status, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status, create_request

Reply = InboundMessage.Status.REPLY
NEW = InboundMessage.Status.NEW_REQUEST


class ThreadingTests(InboundTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Peter's request, by e-mail: he got its confirmation.
        self.first = self.receive(eml(sender="Peter <peter@initech.test>",
                                      subject="Printer on fire"))
        self.task = self.task_of(self.first)
        [self.confirmation] = self.smtp.to("peter@initech.test")
        self.smtp.clear()

    def reply_to_confirmation(self, *, sender: str = "Peter <peter@initech.test>",
                              subject: str = "Re: it works", body: str = "Thanks, it works.",
                              **extra: object) -> InboundMessage:
        our_id = str(self.confirmation["Message-ID"]).strip()
        return self.receive(eml(sender=sender, subject=subject, body=body,
                                headers={"In-Reply-To": our_id, "References": our_id}))

    def test_a_reply_to_our_e_mail_is_added_to_the_request_by_its_headers(self) -> None:
        body = ("Thanks, it works.\n\nOn Mon, 1 Jan 2024 at 10:00, Acme Support "
                "<help@acme.test> wrote:\n> We received your request\n")
        message = self.reply_to_confirmation(subject="completely different", body=body)
        self.assertEqual((message.status, message.task_id), (Reply, self.task.pk))
        post = Post.objects.get(task=self.task)
        self.assertEqual((post.portal_author_id, post.body, post.is_visible_to_customer),
                         (self.portal_a1.pk, "Thanks, it works.", True))
        # Staff are told as for a portal reply.
        self.assertTrue(Notification.objects.filter(
            task=self.task, user=self.agent_a, kind=Notification.Kind.CUSTOMER_REPLY).exists())
        [notice] = self.smtp.to("agent@acme.test")
        self.assertIn("Thanks, it works.", text_of(notice))
        # Staff's e-mail is in the request's thread too, but answers go to the request page.
        self.assertIn(f"<request-{self.task.pk}@", str(notice["References"]))
        self.assertIsNone(notice["Reply-To"])

    def test_a_reply_is_found_by_the_reference_in_its_subject(self) -> None:
        message = self.receive(eml(sender="peter@initech.test",
                                   subject=f"Re: [#{self.task.pk}] We received your request"))
        self.assertEqual((message.status, message.task_id), (Reply, self.task.pk))

    def test_a_follow_up_to_the_customers_own_first_e_mail_is_a_reply(self) -> None:
        message = self.receive(eml(sender="peter@initech.test", subject="One more thing",
                                   headers={"References": self.first.message_id}))
        self.assertEqual((message.status, message.task_id), (Reply, self.task.pk))

    def test_a_colleague_of_the_same_customer_may_reply(self) -> None:
        PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                  email="milton@initech.test", first_name="Milton")
        message = self.reply_to_confirmation(sender="milton@initech.test")
        self.assertEqual((message.status, message.task_id), (Reply, self.task.pk))

    def test_another_customers_person_never_threads_into_the_request(self) -> None:
        by_header = self.reply_to_confirmation(sender="hank@globex.test")
        by_subject = self.receive(eml(sender="hank@globex.test",
                                      subject=f"Re: [#{self.task.pk}] hello"))
        for message in (by_header, by_subject):
            self.assertEqual(message.status, NEW)
            self.assertNotEqual(message.task_id, self.task.pk)
            self.assertEqual(self.task_of(message).customer_id,
                             self.customer_a2.pk)
        self.assertFalse(Post.objects.filter(task=self.task).exists())

    def test_a_stranger_using_the_reference_gets_a_request_of_their_own(self) -> None:
        message = self.receive(eml(sender="mallory@evil.test",
                                   subject=f"[#{self.task.pk}] let me in"))
        self.assertEqual(message.status, NEW)
        self.assertEqual(self.task_of(message).title, "let me in")
        self.assertFalse(Post.objects.filter(task=self.task).exists())

    def test_a_reference_to_another_organizations_request_is_a_new_request(self) -> None:
        # Org B's request, whose requester has Peter's address over there.
        topic_b = Topic.objects.for_org(self.org_b).get()
        customer_b = self.customer_a1.__class__.objects.create(organization=self.org_b,
                                                               short_name="B")
        peter_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                            email="peter@initech.test")
        task_b = create_request(topic=topic_b, requester=peter_b, title="B secret",
                                description="B secret")
        message = self.receive(eml(sender="peter@initech.test",
                                   subject=f"Re: [#{task_b.pk}] B secret"))
        self.assertEqual(message.status, NEW)
        self.assertEqual(self.task_of(message).organization_id, self.org_a.pk)
        self.assertFalse(Post.objects.filter(task=task_b).exists())

    def test_a_reply_to_a_closed_request_starts_a_new_request(self) -> None:
        # As in the portal, a closed request takes no more replies (P12).
        with self.sending():
            change_status(task=self.task, status=Status.CLOSED, by=self.admin_a)
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)  # told so (SPEC X2)
        self.smtp.clear()
        message = self.reply_to_confirmation()
        self.assertEqual(message.status, NEW)
        self.assertNotEqual(message.task_id, self.task.pk)
        self.assertEqual(message.notes, [{"kind": "closed_request", "task": self.task.pk}])
        self.assertFalse(Post.objects.filter(task=self.task).exists())
        self.assertEqual(len(self.smtp.to("peter@initech.test")), 1)  # its confirmation

    def test_a_reply_by_a_revoked_portal_user_is_not_added(self) -> None:
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(is_active=False)
        message = self.reply_to_confirmation()
        self.assertEqual(message.status, NEW)
        self.assertFalse(Post.objects.filter(task=self.task).exists())

    def test_internal_notes_never_reach_an_e_mail_and_the_thread_goes_on(self) -> None:
        add_staff_post(task=self.task, author=self.agent_a, body="INTERNAL-ONLY note")
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Try turning it off.",
                           visible_to_customer=True)
        [notice] = self.smtp.to("peter@initech.test")
        self.assertIn("Try turning it off.", text_of(notice))
        our_id = str(notice["Message-ID"]).strip()
        self.assertEqual(str(notice["Reply-To"]), "help@acme.test")
        # Peter answers the reply notice, quoting it; staff are told.
        body = f"Done.\n\n> {text_of(notice).splitlines()[0]}\n"
        message = self.receive(eml(sender="peter@initech.test", subject="Re: reply",
                                   body=body, headers={"In-Reply-To": our_id}))
        self.assertEqual((message.status, message.task_id), (Reply, self.task.pk))
        self.assertEqual(Post.objects.filter(task=self.task).last().body,  # type: ignore[union-attr]
                         "Done.")
        for sent in self.smtp.messages:
            self.assertNotIn("INTERNAL-ONLY", text_of(sent) + html_of(sent))

    def test_a_passwordless_link_quoted_back_is_not_kept(self) -> None:
        link = "http://127.0.0.1:8000/p/acme-support/link/" + "A" * 43 + "/"
        message = self.reply_to_confirmation(body=f"Here is what I clicked: {link} ok")
        post = Post.objects.get(task=self.task)
        self.assertEqual(message.status, Reply)
        self.assertNotIn("AAAAAAAAAAAAAAAAAAAA", post.body)


class MembershipThreadingTests(InboundTestCase):
    """SPEC X7: a person acting for several customers answers by e-mail the requests of each
    of them, and of no other customer."""

    def test_a_reply_threads_into_a_request_of_a_customer_she_acts_for(self) -> None:
        from frontdesk.portal.memberships import add_portal_membership, remove_portal_membership

        topic = Topic.objects.for_org(self.org_a).get()
        globex_task = create_request(topic=topic, requester=self.portal_a2,
                                     title="Globex payroll", description="Numbers.")
        subject = f"Re: [#{globex_task.pk}] Globex payroll"
        # Peter (of Initech) may not answer Globex's request ...
        message = self.receive(eml(sender="peter@initech.test", subject=subject))
        self.assertEqual(message.status, NEW)
        # ... until he acts for Globex too; and no more once he does not.
        membership = add_portal_membership(customer=self.customer_a2,
                                           email="peter@initech.test", by=self.admin_a)
        message = self.receive(eml(sender="peter@initech.test", subject=subject))
        self.assertEqual((message.status, message.task_id), (Reply, globex_task.pk))
        remove_portal_membership(membership=membership, by=self.admin_a)
        message = self.receive(eml(sender="peter@initech.test", subject=subject))
        self.assertEqual(message.status, NEW)
