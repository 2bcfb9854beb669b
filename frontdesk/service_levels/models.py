"""Service levels (SPEC X8): an organization's business hours and its targets."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet
from frontdesk.service_levels.business_time import DEFAULT_WEEK, Calendar, Week
from frontdesk.support.models import Priority, Topic


def default_week() -> list[list[str] | None]:
    return week_to_json(DEFAULT_WEEK)


def default_time_zone() -> str:
    return str(settings.TIME_ZONE)


def week_to_json(week: Week) -> list[list[str] | None]:
    return [None if day is None else [day[0].strftime("%H:%M"), day[1].strftime("%H:%M")]
            for day in week]


def week_from_json(rows: Any) -> Week:
    days = tuple(None if day is None else (dt.time.fromisoformat(day[0]),
                                           dt.time.fromisoformat(day[1]))
                 for day in rows)
    return days  # type: ignore[return-value]


class BusinessHours(models.Model):
    """When the organization works, for its service-level targets: one row per organization
    (none: Monday to Friday, 09:00–17:00, in the server's time zone, no holidays).

    The week and the holidays are JSON in this row, not rows of their own: a new request's
    due moments are worked out from one statement (service_levels.queries.due_moments)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        related_name="business_hours")
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    # Seven entries, Monday first: ["09:00", "17:00"], or null for a day off.
    week = models.JSONField(default=default_week)
    # [["2026-12-25", "Christmas"], …], by date.
    holidays = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"business hours of {self.organization_id}"

    def calendar(self) -> Calendar:
        return calendar_of(self.time_zone, self.week, self.holidays)


def calendar_of(time_zone: str | None, week: Any, holidays: Any) -> Calendar:
    """The Calendar of a BusinessHours row's values (all None: the organization has none)."""
    if time_zone is None:
        return Calendar(time_zone=ZoneInfo(default_time_zone()))
    return Calendar(time_zone=ZoneInfo(time_zone), week=week_from_json(week),
                    holidays=frozenset(dt.date.fromisoformat(day) for day, _name in holidays))


class ServiceTarget(models.Model):
    """How soon requests of a priority, of one topic or of any topic (topic None), get a
    first visible answer and are resolved, in business minutes. A topic's own target wins
    over the one for any topic."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # service_target_any_topic leads with it
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("topic"),
                              db_index=False)  # service_target_topic leads with it
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)

    objects = OrgQuerySet["ServiceTarget"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "priority"], name="service_target_topic",
                                    condition=Q(topic__isnull=False)),
            models.UniqueConstraint(fields=["organization", "priority"],
                                    name="service_target_any_topic",
                                    condition=Q(topic__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.priority} target of {self.organization_id}"


class DueDateUpdate(models.Model):
    """The worker's recomputing of the due moments of open requests after a target was saved
    or removed, or the business hours changed (service_levels.retarget), with how far it got
    for the settings page.

    Its scope: the requests of one topic and priority (`topic` and `priority`), those of a
    priority under the target for any topic (`priority` only), or every open request of the
    organization (neither). The due moments are worked out from the settings read when each
    batch runs, so of two changes made quickly the later one's settings win."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        WORKING = "working", _("In progress")
        DONE = "done", _("Done")
        # A later change covers its requests: that one's update does the work.
        SUPERSEDED = "superseded", _("Replaced by a later change")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # due_update_org_id leads with it
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", db_index=False)  # few rows; deleted by topic
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The keyset: the last request done, and the newest one there was when the work began
    # (requests made later got their due moments from the new settings already).
    last_task_id = models.BigIntegerField(default=0)
    up_to_task_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["DueDateUpdate"].as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "-id"], name="due_update_org_id")]

    def __str__(self) -> str:
        return f"due-date update {self.pk} of {self.organization_id}: {self.state}"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.WORKING)

    @property
    def percent(self) -> int | None:
        if self.state != self.State.WORKING or not self.rows_total:
            return None
        return min(100, 100 * self.rows_done // self.rows_total)
