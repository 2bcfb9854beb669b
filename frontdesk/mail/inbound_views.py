"""Incoming e-mail's pages (SPEC E2): the settings, the log of what arrived, and the webhook
that mail services post messages to."""

from __future__ import annotations

import base64
import binascii
import sys

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontdesk.lib.jinja import absolute_url
from frontdesk.lib.paging import keyset_page
from frontdesk.lib.tokens import hash_token
from frontdesk.mail.inbound import (
    RETRYABLE,
    inbound_settings_of,
    receive_message,
    regenerate_inbound_token,
    retry_message,
    update_inbound_settings,
)
from frontdesk.mail.inbound_forms import InboundSettingsForm
from frontdesk.mail.inbound_notes import note_lines
from frontdesk.mail.models import InboundMessage, InboundSettings
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org

PER_PAGE = 25
LOG_COLUMNS = ("id", "message_id", "from_address", "subject", "status", "reason", "notes", "error",
               "task_id", "received_at", "attempts", "raw")


@require_GET
@staff_view(Area.SUPPORT, Level.MANAGE)
def inbound_log(request: StaffRequest) -> HttpResponse:
    """The e-mails received, newest first (keyset pages over (organization, -id)). Their raw
    file is not read (only whether it is kept) nor its headers: the request each reached is
    linked by its id."""
    queryset = InboundMessage.objects.for_org(request.org).only(*LOG_COLUMNS)
    page = keyset_page(queryset, request, per_page=PER_PAGE)
    return render(request, "mail/inbound_log.html", {
        "page": page, "retryable": RETRYABLE, "keep_days": settings.FRONTDESK_INBOUND_KEEP_DAYS,
        "notes": {message.pk: note_lines(message.notes) for message in page.items},
        "reasons": dict(InboundMessage.Reason.choices),
    })


@require_POST
@staff_view(Area.SUPPORT, Level.MANAGE)
def inbound_retry(request: StaffRequest, inbound_id: int) -> HttpResponse:
    message = get_for_org(InboundMessage.objects.all(), request.org, pk=inbound_id)
    if retry_message(message=message):
        messages.success(request, _("The e-mail will be processed again in a moment."))
    elif not message.raw:
        messages.error(request, _("The e-mail itself was deleted: it cannot be processed "
                                  "again."))
    else:
        messages.error(request, _("This e-mail was processed already."))
    return redirect("mail_inbound:log", request.org.slug)


def _pipe_command(org_slug: str) -> str:
    manage = settings.BASE_DIR / "manage.py"
    return f"{sys.executable} {manage} receive_email --organization {org_slug}"


def _settings_page(request: StaffRequest, form: InboundSettingsForm, *, token: str = "",
                   status: int = 200) -> HttpResponse:
    inbound: InboundSettings = form.instance
    return render(request, "mail/inbound_settings.html", {
        "form": form, "inbound": inbound, "token": token,
        "pipe_command": _pipe_command(request.org.slug),
        "webhook_url": absolute_url("mail_inbound_receive", request.org.slug),
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Area.SUPPORT, Level.MANAGE)
def inbound_settings(request: StaffRequest) -> HttpResponse:
    inbound = inbound_settings_of(request.org)
    form = InboundSettingsForm(request.POST or None, instance=inbound, organization=request.org)
    if request.method == "POST":
        if not form.is_valid():
            return _settings_page(request, form, status=400)
        try:
            update_inbound_settings(organization=request.org,
                                    enabled=form.cleaned_data["enabled"],
                                    support_address=form.cleaned_data["support_address"],
                                    topic=form.cleaned_data["topic"])
        except ValidationError as error:
            form.add_error(None, error)
            return _settings_page(request, form, status=400)
        messages.success(request, _("E-mail settings saved."))
        return redirect("mail_inbound:settings", request.org.slug)
    return _settings_page(request, form)


@require_POST
@staff_view(Area.SUPPORT, Level.MANAGE)
def inbound_token(request: StaffRequest) -> HttpResponse:
    """A new webhook secret, shown on this response only (it is not kept)."""
    token = regenerate_inbound_token(organization=request.org)
    form = InboundSettingsForm(instance=inbound_settings_of(request.org),
                               organization=request.org)
    response = _settings_page(request, form, token=token)
    response["Cache-Control"] = "no-store"
    return response


# Compared when the organization has no secret (or does not exist), so that the answer takes
# the same time and says the same: 404.
_NO_SECRET = hash_token("no secret here")


def _token(request: HttpRequest) -> str:
    """The secret the caller sent: `Authorization: Bearer <token>`, or as the password of
    HTTP basic authentication (what mail services allow in a webhook's address)."""
    kind, _sep, value = request.headers.get("Authorization", "").strip().partition(" ")
    if kind.lower() == "bearer":
        return value.strip()
    if kind.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def _raw_message(request: HttpRequest, limit: int) -> bytes | None:
    """The posted message: the body itself (message/rfc822 or anything not a form), or the
    form's field or file named `email`, `message` or `body-mime` (SendGrid's and Mailgun's
    raw MIME). None if larger than `limit`."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name in ("email", "message", "body-mime"):
            upload = request.FILES.get(name)
            if upload is not None:
                return None if (upload.size or 0) > limit else upload.read()
            value = request.POST.get(name)
            if value:
                data = value.encode("utf-8", "surrogateescape")
                return None if len(data) > limit else data
        return b""
    data = request.read(limit + 1)
    return None if len(data) > limit else data


@csrf_exempt
@require_POST
def receive(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The inbound webhook (SPEC E2): a mail service posts one raw MIME message, with the
    organization's secret. An unknown organization, one without a secret, and a wrong or
    missing secret all get the same 404, after the same comparison."""
    inbound = (InboundSettings.objects.select_related("organization")
               .filter(organization__slug=org_slug).first())
    expected = inbound.token_hash if inbound is not None and inbound.token_hash else _NO_SECRET
    token = _token(request)
    matches = constant_time_compare(hash_token(token), expected)
    if inbound is None or not inbound.token_hash or not token or not matches:
        return HttpResponse(_("Not found."), status=404, content_type="text/plain")
    limit = settings.FRONTDESK_INBOUND_MAX_MB * 1024 * 1024
    length = request.headers.get("Content-Length", "")
    raw = None if length.isdigit() and int(length) > limit else _raw_message(request, limit)
    if raw is None:
        return HttpResponse(_("The message is larger than %(mb)s MB.")
                            % {"mb": settings.FRONTDESK_INBOUND_MAX_MB},
                            status=413, content_type="text/plain")
    try:
        received = receive_message(organization=inbound.organization, raw=raw)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    return JsonResponse({"id": received.message.pk, "duplicate": received.duplicate},
                        status=200 if received.duplicate else 202)
