from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.accounts import services
from frontdesk.accounts.forms import (
    EmailPreferencesForm,
    NewAccountForm,
    PasswordResetRequestForm,
    ProfileForm,
)
from frontdesk.accounts.models import User
from frontdesk.core.ratelimit import allow, allow_all, client_ip
from frontdesk.core.views import too_many_requests
from frontdesk.organizations.models import Membership


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Slow down password guessing: per address, and per e-mail tried.
        email = str(request.POST.get("username", "")).strip().lower()[:254]
        if not allow_all([(f"staff-login-ip:{client_ip(request)}", 30),
                          (f"staff-login-email:{email}", 10)], window_seconds=900):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)


login_view = LoginView.as_view()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow(f"password-reset-ip:{client_ip(request)}", limit=20):
            return too_many_requests(request)
        services.request_password_reset(email=form.cleaned_data["email"],
                                        language=get_language())
        return render(request, "accounts/password_reset_sent.html",
                      {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    post_reset_login = True

    def get_success_url(self) -> str:
        messages.success(self.request, _("Your password is set. You are logged in."))
        return reverse("organizations:choose")


password_reset_confirm = PasswordResetConfirmView.as_view()


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    context: dict[str, Any] = {"invitation": invitation, "token": token}
    existing = User.objects.filter(email=invitation.email).first()
    if existing is not None:
        # The person already has a login (staff elsewhere): they accept as themselves.
        if not request.user.is_authenticated or request.user.pk != existing.pk:
            context["login_url"] = (reverse("accounts:login") + "?next="
                                    + reverse("accounts:accept_invitation", args=[token]))
            return render(request, "accounts/invitation_login.html", context)
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=existing)
            except ValidationError:
                # Withdrawn or used between showing the page and pressing the button.
                return render(request, "accounts/invitation_invalid.html", status=404)
            messages.success(request, _("You joined %(org)s.")
                             % {"org": invitation.organization.name})
            return redirect("organizations:home", invitation.organization.slug)
        return render(request, "accounts/invitation_join.html", context)

    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=invitation, full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(org)s.")
                             % {"org": invitation.organization.name})
            return redirect("organizations:home", invitation.organization.slug)
    context["form"] = form
    return render(request, "accounts/invitation_signup.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in staff member's name, language and password."""
    user = cast(User, request.user)
    if user.language:
        translation.activate(user.language)
    profile_form = ProfileForm(initial={"full_name": user.full_name, "language": user.language})
    password_form = PasswordChangeForm(user)
    emails_form = EmailPreferencesForm(
        initial={name: getattr(user, name) for name in services.EMAIL_PREFERENCES})
    if request.method == "POST" and request.POST.get("form") == "emails":
        emails_form = EmailPreferencesForm(request.POST)
        if emails_form.is_valid():
            services.update_email_preferences(user=user, **emails_form.cleaned_data)
            messages.success(request, _("Your e-mail settings are saved."))
            return redirect("accounts:profile")
    elif request.method == "POST" and request.POST.get("form") == "profile":
        profile_form = ProfileForm(request.POST)
        if profile_form.is_valid():
            services.update_profile(user=user, **profile_form.cleaned_data)
            if user.language:
                translation.activate(user.language)
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    elif request.method == "POST" and request.POST.get("form") == "password":
        password_form = PasswordChangeForm(user, request.POST)
        if password_form.is_valid():
            services.change_password(user=user,
                                     new_password=password_form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed."))
            return redirect("accounts:profile")
    memberships = (Membership.objects.filter(user=user).select_related("organization")
                   .order_by("organization__name"))
    return render(request, "accounts/profile.html", {
        "profile_form": profile_form, "password_form": password_form,
        "emails_form": emails_form,
        "memberships": memberships})
