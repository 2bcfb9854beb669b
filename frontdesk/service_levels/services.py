"""Actions on service levels (SPEC X8): the business hours and the targets. Requests made
afterwards follow them; the open requests a change concerns have their due moments moved by
the worker (service_levels.retarget), queued by the action when something really changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.organizations.models import Organization
from frontdesk.service_levels import retarget
from frontdesk.service_levels.business_time import MIDNIGHT, Week
from frontdesk.service_levels.models import BusinessHours, ServiceTarget, week_to_json
from frontdesk.support.models import Priority, Topic

# Targets longer than a year of round-the-clock minutes are mistakes.
MAX_MINUTES = 366 * 24 * 60


def business_hours_of(organization: Organization) -> BusinessHours:
    """The organization's business hours: its row, or the defaults (not saved)."""
    found = BusinessHours.objects.filter(organization=organization).first()
    return found or BusinessHours(organization=organization)


@transaction.atomic
def save_business_hours(*, organization: Organization, time_zone: str, week: Week,
                        holidays: Sequence[tuple[dt.date, str]]) -> BusinessHours:
    """Set when the organization works (SPEC X8): its time zone, its week (per weekday, Monday
    first, the opening and closing time or None for a day off) and its holidays. Nothing
    changes on a bad value (ValidationError)."""
    if time_zone in {"localtime", "Factory"} or time_zone not in available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))
    if len(week) != 7:
        raise ValidationError(_("Give the hours of each of the seven days."))
    for day in week:
        if day is not None and day[1] <= day[0] and day[1] != MIDNIGHT:
            raise ValidationError(_("A day's closing time must be after its opening time."))
    if all(day is None for day in week):
        raise ValidationError(_("Open on at least one day of the week."))
    dates = sorted({day: name.strip()[:100] for day, name in holidays}.items())
    week_json = week_to_json(week)
    before = business_hours_of(organization)
    hours, _created = BusinessHours.objects.update_or_create(
        organization=organization,
        defaults={"time_zone": time_zone, "week": week_json,
                  "holidays": [[day.isoformat(), name] for day, name in dates]})
    # The names of holidays do not move a due moment; their dates and the hours do.
    if (before.time_zone, before.week, [day for day, _name in before.holidays]) != (
            time_zone, week_json, [day.isoformat() for day, _name in dates]):
        retarget.start(organization=organization)
    return hours


def _check_minutes(minutes: int | None) -> None:
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise ValidationError(_("A target must be more than zero and at most a year."))


@transaction.atomic
def save_target(*, organization: Organization, topic: Topic | None, priority: Priority,
                first_response_minutes: int | None, resolution_minutes: int | None
                ) -> ServiceTarget:
    """Set the target of requests of `priority` and `topic` (None: any topic without its
    own), replacing the one there was: within how many business minutes they get a first
    visible answer and are resolved; at least one of the two."""
    if topic is not None and topic.organization_id != organization.pk:
        raise ValidationError(_("Choose a topic of this organization."))
    if first_response_minutes is None and resolution_minutes is None:
        raise ValidationError(_("Give a first response time, a resolution time, or both."))
    _check_minutes(first_response_minutes)
    _check_minutes(resolution_minutes)
    if (first_response_minutes is not None and resolution_minutes is not None
            and resolution_minutes < first_response_minutes):
        raise ValidationError(
            _("The resolution time cannot be shorter than the first response time."))
    minutes = {"first_response_minutes": first_response_minutes,
               "resolution_minutes": resolution_minutes}
    target = (ServiceTarget.objects.for_org(organization).select_for_update()
              .filter(topic=topic, priority=priority).first())
    if target is None:
        target = ServiceTarget.objects.create(organization=organization, topic=topic,
                                              priority=priority, **minutes)
    elif {name: getattr(target, name) for name in minutes} != minutes:
        for name, value in minutes.items():
            setattr(target, name, value)
        target.save(update_fields=list(minutes))
    else:
        return target  # the same again: no due moment moves
    retarget.start(organization=organization, topic_id=target.topic_id, priority=priority)
    return target


@transaction.atomic
def delete_target(*, target: ServiceTarget) -> None:
    """Remove a target; the open requests it applied to have their due moments moved (to
    the target for any topic, or none)."""
    target.delete()
    retarget.start(organization=target.organization_id, topic_id=target.topic_id,
                   priority=target.priority)
