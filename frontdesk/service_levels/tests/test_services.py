"""The service-level actions refuse bad values themselves (the API or a script may call them
without the page's form), changing nothing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.service_levels.business_time import DEFAULT_WEEK
from frontdesk.service_levels.models import BusinessHours, ServiceTarget
from frontdesk.service_levels.services import save_business_hours, save_target
from frontdesk.support.models import Priority, Topic

NINE = dt.time(9)


class ServiceActionTests(FrontdeskTestCase):
    def test_bad_business_hours_are_refused(self) -> None:
        for time_zone, week in [
            ("localtime", DEFAULT_WEEK),
            ("Nowhere/City", DEFAULT_WEEK),
            ("UTC", ((NINE, dt.time(8)), *DEFAULT_WEEK[1:])),
            ("UTC", (None,) * 7),
            ("UTC", DEFAULT_WEEK[:5]),
        ]:
            with self.assertRaises(ValidationError):
                save_business_hours(organization=self.org_a, time_zone=time_zone,
                                    week=week, holidays=[])  # type: ignore[arg-type]
        self.assertFalse(BusinessHours.objects.exists())

    def test_holidays_are_kept_once_each_in_date_order(self) -> None:
        hours = save_business_hours(organization=self.org_a, time_zone="UTC",
                                    week=DEFAULT_WEEK, holidays=[
                                        (dt.date(2026, 12, 26), "Boxing Day"),
                                        (dt.date(2026, 12, 25), "Xmas"),
                                        (dt.date(2026, 12, 25), " Christmas ")])
        self.assertEqual(hours.holidays, [["2026-12-25", "Christmas"],
                                          ["2026-12-26", "Boxing Day"]])
        self.assertEqual(hours.calendar().holidays,
                         frozenset({dt.date(2026, 12, 25), dt.date(2026, 12, 26)}))

    def test_bad_targets_are_refused(self) -> None:
        other_topic = Topic.objects.for_org(self.org_b).get()
        for topic, first, resolution in [(other_topic, 10, 20), (None, None, None),
                                         (None, 30, 20), (None, 0, 20),
                                         (None, 10, 10**7)]:
            with self.assertRaises(ValidationError):
                save_target(organization=self.org_a, topic=topic, priority=Priority.HIGH,
                            first_response_minutes=first, resolution_minutes=resolution)
        self.assertFalse(ServiceTarget.objects.exists())
