"""The staff side of the portal: its links, switches and branding (SPEC P1, P2, P13)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.lib.jinja import absolute_url
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.portal.models import PortalSettings
from frontdesk.portal.services import PORTAL_SETTINGS_FIELDS, update_portal_settings
from frontdesk.portal.settings_forms import PortalSettingsForm
from frontdesk.support.models import Topic


@require_http_methods(["GET", "POST"])
@staff_view(admin_only=True)
def portal_settings(request: StaffRequest) -> HttpResponse:
    current = PortalSettings.objects.get(organization=request.org)
    form = PortalSettingsForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        update_portal_settings(
            portal_settings=PortalSettings.objects.get(organization=request.org),
            changes={name: form.cleaned_data[name] for name in PORTAL_SETTINGS_FIELDS
                     if name in form.changed_data})
        messages.success(request, _("Portal settings saved."))
        return redirect("portal_settings:settings", request.org.slug)
    return render(request, "portal/settings.html", {
        "form": form,
        "portal_link": absolute_url("portal:home", request.org.slug),
        "form_link": absolute_url("portal:support_form", request.org.slug),
        "topics": Topic.objects.for_org(request.org).select_related("group")
                  .prefetch_related("assignees"),
    })
