"""Reads of service levels (SPEC X8): a request's due moments."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from frontdesk.service_levels.business_time import add_business_minutes
from frontdesk.service_levels.models import ServiceTarget, calendar_of

# A due moment this close (or closer) is "at risk" on the staff pages.
AT_RISK = dt.timedelta(hours=1)


class Dues(NamedTuple):
    """When a request is due a first visible answer and a resolution (None: no target)."""

    first_response: dt.datetime | None = None
    resolution: dt.datetime | None = None


NO_DUES = Dues()


TARGET_COLUMNS = ("topic_id", "first_response_minutes", "resolution_minutes",
                  "organization__business_hours__time_zone",
                  "organization__business_hours__week",
                  "organization__business_hours__holidays")


def targets_for(organization_id: int, topic_id: Any, priority: str) -> QuerySet[Any, Any]:
    """The targets that may apply to a request of `topic_id` (an id, or an OuterRef to read
    them along with the topic) and `priority`: the topic's own and the one for any topic,
    each with the organization's business hours (TARGET_COLUMNS)."""
    return (ServiceTarget.objects.for_org(organization_id).filter(priority=priority)
            .filter(Q(topic_id=topic_id) | Q(topic__isnull=True)).order_by("pk"))


def _json_value(value: Any) -> Any:
    # Read along as JSON (JSONRows), a JSON column comes as its text on SQLite.
    return json.loads(value) if isinstance(value, str) else value


def due_moments(*, organization_id: int, topic_id: int | None, priority: str,
                start: dt.datetime, paused_minutes: int = 0,
                rows: list[list[Any]] | None = None) -> Dues:
    """The due moments of a request of `topic_id` and `priority` made at `start`: the topic's
    own target for the priority, else the one for any topic, counted in the organization's
    business time, `paused_minutes` (business minutes it waited for the customer) added.
    One statement: the targets with the business hours joined; none when `rows` are those
    rows read already (`targets_for` as JSONRows of TARGET_COLUMNS, read with the topic)."""
    if rows is None:
        rows = [list(row) for row in targets_for(organization_id, topic_id, priority)
                .values_list(*TARGET_COLUMNS)]
    if not rows:
        return NO_DUES
    # The topic's own row first (a topic's id is never None).
    row = min(rows, key=lambda row: row[0] is None)
    _topic, first_minutes, resolution_minutes, time_zone, week, holidays = row
    calendar = calendar_of(time_zone, _json_value(week), _json_value(holidays))
    return Dues(
        first_response=(None if first_minutes is None else add_business_minutes(
            start, first_minutes + paused_minutes, calendar)),
        resolution=(None if resolution_minutes is None else add_business_minutes(
            start, resolution_minutes + paused_minutes, calendar)))


def next_due(*, is_closed: bool, responded: bool, dues: Dues) -> dt.datetime | None:
    """The moment the request is due next (Task.next_due_at, the staff list's "breaching"
    view and marker): None when closed; the first response's until it is given (or the
    resolution's, when that comes first), then the resolution's."""
    if is_closed:
        return None
    pending = [moment for moment in (None if responded else dues.first_response,
                                     dues.resolution) if moment is not None]
    return min(pending, default=None)


def sla_state(next_due_at: dt.datetime | None, now: dt.datetime) -> str:
    """"breached", "at_risk" or "" for a request due next at `next_due_at`."""
    if next_due_at is None:
        return ""
    if next_due_at <= now:
        return "breached"
    return "at_risk" if next_due_at - now <= AT_RISK else ""


# A finished update stays on the settings page this long, to say it is done.
UPDATE_SHOWN_FOR = dt.timedelta(hours=1)


def updates_shown(organization_id: int, now: dt.datetime) -> list[Any]:
    """The due-date updates the settings page shows (service_levels.retarget): those waiting
    or running, else the latest if it finished within the hour (done or failed; one replaced
    by a later change never). One statement."""
    from frontdesk.service_levels.models import DueDateUpdate

    latest = list(DueDateUpdate.objects.for_org(organization_id).order_by("-id")
                  .exclude(state=DueDateUpdate.State.SUPERSEDED)[:5])
    running = [update for update in latest if update.is_running]
    if running:
        return running
    return [update for update in latest[:1] if update.finished_at is not None
            and now - update.finished_at <= UPDATE_SHOWN_FOR]
