"""The service-level settings page (SPEC X8): support managers set business hours and
targets; bad input is refused with a message; other staff get 403, another organization 404."""

from __future__ import annotations

from typing import Any

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Membership
from frontdesk.organizations.permissions import Level
from frontdesk.service_levels.models import BusinessHours, ServiceTarget
from frontdesk.support.models import Topic

PAGE = "/app/acme-support/settings/service-levels/"


def hours_data(**overrides: str) -> dict[str, str]:
    data = {"time_zone": "Europe/Warsaw", "holidays": "2026-12-25 Christmas\n2026-12-26"}
    for day in range(5):
        data[f"opens_{day}"], data[f"closes_{day}"] = "08:00", "16:00"
    for day in (5, 6):
        data[f"opens_{day}"], data[f"closes_{day}"] = "", ""
    data.update(overrides)
    return data


def target_data(**overrides: Any) -> dict[str, Any]:
    data = {"topic": "", "priority": "high", "first_response": "2", "first_response_unit": "60",
            "resolution": "30", "resolution_unit": "60"}
    data.update(overrides)
    return data


class SettingsPageTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login_staff(self.admin_a)

    def test_the_page_shows_the_defaults(self) -> None:
        response = self.client.get(PAGE)
        self.assertContains(response, "Monday to Friday, 09:00 to 17:00")
        self.assertContains(response, "No targets yet")
        self.assertContains(self.client.get("/app/acme-support/settings/"), PAGE)

    def test_an_admin_saves_the_business_hours(self) -> None:
        response = self.client.post(PAGE + "hours/", hours_data(opens_4="08:00",
                                                                 closes_4="13:00"))
        self.assertRedirects(response, PAGE)
        hours = BusinessHours.objects.get(organization=self.org_a)
        self.assertEqual(hours.time_zone, "Europe/Warsaw")
        self.assertEqual(hours.week, [["08:00", "16:00"]] * 4 + [["08:00", "13:00"], None, None])
        self.assertEqual(hours.holidays, [["2026-12-25", "Christmas"], ["2026-12-26", ""]])
        page = self.client.get(PAGE)
        self.assertContains(page, "2026-12-25 Christmas")
        self.assertContains(page, 'value="13:00"')

    def test_bad_hours_are_refused_with_a_message_and_nothing_changes(self) -> None:
        for data, message in [
            (hours_data(opens_0="17:00", closes_0="09:00"),
             "On Monday the closing time must be after the opening time."),
            (hours_data(opens_1="09:00", closes_1=""),
             "Give both times for Tuesday, or neither for a day off."),
            (hours_data(holidays="25.12.2026"),
             "“25.12.2026” does not start with a date written as YYYY-MM-DD."),
            (hours_data(time_zone="Mars/Olympus"), "Select a valid choice."),
            (hours_data(**{f"{kind}_{day}": "" for day in range(5)
                           for kind in ("opens", "closes")}),
             "Open on at least one day of the week."),
        ]:
            response = self.client.post(PAGE + "hours/", data)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(BusinessHours.objects.exists())

    def test_a_closing_time_of_midnight_is_the_days_end(self) -> None:
        response = self.client.post(PAGE + "hours/", hours_data(opens_5="00:00",
                                                                 closes_5="00:00"))
        self.assertRedirects(response, PAGE)
        self.assertEqual(BusinessHours.objects.get().week[5], ["00:00", "00:00"])

    def test_an_admin_adds_replaces_and_removes_a_target(self) -> None:
        self.assertRedirects(self.client.post(PAGE + "targets/", target_data()), PAGE)
        target = ServiceTarget.objects.get()
        self.assertEqual((target.topic_id, target.priority, target.first_response_minutes,
                          target.resolution_minutes), (None, "high", 120, 1800))
        self.assertContains(self.client.get(PAGE), "30 hours")
        # The same topic and priority again: replaced, not doubled.
        self.client.post(PAGE + "targets/", target_data(first_response="45",
                                                        first_response_unit="1"))
        target = ServiceTarget.objects.get()
        self.assertEqual(target.first_response_minutes, 45)
        topic = Topic.objects.for_org(self.org_a).get()
        self.client.post(PAGE + "targets/", target_data(topic=topic.pk))
        self.assertEqual(ServiceTarget.objects.count(), 2)
        response = self.client.post(PAGE + f"targets/{target.pk}/delete/")
        self.assertRedirects(response, PAGE)
        self.assertEqual(list(ServiceTarget.objects.values_list("topic_id", flat=True)),
                         [topic.pk])

    def test_bad_targets_are_refused_with_a_message_and_nothing_changes(self) -> None:
        other_topic = Topic.objects.for_org(self.org_b).get()
        for data, message in [
            (target_data(first_response="", resolution=""),
             "Give a first response time, a resolution time, or both."),
            (target_data(first_response="5", resolution="1"),
             "The resolution time cannot be shorter than the first response time."),
            (target_data(first_response="0"), "Ensure this value is greater than or equal to 1."),
            (target_data(first_response="soon"), "Enter a whole number."),
            (target_data(topic=other_topic.pk), "Select a valid choice."),
            (target_data(priority="whenever"), "Select a valid choice."),
            (target_data(resolution="99999", resolution_unit="60"),
             "A target must be more than zero and at most a year."),
        ]:
            response = self.client.post(PAGE + "targets/", data)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(ServiceTarget.objects.exists())


class SettingsPermissionTests(FrontdeskTestCase):
    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        target = ServiceTarget.objects.create(organization=self.org_a, priority="normal",
                                              resolution_minutes=60)
        self.assertEqual(self.client.get(PAGE).status_code, 404)
        self.assertEqual(self.client.post(PAGE + "hours/", hours_data()).status_code, 404)
        self.assertEqual(self.client.post(PAGE + "targets/", target_data()).status_code, 404)
        self.assertEqual(self.client.post(PAGE + f"targets/{target.pk}/delete/").status_code,
                         404)
        self.assertTrue(ServiceTarget.objects.filter(pk=target.pk).exists())
        self.assertFalse(BusinessHours.objects.exists())

    def test_an_admin_cannot_remove_another_organizations_target(self) -> None:
        self.login_staff(self.admin_a)
        target = ServiceTarget.objects.create(organization=self.org_b, priority="normal",
                                              resolution_minutes=60)
        response = self.client.post(PAGE + f"targets/{target.pk}/delete/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(ServiceTarget.objects.filter(pk=target.pk).exists())

    def test_staff_below_manage_in_support_get_403_and_change_nothing(self) -> None:
        for user in (self.agent_a, self.viewer_a):
            self.login_staff(user)
            self.assertEqual(self.client.get(PAGE).status_code, 403)
            self.assertEqual(self.client.post(PAGE + "hours/", hours_data()).status_code, 403)
            self.assertEqual(self.client.post(PAGE + "targets/", target_data()).status_code,
                             403)
        self.assertFalse(BusinessHours.objects.exists())
        self.assertFalse(ServiceTarget.objects.exists())

    def test_a_support_manager_who_is_not_admin_may_edit(self) -> None:
        Membership.objects.filter(user=self.agent_a).update(level_support=Level.MANAGE)
        self.login_staff(self.agent_a)
        self.assertRedirects(self.client.post(PAGE + "targets/", target_data()), PAGE)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
