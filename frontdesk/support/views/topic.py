"""The topic of a request: staff move it to another topic, and its service levels follow
(SPEC X8)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.models import Organization
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support import services
from frontdesk.support.models import Task, Topic


class TopicChoiceForm(forms.Form):
    topic = forms.ModelChoiceField(label=gettext_lazy("Topic"), queryset=Topic.objects.none(),
                                   help_text=gettext_lazy(
                                       "The request's due moments are worked out again for "
                                       "the topic's service levels. Its group and assignees "
                                       "stay as they are."))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Topic.objects.for_org(organization)


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def request_topic(request: StaffRequest, task_id: int) -> HttpResponse:
    task = get_for_org(Task.objects.all(), request.org, pk=task_id)
    form = TopicChoiceForm(request.POST or None, initial={"topic": task.topic_id},
                           organization=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_topic(task=task, topic=form.cleaned_data["topic"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Topic changed."))
            return redirect("support:request_detail", request.org.slug, task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "support/request_topic.html", {"task": task, "form": form},
                  status=status)
