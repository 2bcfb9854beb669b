"""Creating an organization: for the installation's operators (superusers)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.accounts.models import User
from frontdesk.organizations.forms import NewOrganizationForm
from frontdesk.organizations.services import create_organization


@require_http_methods(["GET", "POST"])
@login_required
def new_organization(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not user.is_superuser:
        raise PermissionDenied(_("Only the operators of this installation may create "
                                 "organizations."))
    form = NewOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = create_organization(
                slug=form.cleaned_data["slug"], name=form.cleaned_data["name"], admin=user,
                language=form.cleaned_data["language"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(name)s is ready. Invite its staff from Settings.")
                             % {"name": organization.name})
            return redirect("organizations:home", organization.slug)
    return render(request, "organizations/new.html", {"form": form})
