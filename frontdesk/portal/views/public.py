"""The public support form (SPEC P2, P3): anyone may open a request, no account needed."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frontdesk.core.ratelimit import allow, allow_all, client_ip
from frontdesk.core.views import too_many_requests
from frontdesk.portal import services
from frontdesk.portal.access import PortalRequest, portal_view
from frontdesk.portal.forms import PublicRequestForm
from frontdesk.portal.models import PortalSettings


@require_http_methods(["GET", "POST"])
@portal_view(signed_in=False)
def support_form(request: PortalRequest) -> HttpResponse:
    if not request.portal_settings.public_form_enabled:
        return render(request, "portal/support_form_off.html")
    form = PublicRequestForm(request.POST or None, request.FILES or None,
                             organization=request.org)
    if request.method == "POST":
        if form.is_spam():
            # Look like success to the bot; create nothing.
            return redirect("portal:support_thanks", request.org.slug)
        # Validation first, outside any transaction. An invalid submission counts against
        # the address too; a valid one is counted (address and e-mail) at the start of its
        # write transaction, which then holds nothing but the request's inserts.
        if not form.is_valid():
            with transaction.atomic():
                if not allow(f"form-ip:{request.org.pk}:{client_ip(request)}",
                             limit=settings.FRONTDESK_FORM_LIMIT_PER_IP):
                    return too_many_requests(request)
        else:
            email = form.cleaned_data["email"].lower()
            limits = [(f"form-ip:{request.org.pk}:{client_ip(request)}",
                       settings.FRONTDESK_FORM_LIMIT_PER_IP),
                      (f"form-email:{request.org.pk}:{email}",
                       settings.FRONTDESK_FORM_LIMIT_PER_EMAIL)]
            try:
                task = services.submit_public_request(
                    organization=request.org, topic=form.chosen_topic(),
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"], email=email,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    files=form.cleaned_data["attachments"], answers=form.answers(),
                    admit=lambda: allow_all(limits),
                )
            except ValidationError as error:
                # The action checks the answers against the topic's form too: a refusal
                # there is shown, never a 500.
                form.add_error(None, error)
            else:
                if task is None:
                    return too_many_requests(request)
                return redirect("portal:support_thanks", request.org.slug)
    return render(request, "portal/support_form.html", {
        "form": form, "max_mb": settings.FRONTDESK_MAX_UPLOAD_MB,
        "max_files": settings.FRONTDESK_MAX_FILES_PER_POST,
    })


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def logo(request: PortalRequest) -> FileResponse:
    """The organization's logo, public like the portal's log-in page it appears on."""
    logo_file = request.portal_settings.logo
    if not logo_file:
        raise Http404
    response = FileResponse(logo_file.open("rb"),
                            content_type=mimetypes.guess_type(logo_file.name or "")[0]
                            or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def brand_css(request: PortalRequest) -> HttpResponse:
    """The organization's own style sheet (SPEC P13; portal/look.py says what it may hold).
    Its address carries its version, so browsers keep it until it changes."""
    found = (PortalSettings.objects.filter(pk=request.portal_settings.pk)
             .values_list("custom_css", flat=True).first())
    if not found:
        raise Http404
    response = HttpResponse(found, content_type="text/css; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = ("public, max-age=31536000, immutable"
                                 if request.GET.get("v") == request.portal_settings.css_version
                                 else "no-cache")
    return response


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def support_thanks(request: PortalRequest) -> HttpResponse:
    return render(request, "portal/support_thanks.html")
