"""Test helpers of service levels: a round-the-clock calendar, so that due moments are
simply the request's creation plus the target."""

from __future__ import annotations

import datetime as dt

from frontdesk.organizations.models import Organization
from frontdesk.service_levels.services import save_business_hours, save_target
from frontdesk.support.models import Priority, Task, Topic

ALWAYS = ((dt.time(0), dt.time(0)),) * 7


def round_the_clock(organization: Organization) -> None:
    save_business_hours(organization=organization, time_zone="UTC", week=ALWAYS,
                        holidays=[])


def target(organization: Organization, *, first: int | None = 60, resolution: int | None = 480,
           priority: Priority = Priority.NORMAL, topic: Topic | None = None) -> None:
    save_target(organization=organization, topic=topic, priority=priority,
                first_response_minutes=first, resolution_minutes=resolution)


def minutes_after_creation(task: Task, moment: dt.datetime | None) -> float:
    """How long after the request's creation `moment` is, in minutes (to a second)."""
    assert moment is not None
    return round((moment - task.created_at).total_seconds() / 60, 1)
