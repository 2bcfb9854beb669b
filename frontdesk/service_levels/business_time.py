"""Business time (SPEC X8): "N business minutes after a moment", in an organization's week,
holidays and time zone. Pure: no database, no clock, so every case is tested alone.

Arithmetic is done in UTC, each day's opening and closing made from the local wall clock:
Python subtracts two aware datetimes of one zone by their wall clocks, which would be an
hour off across a change of daylight saving time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# Monday first (date.weekday()); None: closed that day.
Day = tuple[dt.time, dt.time] | None
Week = tuple[Day, Day, Day, Day, Day, Day, Day]

MIDNIGHT = dt.time(0)
NINE_TO_FIVE: Day = (dt.time(9), dt.time(17))
DEFAULT_WEEK: Week = (NINE_TO_FIVE,) * 5 + (None, None)

# However the holidays fall, no target looks further ahead than this (a week open one minute
# a year would otherwise walk for ever).
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Calendar:
    """When an organization works: its week (open and close wall-clock times per weekday,
    close after open, or close 00:00 for midnight at the day's end: 00:00–00:00 is the whole
    day), its holidays (closed all day) and its time zone."""

    time_zone: ZoneInfo
    week: Week = DEFAULT_WEEK
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_open_on(self, day: dt.date) -> bool:
        return self.week[day.weekday()] is not None and day not in self.holidays


def _utc(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    # A wall-clock time skipped by a change to summer time (02:30 on that night) reads as
    # if the change had not yet happened, i.e. one hour later in the new time: fold=0.
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


def _window(day: dt.date, hours: tuple[dt.time, dt.time], zone: ZoneInfo
            ) -> tuple[dt.datetime, dt.datetime]:
    """A working day's opening and closing, in UTC (a closing at 00:00: the day's end)."""
    closes = (_utc(day + dt.timedelta(days=1), MIDNIGHT, zone) if hours[1] == MIDNIGHT
              else _utc(day, hours[1], zone))
    return _utc(day, hours[0], zone), closes


def add_business_minutes(start: dt.datetime, minutes: int, calendar: Calendar
                         ) -> dt.datetime | None:
    """The moment `minutes` of the calendar's open time after `start` (aware), in UTC.

    Time outside the open hours (nights, closed weekdays, holidays) does not count: a start
    outside them counts from the next opening, and a target that ends exactly at a closing
    ends then (not at the next opening). None when the calendar is never open within
    MAX_DAYS (no open weekday, or all of them holidays)."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    zone = calendar.time_zone
    moment = start.astimezone(dt.UTC)
    remaining = dt.timedelta(minutes=minutes)
    day = moment.astimezone(zone).date()
    for _step in range(MAX_DAYS):
        hours = calendar.week[day.weekday()]
        if hours is not None and day not in calendar.holidays:
            opens, closes = _window(day, hours, zone)
            begin = max(moment, opens)
            if begin <= closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += dt.timedelta(days=1)
    return None


def business_minutes_between(start: dt.datetime, end: dt.datetime, calendar: Calendar) -> int:
    """The whole minutes of the calendar's open time between two aware moments (0 when `end`
    is not after `start`): how long a paused clock would have run."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes")
    zone = calendar.time_zone
    begin, finish = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    total = dt.timedelta(0)
    day = begin.astimezone(zone).date()
    last = finish.astimezone(zone).date()
    while day <= last:
        hours = calendar.week[day.weekday()]
        if hours is not None and day not in calendar.holidays:
            opens, closes = _window(day, hours, zone)
            overlap = min(closes, finish) - max(opens, begin)
            if overlap > dt.timedelta(0):
                total += overlap
        day += dt.timedelta(days=1)
    return int(total.total_seconds() // 60)
