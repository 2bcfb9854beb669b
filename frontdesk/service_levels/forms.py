"""The service-level settings' forms (SPEC X8)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.service_levels.business_time import MIDNIGHT, Week
from frontdesk.service_levels.models import BusinessHours, week_from_json
from frontdesk.service_levels.services import MAX_MINUTES
from frontdesk.support.models import Priority, Topic

MAX_HOLIDAYS = 200


def time_zone_names() -> list[str]:
    """The IANA zones to choose from (not the system's "localtime" link or "Factory")."""
    return sorted(available_timezones() - {"localtime", "Factory"})


def _time_zones() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


class BusinessHoursForm(forms.Form):
    """The time zone, a pair of times per weekday (both empty: a day off) and the holidays,
    one a line."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)
    holidays = forms.CharField(
        label=_("Holidays"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One a line: the date as YYYY-MM-DD, then a name if you like, e.g. "
                    "“2026-12-25 Christmas”. The clock stops on these days."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, name in WEEKDAYS.items():
            self.fields[f"opens_{number}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": name}, required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
            self.fields[f"closes_{number}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": name}, required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    @classmethod
    def initial_of(cls, hours: BusinessHours) -> dict[str, Any]:
        initial: dict[str, Any] = {"time_zone": hours.time_zone, "holidays": "\n".join(
            f"{day} {name}".strip() for day, name in hours.holidays)}
        for number, day in enumerate(week_from_json(hours.week)):
            if day is not None:
                initial[f"opens_{number}"], initial[f"closes_{number}"] = day
        return initial

    def day_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(name), self[f"opens_{number}"], self[f"closes_{number}"])
                for number, name in WEEKDAYS.items()]

    def clean_holidays(self) -> list[tuple[dt.date, str]]:
        holidays = []
        for line in self.cleaned_data["holidays"].splitlines():
            if not line.strip():
                continue
            date_text, _space, name = line.strip().partition(" ")
            try:
                day = dt.date.fromisoformat(date_text)
            except ValueError:
                raise forms.ValidationError(
                    gettext("“%(line)s” does not start with a date written as YYYY-MM-DD.")
                    % {"line": line.strip()[:40]}) from None
            holidays.append((day, name.strip()))
        if len(holidays) > MAX_HOLIDAYS:
            raise forms.ValidationError(gettext("At most %(count)d holidays.")
                                        % {"count": MAX_HOLIDAYS})
        return holidays

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        week: list[tuple[dt.time, dt.time] | None] = []
        for number, name in WEEKDAYS.items():
            opens, closes = cleaned.get(f"opens_{number}"), cleaned.get(f"closes_{number}")
            failed = f"opens_{number}" in self.errors or f"closes_{number}" in self.errors
            if failed or (opens is None and closes is None):
                week.append(None)
            elif opens is None or closes is None:
                self.add_error(f"opens_{number}", gettext(
                    "Give both times for %(day)s, or neither for a day off.") % {"day": name})
                week.append(None)
            elif closes <= opens and closes != MIDNIGHT:
                self.add_error(f"closes_{number}", gettext(
                    "On %(day)s the closing time must be after the opening time.")
                    % {"day": name})
                week.append(None)
            else:
                week.append((opens, closes))
        if not self.errors and all(day is None for day in week):
            raise forms.ValidationError(gettext("Open on at least one day of the week."))
        cleaned["week"] = tuple(week)
        return cleaned

    def week(self) -> Week:
        week: Week = self.cleaned_data["week"]
        return week


class Unit(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(1, _("minutes")), (60, _("hours"))], coerce=int,
                         initial=60, **kwargs)


class TargetForm(forms.Form):
    """A target: for a topic (or any topic) and a priority, the first response and the
    resolution times in business minutes or hours."""

    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(),
                                   required=False, empty_label=_("Any topic"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.NORMAL)
    first_response = forms.IntegerField(label=_("First response within"), required=False,
                                        min_value=1, max_value=MAX_MINUTES)
    first_response_unit = Unit(label=_("Unit of the first response time"))
    resolution = forms.IntegerField(label=_("Resolved within"), required=False, min_value=1,
                                    max_value=MAX_MINUTES)
    resolution_unit = Unit(label=_("Unit of the resolution time"))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ModelChoiceField)
        topic_field.queryset = Topic.objects.for_org(organization)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("first_response", "resolution"):
            amount, unit = cleaned.get(name), cleaned.get(f"{name}_unit")
            cleaned[f"{name}_minutes"] = (amount * unit if amount is not None and unit
                                          else None)
        if (not self.errors and cleaned["first_response_minutes"] is None
                and cleaned["resolution_minutes"] is None):
            raise forms.ValidationError(
                gettext("Give a first response time, a resolution time, or both."))
        return cleaned
