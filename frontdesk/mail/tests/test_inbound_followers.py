"""Replies by e-mail from a request's followers (SPEC X5, E2): a colleague's reply threads
into the request as theirs; a CC address's reply threads into the request it follows, signed
with the address; anything else it sends (a request it no longer follows, one it never
followed, another organization's) becomes a request of its own, as from any other sender."""

from __future__ import annotations

from frontdesk.core.testing import text_of
from frontdesk.customers.models import Customer
from frontdesk.mail.models import InboundMessage
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.portal.models import PortalUser
from frontdesk.support.followers import add_follower, remove_follower
from frontdesk.support.models import Follower, Notification, Post, Status, Task, TaskEvent, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status, create_request

REPLY = InboundMessage.Status.REPLY
NEW = InboundMessage.Status.NEW_REQUEST
BOSS = "boss@example.test"


class FollowerReplyTests(InboundTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.task = self.peters_request()
        self.colleague = self.colleague_of_peter()
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        self.cc = add_follower(task=self.task, email=BOSS, by=self.agent_a)
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)
        [notice] = self.smtp.to(BOSS)
        self.our_id = str(notice["Message-ID"]).strip()
        self.smtp.clear()

    def reply(self, sender: str, *, subject: str = "Re: works",
              references: str | None = None) -> InboundMessage:
        """`sender` answers our notice to the CC address (by its headers), or `references`."""
        ids = self.our_id if references is None else references
        headers = {"In-Reply-To": ids, "References": ids} if ids else {}
        return self.receive(eml(sender=sender, subject=subject, body="Works again.",
                                headers=headers))

    def customer_posts(self, task: Task) -> list[Post]:
        return list(Post.objects.filter(task=task, author__isnull=True))

    def assert_new_request(self, message: InboundMessage, *, not_on: Task) -> Task:
        self.assertEqual(message.status, NEW, (message.reason, message.error))
        self.assertNotEqual(message.task_id, not_on.pk)
        self.assertEqual(self.customer_posts(not_on), [])
        return self.task_of(message)

    def test_a_colleagues_reply_threads_into_the_request_as_theirs(self) -> None:
        message = self.reply("joan@initech.test")
        self.assertEqual((message.status, message.task_id), (REPLY, self.task.pk))
        [post] = self.customer_posts(self.task)
        self.assertEqual((post.portal_author_id, post.author_email, post.body),
                         (self.colleague.pk, "", "Works again."))

    def test_a_cc_addresss_reply_threads_into_the_request_signed_with_it(self) -> None:
        message = self.reply(f"The Boss <{BOSS}>")
        self.assertEqual((message.status, message.task_id), (REPLY, self.task.pk))
        [post] = self.customer_posts(self.task)
        self.assertEqual((post.portal_author_id, post.author_email, post.body,
                          post.is_visible_to_customer), (None, BOSS, "Works again.", True))
        self.assertTrue(post.is_from_customer)
        event = TaskEvent.objects.get(task=self.task, kind=TaskEvent.Kind.POSTED,
                                      data__post=post.pk)
        self.assertEqual((event.actor_id, event.portal_actor_id, event.data["email"]),
                         (None, None, BOSS))
        # The assignees are told as for any customer's reply, named by the address.
        notification = Notification.objects.get(task=self.task, user=self.agent_a,
                                                kind=Notification.Kind.CUSTOMER_REPLY)
        self.assertEqual(notification.actor_name, BOSS)
        [staff_notice] = self.smtp.to("agent@acme.test")
        self.assertIn(f"{BOSS} replied to", text_of(staff_notice))
        self.assertIn("Works again.", text_of(staff_notice))
        # As for a portal user's reply, no customer is e-mailed about it: not the requester,
        # not the colleague, never the sender their own reply.
        for address in ("peter@initech.test", "joan@initech.test", BOSS):
            self.assertEqual(self.smtp.to(address), [], address)

    def test_the_address_is_compared_whatever_its_case(self) -> None:
        message = self.reply("The Boss <BOSS@Example.TEST>")
        self.assertEqual((message.status, message.task_id), (REPLY, self.task.pk))
        self.assertEqual(self.customer_posts(self.task)[0].author_email, BOSS)

    def test_the_subjects_reference_threads_a_cc_reply_too(self) -> None:
        message = self.reply(BOSS, subject=f"Re: [#{self.task.pk}] VPN", references="")
        self.assertEqual((message.status, message.task_id), (REPLY, self.task.pk))

    def test_a_person_of_another_customer_who_follows_by_address_replies_as_the_address(
            self) -> None:
        # Hank is a portal user of Globex; Initech's request has his address in CC.
        add_follower(task=self.task, email="hank@globex.test", by=self.agent_a)
        message = self.reply("hank@globex.test")
        self.assertEqual((message.status, message.task_id), (REPLY, self.task.pk))
        [post] = self.customer_posts(self.task)
        self.assertEqual((post.portal_author_id, post.author_email),
                         (None, "hank@globex.test"))

    def test_a_removed_follower_gets_a_request_of_their_own(self) -> None:
        remove_follower(follower=self.cc, by=self.agent_a)
        message = self.reply(BOSS)
        task = self.assert_new_request(message, not_on=self.task)
        self.assertEqual(task.requester.email if task.requester else "", BOSS)

    def test_an_address_that_follows_another_request_gets_a_request_of_its_own(self) -> None:
        other = create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                               description="...")
        add_follower(task=other, email="cfo@example.test", by=self.agent_a)
        by_header = self.reply("cfo@example.test")
        by_subject = self.reply("cfo@example.test", subject=f"Re: [#{self.task.pk}] VPN",
                                references="")
        for message in (by_header, by_subject):
            self.assert_new_request(message, not_on=self.task)
        self.assertEqual(self.customer_posts(other), [])

    def test_a_follower_of_one_request_cannot_reach_another_by_its_subject(self) -> None:
        other = create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                               description="...")
        message = self.reply(BOSS, subject=f"Re: [#{other.pk}] Printer", references="")
        self.assert_new_request(message, not_on=other)
        self.assertEqual(self.customer_posts(self.task), [])

    def test_a_follower_of_another_organizations_request_never_threads(self) -> None:
        customer_b = Customer.objects.create(organization=self.org_b, short_name="Umbrella")
        person_b = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                             email="alice@umbrella.test")
        task_b = create_request(topic=Topic.objects.for_org(self.org_b).get(),
                                requester=person_b, title="B's request", description="...")
        add_follower(task=task_b, email="carol@example.test", by=self.staff_b)
        # To org A: naming org B's request, and org A's (which she does not follow).
        for reference in (task_b.pk, self.task.pk):
            message = self.reply("carol@example.test", subject=f"Re: [#{reference}] hi",
                                 references="")
            self.assert_new_request(message, not_on=self.task)
            self.assertEqual(self.task_of(message).organization_id, self.org_a.pk)
        self.assertEqual(self.customer_posts(task_b), [])
        self.assertFalse(Follower.objects.filter(task=self.task,
                                                 email="carol@example.test").exists())

    def test_a_cc_reply_to_a_closed_request_makes_a_new_one_and_notes_it(self) -> None:
        with self.sending():
            change_status(task=self.task, status=Status.CLOSED, by=self.agent_a)
        # As a follower they were told it was closed (SPEC X2, support/closing.py).
        self.assertEqual(len(self.smtp.to(BOSS)), 1)
        self.smtp.clear()
        message = self.reply(BOSS)
        self.assert_new_request(message, not_on=self.task)
        self.assertEqual(message.notes, [{"kind": "closed_request", "task": self.task.pk}])
        # The new request's confirmation goes to the sender, as for any new request.
        self.assertEqual(len(self.smtp.to(BOSS)), 1)
