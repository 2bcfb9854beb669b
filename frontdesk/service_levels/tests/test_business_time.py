"""Business-time arithmetic (SPEC X8): nights, weekends, holidays, time zones and DST."""

from __future__ import annotations

import datetime as dt
from unittest import TestCase
from zoneinfo import ZoneInfo

from frontdesk.service_levels.business_time import (
    DEFAULT_WEEK,
    Calendar,
    add_business_minutes,
    business_minutes_between,
)

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, *,
       zone: ZoneInfo = WARSAW) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


NINE_TO_FIVE = Calendar(time_zone=WARSAW)  # Monday to Friday, 09:00-17:00


class AddBusinessMinutesTests(TestCase):
    def assertMoment(self, got: dt.datetime | None, expected: dt.datetime) -> None:
        self.assertIsNotNone(got)
        assert got is not None
        self.assertEqual(got, expected)
        self.assertEqual(got.utcoffset(), dt.timedelta(0))  # answered in UTC

    def test_it_counts_within_one_working_day(self) -> None:
        # Wednesday 2026-11-25, 10:00 in Warsaw.
        self.assertMoment(add_business_minutes(at(2026, 11, 25, 10), 90, NINE_TO_FIVE),
                          at(2026, 11, 25, 11, 30))

    def test_the_night_does_not_count(self) -> None:
        # 16:00 + 2 hours: one hour today, one tomorrow from 09:00.
        self.assertMoment(add_business_minutes(at(2026, 11, 25, 16), 120, NINE_TO_FIVE),
                          at(2026, 11, 26, 10))

    def test_a_start_at_night_counts_from_the_next_opening(self) -> None:
        self.assertMoment(add_business_minutes(at(2026, 11, 25, 22, 15), 30, NINE_TO_FIVE),
                          at(2026, 11, 26, 9, 30))
        self.assertMoment(add_business_minutes(at(2026, 11, 26, 6), 30, NINE_TO_FIVE),
                          at(2026, 11, 26, 9, 30))

    def test_the_weekend_does_not_count(self) -> None:
        # Friday 2026-11-27 16:30 + 1 hour: Monday 09:30.
        self.assertMoment(add_business_minutes(at(2026, 11, 27, 16, 30), 60, NINE_TO_FIVE),
                          at(2026, 11, 30, 9, 30))
        # Made on Saturday: counted from Monday's opening.
        self.assertMoment(add_business_minutes(at(2026, 11, 28, 12), 8 * 60, NINE_TO_FIVE),
                          at(2026, 11, 30, 17))

    def test_a_target_ending_at_the_closing_ends_then(self) -> None:
        self.assertMoment(add_business_minutes(at(2026, 11, 25, 9), 8 * 60, NINE_TO_FIVE),
                          at(2026, 11, 25, 17))

    def test_holidays_do_not_count(self) -> None:
        christmas = Calendar(time_zone=WARSAW, holidays=frozenset(
            {dt.date(2026, 12, 24), dt.date(2026, 12, 25)}))
        # Wednesday 23rd 16:00 + 2 h: Thursday and Friday are holidays, then the weekend.
        self.assertMoment(add_business_minutes(at(2026, 12, 23, 16), 120, christmas),
                          at(2026, 12, 28, 10))

    def test_several_days_of_work(self) -> None:
        # 3 working days of 8 hours from Monday 09:00: Wednesday 17:00.
        self.assertMoment(add_business_minutes(at(2026, 11, 30, 9), 3 * 8 * 60, NINE_TO_FIVE),
                          at(2026, 12, 2, 17))

    def test_the_start_may_be_given_in_any_zone(self) -> None:
        # 08:30 UTC is 09:30 in Warsaw in winter.
        self.assertMoment(add_business_minutes(at(2026, 11, 25, 8, 30, zone=ZoneInfo("UTC")),
                                               30, NINE_TO_FIVE),
                          at(2026, 11, 25, 10))

    def test_the_organizations_time_zone_decides_the_hours(self) -> None:
        new_york = Calendar(time_zone=ZoneInfo("America/New_York"))
        # 15:00 UTC is 10:00 in New York (winter): +1 h is 11:00 there, 16:00 UTC.
        got = add_business_minutes(dt.datetime(2026, 11, 25, 15, tzinfo=UTC), 60, new_york)
        self.assertMoment(got, dt.datetime(2026, 11, 25, 16, tzinfo=UTC))

    def test_a_change_to_summer_time_overnight_keeps_the_wall_clock_hours(self) -> None:
        # Warsaw moves its clocks on Sunday 2026-03-29 (UTC+1 → UTC+2). Friday 16:00 (15:00
        # UTC) + 2 h: one hour Friday, one Monday from 09:00 local, now 07:00 UTC.
        got = add_business_minutes(at(2026, 3, 27, 16), 120, NINE_TO_FIVE)
        self.assertMoment(got, dt.datetime(2026, 3, 30, 8, tzinfo=UTC))
        self.assertEqual(got.astimezone(WARSAW).hour, 10)  # type: ignore[union-attr]

    def test_a_round_the_clock_day_across_the_change_to_summer_time_is_23_hours(self) -> None:
        always = Calendar(time_zone=WARSAW, week=((dt.time(0), dt.time(0)),) * 7)
        # Saturday 2026-03-28 12:00 local (11:00 UTC) + 24 hours of real time: the night the
        # clocks go forward has one hour less, so it ends at 13:00 local on Sunday.
        got = add_business_minutes(at(2026, 3, 28, 12), 24 * 60, always)
        self.assertMoment(got, dt.datetime(2026, 3, 29, 11, tzinfo=UTC))
        self.assertEqual(got.astimezone(WARSAW).hour, 13)  # type: ignore[union-attr]

    def test_a_day_with_the_change_to_winter_time_has_an_hour_more(self) -> None:
        # Clocks go back on Sunday 2026-10-25 at 03:00 → 02:00; open 00:00-06:00 that day
        # is seven real hours.
        night = Calendar(time_zone=WARSAW, week=(None,) * 6 + ((dt.time(0), dt.time(6)),))
        got = add_business_minutes(at(2026, 10, 24, 12), 7 * 60, night)
        self.assertMoment(got, at(2026, 10, 25, 6))
        self.assertEqual(got, dt.datetime(2026, 10, 25, 5, tzinfo=UTC))

    def test_zero_minutes_is_the_next_open_moment(self) -> None:
        self.assertMoment(add_business_minutes(at(2026, 11, 28, 12), 0, NINE_TO_FIVE),
                          at(2026, 11, 30, 9))
        self.assertMoment(add_business_minutes(at(2026, 11, 25, 12), 0, NINE_TO_FIVE),
                          at(2026, 11, 25, 12))

    def test_a_calendar_never_open_gives_no_moment(self) -> None:
        closed = Calendar(time_zone=WARSAW, week=(None,) * 7)
        self.assertIsNone(add_business_minutes(at(2026, 11, 25, 12), 60, closed))

    def test_it_refuses_a_naive_start_or_negative_minutes(self) -> None:
        with self.assertRaises(ValueError):
            add_business_minutes(dt.datetime(2026, 11, 25, 12), 60, NINE_TO_FIVE)
        with self.assertRaises(ValueError):
            add_business_minutes(at(2026, 11, 25, 12), -1, NINE_TO_FIVE)

    def test_the_default_week_is_monday_to_friday(self) -> None:
        self.assertEqual([day is not None for day in DEFAULT_WEEK], [True] * 5 + [False] * 2)


