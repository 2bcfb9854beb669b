"""Telling staff and the requester about a request is the worker's, after the action commits:
in-app notifications and e-mails, only to who is still staff of the request's organization."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from frontdesk.core.testing import FrontdeskTestCase, run_worker
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.services import add_staff_member, remove_staff_member
from frontdesk.support.models import Notification, Topic
from frontdesk.support.posts import add_customer_reply
from frontdesk.support.services import create_request


class AnnouncementTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()
        self.topic.assignees.set([self.agent_a])

    def recipients(self) -> list[str]:
        return sorted(address.addr_spec for message in self.smtp.messages
                      for address in message["To"].addresses)

    def test_the_request_itself_writes_one_task_row_and_the_worker_tells_everyone(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            task = create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                                  description="Offline.")
        self.assertFalse(Notification.objects.exists())
        self.assertFalse(OutboxMessage.objects.exists())
        queued = DBTaskResult.objects.get()
        self.assertEqual(queued.task_path,
                         "frontdesk.support.tasks.notify_about_new_request")
        self.assertEqual(queued.args_kwargs, {"args": [task.pk], "kwargs": {}})

        with self.sending():
            pass
        notification = Notification.objects.get()
        self.assertEqual((notification.user, notification.organization, notification.task,
                          notification.kind, notification.actor_name),
                         (self.agent_a, self.org_a, task, Notification.Kind.NEW_REQUEST,
                          "Peter"))
        self.assertEqual(self.recipients(), ["agent@acme.test", "peter@initech.test"])

    def test_a_request_rolled_back_tells_nobody(self) -> None:
        class Undone(Exception):
            pass

        try:
            with transaction.atomic():
                create_request(topic=self.topic, requester=self.portal_a1, title="Gone",
                               description="")
                raise Undone
        except Undone:
            pass
        self.assertFalse(DBTaskResult.objects.exists())
        with self.sending():
            pass
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(self.smtp.messages, [])

    def test_an_assignee_no_longer_staff_hears_nothing_of_a_reply(self) -> None:
        self.topic.assignees.add(self.viewer_a)
        with self.sending():
            task = create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                                  description="Offline.")
        self.assertEqual(Notification.objects.filter(user=self.viewer_a).count(), 1)
        # The viewer leaves the organization (still an assignee of the request) and joins
        # another one: the request's news must not follow them there.
        remove_staff_member(membership=self.membership(self.viewer_a),
                            by=self.membership(self.admin_a))
        add_staff_member(organization=self.org_b, user=self.viewer_a)
        self.smtp.clear()

        with self.sending():
            add_customer_reply(task=task, portal_user=self.portal_a1, body="Still offline.")
        replies = Notification.objects.filter(kind=Notification.Kind.CUSTOMER_REPLY)
        self.assertEqual([(n.user, n.organization) for n in replies],
                         [(self.agent_a, self.org_a)])
        self.assertEqual(self.recipients(), ["agent@acme.test"])
        self.assertFalse(OutboxMessage.objects.filter(to="viewer@acme.test",
                                                      kind="support.customer_reply").exists())

    def test_an_inactive_assignee_is_not_notified(self) -> None:
        self.agent_a.is_active = False
        self.agent_a.save(update_fields=["is_active"])
        with self.sending():
            create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                           description="Offline.")
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(self.recipients(), ["peter@initech.test"])

    def test_the_worker_finds_nothing_to_say_of_a_deleted_request(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            task = create_request(topic=self.topic, requester=self.portal_a1, title="Spam",
                                  description="")
        task.delete()
        run_worker()
        self.assertFalse(Notification.objects.exists())
        self.assertFalse(OutboxMessage.objects.exists())
        # It ran and found nothing, rather than failing (a failure is kept, not raised).
        result = DBTaskResult.objects.get()
        self.assertEqual((result.status, result.return_value), ("SUCCESSFUL", 0))

    def test_staff_hear_of_a_request_whose_requester_is_gone(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            task = create_request(topic=self.topic, requester=self.portal_a1, title="Printer",
                                  description="Offline.")
        self.portal_a1.delete()
        with self.sending():
            pass
        notification = Notification.objects.get()
        self.assertEqual((notification.user, notification.task_id), (self.agent_a, task.pk))
        self.assertEqual(self.recipients(), ["agent@acme.test"])
        self.assertEqual(DBTaskResult.objects.filter(status="SUCCESSFUL").count(), 2)
