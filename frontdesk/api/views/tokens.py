"""Settings → API tokens: each staff member's own tokens (SPEC X1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.api.forms import TokenForm
from frontdesk.api.models import ApiToken
from frontdesk.api.services import create_api_token, revoke_api_token
from frontdesk.customers.forms import show_action_errors
from frontdesk.organizations.access import StaffRequest, staff_view


def _own_tokens(request: StaffRequest) -> list[ApiToken]:
    # A member sees and revokes only their own tokens (scoped by their membership).
    return list(ApiToken.objects.filter(membership=request.membership).order_by("-id"))


# The new token between the POST that made it and the page that shows it once.
SHOWN_ONCE = "api_token_shown_once"


@require_http_methods(["GET", "POST"])
@staff_view()
def token_list(request: StaffRequest) -> HttpResponse:
    """The member's tokens; a new one is shown once, on the page the making redirects to
    (kept in the session until that page is read: reloading it shows the token no more and
    makes no other). A token has the member's own permissions: any member may make one."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = create_api_token(membership=request.membership,
                                           name=form.cleaned_data["name"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            request.session[SHOWN_ONCE] = [request.org.pk, raw]
            return redirect("api_settings:tokens", request.org.slug)
    shown = request.session.pop(SHOWN_ONCE, None) if request.method == "GET" else None
    created: str | None = shown[1] if shown and shown[0] == request.org.pk else None
    response = render(request, "api/tokens.html", {
        "tokens": _own_tokens(request), "form": form, "created": created,
        "api_docs": "/api/v1/docs",
    }, status=400 if form.is_bound and form.errors else 200)
    # The token is on this page only: it must not be kept by a cache or the browser.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_view()
def token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    # Only the member's own tokens: anyone else's id (another member's, another
    # organization's) is a 404.
    token = get_object_or_404(ApiToken, membership=request.membership, pk=token_id)
    revoke_api_token(token=token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.")
                     % {"name": token.name})
    return redirect("api_settings:tokens", request.org.slug)
