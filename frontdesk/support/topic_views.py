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
from frontdesk.support.models import AssignmentMode, Topic
from frontdesk.support.topic_forms import (
    TopicForm,
    field_formset,
    field_formset_initial,
)
from frontdesk.support.topics import delete_topic, save_topic


@require_http_methods(["GET", "POST"])
@staff_view(admin_only=True)
def topic_form(request: StaffRequest, topic_id: int | None = None) -> HttpResponse:
    topic = get_for_org(Topic.objects.all(), request.org, pk=topic_id) if topic_id else None
    initial = ({"name": topic.name, "group": topic.group_id,
                "assignees": list(topic.assignees.values_list("pk", flat=True)),
                "to_customer_managers": topic.to_customer_managers,
                "assignment": topic.assignment}
               if topic else None)
    form = TopicForm(request.POST or None, initial=initial, organization=request.org)
    # The fields of the topic's form (SPEC T3): one box per field and one empty to add
    # another; moved by their positions, removed by a tick (no script needed).
    field_forms = field_formset(request.POST or None,
                                field_formset_initial(topic.form_fields) if topic else None)
    # A post without the fields' boxes (not from this page) leaves the topic's form as it is.
    with_fields = "fields-TOTAL_FORMS" in request.POST
    if (request.method == "POST" and form.is_valid()
            and (not with_fields or field_forms.is_valid())):
        try:
            save_topic(organization=request.org, topic=topic, name=form.cleaned_data["name"],
                       group=form.cleaned_data["group"],
                       assignees=form.cleaned_data["assignees"],
                       to_customer_managers=form.cleaned_data["to_customer_managers"],
                       assignment=(AssignmentMode(form.cleaned_data["assignment"])
                                   if form.cleaned_data["assignment"] else None),
                       form_fields=field_forms.definitions() if with_fields else None)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Topic saved."))
            return redirect("portal_settings:settings", request.org.slug)
    return render(request, "support/topic_form.html",
                  {"form": form, "field_forms": field_forms, "topic": topic})


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
