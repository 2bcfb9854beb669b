"""Support topics (SPEC T3), set up from the portal settings page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.models import Topic
from frontdesk.support.services import delete_topic, save_topic
from frontdesk.support.topic_forms import TopicForm


@require_http_methods(["GET", "POST"])
@staff_view(admin_only=True)
def topic_form(request: StaffRequest, topic_id: int | None = None) -> HttpResponse:
    topic = get_for_org(Topic.objects.all(), request.org, pk=topic_id) if topic_id else None
    initial = ({"name": topic.name, "group": topic.group_id,
                "assignees": list(topic.assignees.values_list("pk", flat=True)),
                "to_customer_managers": topic.to_customer_managers}
               if topic else None)
    form = TopicForm(request.POST or None, initial=initial, organization=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            save_topic(organization=request.org, topic=topic, name=form.cleaned_data["name"],
                       group=form.cleaned_data["group"],
                       assignees=form.cleaned_data["assignees"],
                       to_customer_managers=form.cleaned_data["to_customer_managers"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Topic saved."))
            return redirect("portal_settings:settings", request.org.slug)
    return render(request, "support/topic_form.html", {"form": form, "topic": topic})


@require_POST
@staff_view(admin_only=True)
def topic_delete(request: StaffRequest, topic_id: int) -> HttpResponse:
    topic = get_for_org(Topic.objects.all(), request.org, pk=topic_id)
    try:
        delete_topic(topic=topic)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Topic deleted."))
    return redirect("portal_settings:settings", request.org.slug)
