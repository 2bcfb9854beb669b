"""Replies by e-mail from a request's followers (SPEC X5, E2): a colleague's reply threads
into the request as theirs; a CC address, no portal user, cannot answer on the request (its
e-mail becomes a request of its own, as from any other sender)."""

from __future__ import annotations

from frontdesk.mail.models import InboundMessage
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.portal.models import PortalUser
from frontdesk.support.followers import add_follower
from frontdesk.support.models import Post, Topic
from frontdesk.support.services import add_staff_post, create_request


class FollowerReplyTests(InboundTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        self.task = create_request(topic=topic, requester=self.portal_a1,
                                   title="VPN is down", description="...")
        self.colleague = PortalUser.objects.create(organization=self.org_a,
                                                   customer=self.customer_a1,
                                                   email="joan@initech.test", first_name="Joan")
        add_follower(task=self.task, portal_user=self.colleague, by=self.agent_a)
        add_follower(task=self.task, email="boss@example.test", by=self.agent_a)
        with self.sending():
            add_staff_post(task=self.task, author=self.agent_a, body="Gateway restarted.",
                           visible_to_customer=True)

    def reply_to_notice(self, address: str) -> InboundMessage:
        [notice] = self.smtp.to(address)
        our_id = str(notice["Message-ID"]).strip()
        return self.receive(eml(sender=address, subject="Re: works", body="Works again.",
                                headers={"In-Reply-To": our_id, "References": our_id}))

    def test_a_colleagues_reply_threads_into_the_request_as_theirs(self) -> None:
        message = self.reply_to_notice("joan@initech.test")
        self.assertEqual((message.status, message.task_id),
                         (InboundMessage.Status.REPLY, self.task.pk))
        post = Post.objects.get(task=self.task, portal_author__isnull=False)
        self.assertEqual((post.portal_author_id, post.body), (self.colleague.pk, "Works again."))

    def test_a_cc_addresss_reply_never_lands_on_the_request(self) -> None:
        message = self.reply_to_notice("boss@example.test")
        self.assertEqual(message.status, InboundMessage.Status.NEW_REQUEST)
        self.assertNotEqual(message.task_id, self.task.pk)
        self.assertFalse(Post.objects.filter(task=self.task, portal_author__isnull=False)
                         .exists())
