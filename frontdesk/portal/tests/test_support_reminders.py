"""Support-period reminders (SPEC P18): scheduled by event with the task's `run_after`, sent
by the real worker to the SMTP sink, once, in each person's language.

A reminder due in the future waits in the task table with its `run_after`; the worker skips
it. To "advance the clock" the tests move the task's `run_after` to now in the database and
move the reminders' own clock (`reminders.today`, the task's check that it is due) to the
reminder's day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frontdesk.core.testing import FrontdeskTestCase, run_worker, text_of
from frontdesk.customers.models import Activity, Customer
from frontdesk.customers.services import create_customer, update_customer
from frontdesk.portal import reminders
from frontdesk.portal.models import CustomerAccess, PortalFor, PortalSettings, PortalUser
from frontdesk.portal.services import update_portal_settings

TODAY = timezone.localdate()


def days(number: int) -> dt.date:
    return TODAY + dt.timedelta(days=number)


class SupportReminderTests(FrontdeskTestCase):
    def set_until(self, customer: Customer, until: dt.date | None) -> Customer:
        with self.sending():
            return update_customer(customer=customer, support_until=until)

    def waiting(self) -> list[DBTaskResult]:
        return list(DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path="frontdesk.portal.reminders.send_support_reminder"))

    @contextmanager
    def on_day(self, day: dt.date) -> Iterator[None]:
        """The reminders' clock on `day`, and the waiting tasks made due."""
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
            run_after=timezone.now())
        with mock.patch.object(reminders, "today", return_value=day):
            yield

    def reminded(self) -> list[str]:
        return sorted(message["To"] for message in self.smtp.messages)

    def test_a_date_inside_the_window_reminds_at_once_in_the_persons_language(self) -> None:
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(language="nl")
        until = days(10)
        self.set_until(self.customer_a1, until)
        [message] = self.smtp.to("peter@initech.test")
        with translation.override("nl"):
            hello = gettext("Hello %(name)s,") % {"name": "Peter"}
        self.assertNotEqual(hello, "Hello Peter,")
        text = text_of(message)
        self.assertIn(hello, text)
        self.assertIn("/link/", text)  # the portal is open to them
        self.assertEqual(self.reminded(), ["peter@initech.test"])  # not Globex, not org B
        customer = Customer.objects.get(pk=self.customer_a1.pk)
        self.assertEqual(customer.support_reminded_for, until)
        line = Activity.objects.get(customer=customer, kind=Activity.Kind.SUPPORT_REMINDED)
        self.assertEqual(line.data, {"emails": "peter@initech.test"})

    def test_a_future_reminder_waits_for_its_day_at_eight(self) -> None:
        until = days(40)
        self.set_until(self.customer_a1, until)
        self.assertEqual(self.smtp.messages, [])
        [waiting] = self.waiting()
        self.assertEqual(waiting.run_after, reminders.due_at(until, 30))
        self.assertEqual(timezone.localtime(waiting.run_after).time(), dt.time(8, 0))
        run_worker()
        self.assertEqual(self.smtp.messages, [])  # not due: the worker leaves it
        with self.on_day(days(10)), self.sending():
            run_worker()
        self.assertEqual(self.reminded(), ["peter@initech.test"])

    def test_a_task_run_early_sends_nothing_and_waits_again(self) -> None:
        until = days(40)
        self.set_until(self.customer_a1, until)
        with self.on_day(days(9)), self.sending():
            run_worker()
        self.assertEqual(self.smtp.messages, [])
        [waiting] = self.waiting()
        self.assertEqual(waiting.run_after, reminders.due_at(until, 30))

    def test_sent_once_however_often_the_task_runs(self) -> None:
        until = days(5)
        self.set_until(self.customer_a1, until)
        with self.sending():
            for _ in range(2):
                reminders.send_support_reminder.enqueue(self.customer_a1.pk, until.isoformat(),
                                                        30)
            self.assertEqual(reminders.remind(customer_id=self.customer_a1.pk,
                                              support_until=until, days=30), 0)
        self.assertEqual(self.reminded(), ["peter@initech.test"])
        self.assertEqual(Activity.objects.filter(kind=Activity.Kind.SUPPORT_REMINDED).count(), 1)

    def test_nothing_is_sent_when_the_date_is_cleared_or_moved_before_the_task_runs(
            self) -> None:
        self.set_until(self.customer_a1, days(40))
        self.set_until(self.customer_a1, None)
        self.set_until(self.customer_a2, days(40))
        self.set_until(self.customer_a2, days(100))
        with self.on_day(days(10)), self.sending():
            run_worker()
        self.assertEqual(self.smtp.messages, [])
        with self.on_day(days(70)), self.sending():
            run_worker()
        self.assertEqual(self.reminded(), ["hank@globex.test"])  # the moved date's own

    def test_nothing_is_sent_when_reminders_are_off(self) -> None:
        settings = PortalSettings.objects.get(organization=self.org_a)
        update_portal_settings(portal_settings=settings, changes={"support_reminder_days": 0})
        self.set_until(self.customer_a1, days(3))
        self.assertEqual(self.waiting(), [])
        self.assertEqual(self.smtp.messages, [])

    def test_turning_reminders_off_cancels_those_waiting(self) -> None:
        self.set_until(self.customer_a1, days(40))
        settings = PortalSettings.objects.get(organization=self.org_a)
        with self.sending():
            update_portal_settings(portal_settings=settings,
                                   changes={"support_reminder_days": 0})
        with self.on_day(days(10)), self.sending():
            run_worker()
        self.assertEqual(self.smtp.messages, [])

    def test_changing_the_days_reminds_the_customers_now_inside_the_window(self) -> None:
        self.set_until(self.customer_a1, days(40))
        customer_b = create_customer(organization=self.org_b, short_name="B",
                                     email="b@other.test", support_until=days(40))
        settings = PortalSettings.objects.get(organization=self.org_a)
        with self.sending():
            update_portal_settings(portal_settings=settings,
                                   changes={"support_reminder_days": 60})
        self.assertEqual(self.reminded(), ["peter@initech.test"])
        customer_b.refresh_from_db()
        self.assertIsNone(customer_b.support_reminded_for)  # another organization's

    def test_a_customer_without_portal_users_is_reminded_at_its_own_address(self) -> None:
        PortalUser.objects.filter(customer=self.customer_a2).delete()
        PortalSettings.objects.filter(organization=self.org_a).update(public_form_enabled=True)
        self.set_until(self.customer_a2, days(1))
        [message] = self.smtp.to("office@globex.test")
        text = text_of(message)
        self.assertIn(reverse("portal:support_form", args=[self.org_a.slug]), text)
        self.assertNotIn("/link/", text)

    def test_a_customer_kept_out_of_the_portal_gets_no_portal_link(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(
            portal_for=PortalFor.SELECTED)
        CustomerAccess.objects.create(organization=self.org_a, customer=self.customer_a1,
                                      allowed=False)
        self.set_until(self.customer_a1, days(2))
        [message] = self.smtp.to("peter@initech.test")
        self.assertNotIn("/link/", text_of(message))
        self.assertIn(self.customer_a1.short_name, text_of(message))

    def test_a_support_date_in_the_past_sends_nothing(self) -> None:
        self.set_until(self.customer_a1, days(-1))
        self.assertEqual(self.smtp.messages, [])


class SupportReminderSettingTests(FrontdeskTestCase):
    url = "/app/acme-support/settings/portal/"

    def test_an_admin_sets_the_days_and_bad_input_changes_nothing(self) -> None:
        self.login_staff(self.admin_a)
        self.client.post(self.url, {"support_reminder_days": "0"})
        settings = PortalSettings.objects.get(organization=self.org_a)
        self.assertEqual(settings.support_reminder_days, 0)
        response = self.client.post(self.url, {"support_reminder_days": "-3"})
        self.assertEqual(response.status_code, 200)
        settings.refresh_from_db()
        self.assertEqual(settings.support_reminder_days, 0)
        self.assertEqual(PortalSettings.objects.get(organization=self.org_b)
                         .support_reminder_days, 30)
