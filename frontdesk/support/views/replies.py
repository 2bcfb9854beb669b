"""Saved replies (SPEC X9): the organization's list, writing and deleting them, and choosing
one for a request (its text then fills the request's post form)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.customers.forms import show_action_errors
from frontdesk.organizations.access import StaffRequest, require, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.support.models import SavedReply, Task
from frontdesk.support.replies import PLACEHOLDERS, delete_reply, save_reply


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    body = forms.CharField(label=gettext_lazy("Text"), max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 6}))


def _page(request: StaffRequest, form: SavedReplyForm, reply: SavedReply | None) -> HttpResponse:
    return render(request, "support/saved_replies.html", {
        "replies": list(SavedReply.objects.for_org(request.org).only("pk", "title")),
        "form": form, "reply": reply, "placeholders": PLACEHOLDERS,
        "can_contribute": has_level(request.membership, Area.SUPPORT, Level.CONTRIBUTE),
        "can_delete": has_level(request.membership, Area.SUPPORT, Level.EDIT),
    }, status=400 if form.is_bound else 200)


def _save(request: StaffRequest, reply: SavedReply | None) -> HttpResponse:
    form = SavedReplyForm(request.POST if request.method == "POST" else None,
                          initial={"title": reply.title, "body": reply.body} if reply else None)
    if request.method == "POST":
        require(request, Area.SUPPORT, Level.CONTRIBUTE)
        if form.is_valid():
            try:
                save_reply(organization=request.org, title=form.cleaned_data["title"],
                           body=form.cleaned_data["body"], by=request.user, reply=reply)
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("Saved reply saved."))
                return redirect("support:saved_replies", request.org.slug)
    return _page(request, form, reply)


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.VIEW)
def saved_replies(request: StaffRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.VIEW)
def saved_reply_edit(request: StaffRequest, reply_id: int) -> HttpResponse:
    return _save(request, get_for_org(SavedReply.objects.all(), request.org, pk=reply_id))


@require_POST
@staff_view(Area.SUPPORT, Level.EDIT)
def saved_reply_delete(request: StaffRequest, reply_id: int) -> HttpResponse:
    delete_reply(reply=get_for_org(SavedReply.objects.all(), request.org, pk=reply_id))
    messages.success(request, _("Saved reply deleted."))
    return redirect("support:saved_replies", request.org.slug)


@require_http_methods(["GET"])
@staff_view(Area.SUPPORT, Level.CONTRIBUTE)
def choose_saved_reply(request: StaffRequest, task_id: int) -> HttpResponse:
    """The saved replies to choose from for this request; each opens the request with its
    text in the post form, placeholders filled."""
    task = get_for_org(Task.objects.all(), request.org, pk=task_id)
    return render(request, "support/choose_saved_reply.html", {
        "task": task, "replies": list(SavedReply.objects.for_org(request.org)),
        "detail_url": reverse("support:request_detail", args=[request.org.slug, task.pk])})
