from django.db import transaction
from django_tasks_db.models import DBTaskResult

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.mail.models import OutboxMessage
from frontdesk.mail.services import Email, queue_emails


class QueueTests(FrontdeskTestCase):
    def emails(self) -> list[Email]:
        return [Email(kind="portal.access_link", to=f"{name}@x.test", language="en",
                      context={"portal_user_id": self.portal_a1.pk}, organization=self.org_a)
                for name in ("one", "two")]

    def test_an_actions_emails_are_one_task_written_with_the_action(self) -> None:
        with transaction.atomic():
            queue_emails(self.emails())
            # Inside the action's transaction already: committed together, or not at all.
            self.assertEqual(DBTaskResult.objects.count(), 1)
        self.assertEqual(OutboxMessage.objects.count(), 2)

    def test_a_rolled_back_action_leaves_neither_email_nor_task(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():
            queue_emails(self.emails())
            raise RuntimeError("the action failed")
        self.assertFalse(OutboxMessage.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())

    def test_both_are_delivered_by_the_worker(self) -> None:
        with self.sending():
            queue_emails(self.emails())
        self.assertEqual(len(self.smtp.to("one@x.test")), 1)
        self.assertEqual(len(self.smtp.to("two@x.test")), 1)
        self.assertEqual(set(OutboxMessage.objects.values_list("state", flat=True)),
                         {OutboxMessage.State.SENT})