class BusinessMinutesBetweenTests(TestCase):
    def test_only_open_time_counts(self) -> None:
        # Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        self.assertEqual(business_minutes_between(at(2026, 11, 27, 16), at(2026, 11, 30, 10),
                                                  NINE_TO_FIVE), 120)

    def test_within_a_day_and_at_night(self) -> None:
        self.assertEqual(business_minutes_between(at(2026, 11, 25, 10), at(2026, 11, 25, 10, 45),
                                                  NINE_TO_FIVE), 45)
        self.assertEqual(business_minutes_between(at(2026, 11, 25, 18), at(2026, 11, 26, 8),
                                                  NINE_TO_FIVE), 0)

    def test_holidays_and_an_end_before_the_start_count_nothing(self) -> None:
        christmas = Calendar(time_zone=WARSAW, holidays=frozenset({dt.date(2026, 12, 25)}))
        self.assertEqual(business_minutes_between(at(2026, 12, 25, 9), at(2026, 12, 25, 17),
                                                  christmas), 0)
        self.assertEqual(business_minutes_between(at(2026, 11, 25, 12), at(2026, 11, 25, 10),
                                                  NINE_TO_FIVE), 0)

    def test_it_undoes_adding(self) -> None:
        start = at(2026, 3, 27, 15, 20)  # across the change to summer time
        end = add_business_minutes(start, 1000, NINE_TO_FIVE)
        assert end is not None
        self.assertEqual(business_minutes_between(start, end, NINE_TO_FIVE), 1000)
