"""The service-level settings page (SPEC X8): business hours and targets. Support managers
only (Manage level in support): others get 403, another organization's staff 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.service_levels import services
from frontdesk.service_levels.forms import BusinessHoursForm, TargetForm
from frontdesk.service_levels.models import ServiceTarget
from frontdesk.service_levels.queries import updates_shown
from frontdesk.support.models import Priority

manage = staff_view(Area.SUPPORT, Level.MANAGE)


def duration_text(minutes: int | None) -> str:
    """A target's time as the page writes it: "2 hours 30 minutes", "—" for none."""
    if minutes is None:
        return "—"
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts)


def _page(request: StaffRequest, *, hours_form: BusinessHoursForm | None = None,
          target_form: TargetForm | None = None, status: int = 200) -> HttpResponse:
    hours = services.business_hours_of(request.org)
    targets = (ServiceTarget.objects.for_org(request.org).select_related("topic")
               .order_by("topic__position", "topic_id", "priority"))
    context: dict[str, Any] = {
        "hours_form": hours_form or BusinessHoursForm(
            initial=BusinessHoursForm.initial_of(hours)),
        "target_form": target_form or TargetForm(organization=request.org),
        "targets": [(target, duration_text(target.first_response_minutes),
                     duration_text(target.resolution_minutes)) for target in targets],
        "hours_saved": hours.pk is not None,
        "priority_labels": dict(Priority.choices),
        "due_updates": updates_shown(request.org.pk, timezone.now()),
    }
    return render(request, "service_levels/settings.html", context, status=status)


@require_http_methods(["GET"])
@manage
def due_updates(request: StaffRequest) -> HttpResponse:
    """How far the updates of the open requests' due moments got: the settings page's card
    alone, which the page's script asks for again while one is running."""
    return render(request, "service_levels/_due_updates.html",
                  {"due_updates": updates_shown(request.org.pk, timezone.now())})


@require_http_methods(["GET"])
@manage
def service_levels(request: StaffRequest) -> HttpResponse:
    return _page(request)


@require_POST
@manage
def business_hours(request: StaffRequest) -> HttpResponse:
    form = BusinessHoursForm(request.POST)
    if form.is_valid():
        try:
            services.save_business_hours(
                organization=request.org, time_zone=form.cleaned_data["time_zone"],
                week=form.week(), holidays=form.cleaned_data["holidays"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Business hours saved."))
            return redirect("service_levels:settings", request.org.slug)
    return _page(request, hours_form=form, status=400)


@require_POST
@manage
def save_target(request: StaffRequest) -> HttpResponse:
    form = TargetForm(request.POST, organization=request.org)
    if form.is_valid():
        try:
            services.save_target(
                organization=request.org, topic=form.cleaned_data["topic"],
                priority=Priority(form.cleaned_data["priority"]),
                first_response_minutes=form.cleaned_data["first_response_minutes"],
                resolution_minutes=form.cleaned_data["resolution_minutes"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("service_levels:settings", request.org.slug)
    return _page(request, target_form=form, status=400)


@require_POST
@manage
def delete_target(request: StaffRequest, target_id: int) -> HttpResponse:
    services.delete_target(
        target=get_for_org(ServiceTarget.objects.all(), request.org, pk=target_id))
    messages.success(request, _("Target removed."))
    return redirect("service_levels:settings", request.org.slug)
