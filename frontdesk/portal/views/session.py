"""Getting into the portal: password log-in, passwordless links, setting a password."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.billing.models import InvoiceStatus
from frontdesk.core.ratelimit import allow, allow_all, client_ip
from frontdesk.core.views import too_many_requests
from frontdesk.lib.choices import choice_labels
from frontdesk.portal import access_links, services
from frontdesk.portal.access import PortalRequest, SignedInPortalRequest, portal_view
from frontdesk.portal.auth import (
    customer_to_open,
    login_portal_user,
    logout_portal_user,
    refresh_fingerprint,
    switch_customer,
    viewer_outside_a_page,
)
from frontdesk.portal.forms import (
    LoginForm,
    NewLinkForm,
    ProfileForm,
    SetPasswordForm,
    SignUpForm,
)
from frontdesk.portal.home import home_of
from frontdesk.portal.models import PortalUser
from frontdesk.support.visibility import stage_labels


def _safe_next(request: PortalRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    prefix = f"/p/{request.org.slug}/"
    if (target.startswith(prefix) and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()})):
        return target
    return default


def _closed(request: PortalRequest) -> HttpResponse:
    """The portal is open only to customers given access, and theirs is not (SPEC P10)."""
    return render(request, "portal/closed.html", status=403)


def _customer_to_open(request: PortalRequest, portal_user: PortalUser) -> int | None:
    """The customer a log-in acts for (SPEC X7): the one its address names (`customer`, as
    an e-mail about that customer's invoice links it), if the person acts for it and the
    portal is open to it; else the first of theirs that it is open to (None: none is)."""
    wanted = request.GET.get("customer", "")
    if wanted.isdigit() and viewer_outside_a_page(
            portal_user, portal_settings=request.portal_settings,
            customer_id=int(wanted)) is not None:
        return int(wanted)
    return customer_to_open(portal_user, request.portal_settings)


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def portal_home(request: PortalRequest) -> HttpResponse:
    """The signed-in customer's home page (SPEC P14), or their requests when the organization
    switched every part of it off; the log-in page for anyone else."""
    if request.viewer is None:
        return redirect("portal:login", request.org.slug)
    if not request.portal_settings.has_home():
        return redirect("portal:request_list", request.org.slug)
    return render(request, "portal/home.html", {
        "home": home_of(request.viewer, request.portal_settings),
        "status_labels": stage_labels(request.portal_settings),
        "invoice_status_labels": choice_labels(InvoiceStatus)})


@require_http_methods(["GET", "POST"])
@portal_view(signed_in=False)
def login(request: PortalRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow(f"portal-login:{request.org.pk}:{client_ip(request)}", limit=30,
                     window_seconds=900):
            return too_many_requests(request)
        portal_user = services.authenticate(organization=request.org,
                                            email=form.cleaned_data["email"],
                                            password=form.cleaned_data["password"])
        if portal_user is None:
            form.add_error(None, _("The e-mail or the password is not right. If you never set "
                                   "a password, ask for a link below."))
        elif (customer_id := _customer_to_open(request, portal_user)) is None:
            return _closed(request)
        else:
            login_portal_user(request.session, portal_user, customer_id=customer_id)
            default = f"/p/{request.org.slug}/requests/"
            return redirect(_safe_next(request, default))
    return render(request, "portal/login.html", {"form": form, "next": _safe_next(request, "")})


@require_POST
@portal_view(signed_in=False)
def logout(request: PortalRequest) -> HttpResponse:
    logout_portal_user(request.session, request.org)
    return redirect("portal:login", request.org.slug)


@require_POST
@portal_view()
def switch(request: SignedInPortalRequest) -> HttpResponse:
    """Act for another of the person's customers (SPEC X7) from the next page on. One they do
    not act for (of this organization or another), or one the portal is not open to, is not
    theirs: 404, nothing changed."""
    try:
        customer_id = int(request.POST.get("customer", ""))
    except ValueError:
        raise Http404 from None
    if not switch_customer(request.session, request.viewer, customer_id):
        raise Http404
    name = next(choice.name for choice in request.viewer.customers if choice.id == customer_id)
    messages.success(request, _("You now act for %(customer)s.") % {"customer": name})
    return redirect("portal:home", request.org.slug)


@require_http_methods(["GET"])
@portal_view(signed_in=False)
def open_link(request: PortalRequest, token: str) -> HttpResponse:
    """A passwordless link from an e-mail: opens a session limited to that person's requests,
    then moves to a URL without the token (so it leaks into no history or Referer)."""
    link = access_links.use_access_link(organization=request.org, token=token)
    if link is None:
        return render(request, "portal/link_invalid.html", {"form": NewLinkForm()}, status=404)
    if viewer_outside_a_page(link.portal_user, portal_settings=request.portal_settings,
                             customer_id=link.customer_id) is None:
        return _closed(request)  # or the person no longer acts for the link's customer
    login_portal_user(request.session, link.portal_user, link=link)
    if request.GET.get("next") == "password" and not link.portal_user.has_password:
        # An invitation (SPEC P8): choose a password first.
        return redirect("portal:set_password", request.org.slug)
    return redirect("portal:request_list", request.org.slug)


@require_http_methods(["GET", "POST"])
@portal_view(signed_in=False)
def new_link(request: PortalRequest) -> HttpResponse:
    """Ask for a fresh link. The answer is the same whether the address is known or not."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not allow_all([(f"new-link-ip:{request.org.pk}:{client_ip(request)}", 20),
                          (f"new-link-email:{request.org.pk}:{email}", 5)]):
            return too_many_requests(request)
        access_links.send_new_link(organization=request.org, email=email)
        return render(request, "portal/link_sent.html", {"email": email})
    return render(request, "portal/link_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
@portal_view(signed_in=False)
def sign_up(request: PortalRequest) -> HttpResponse:
    """Open a portal account with one's e-mail address (SPEC P5), where the organization
    allows it."""
    if not request.portal_settings.signup_enabled:
        raise Http404
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not allow_all([(f"signup-ip:{request.org.pk}:{client_ip(request)}", 10),
                          (f"signup-email:{request.org.pk}:{email}", 3)]):
            return too_many_requests(request)
        if not form.cleaned_data["website"]:
            services.sign_up(organization=request.org, email=email,
                             first_name=form.cleaned_data["first_name"],
                             last_name=form.cleaned_data["last_name"])
        return render(request, "portal/signup_sent.html", {"email": email})
    return render(request, "portal/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@portal_view()
def profile(request: SignedInPortalRequest) -> HttpResponse:
    """The portal user's own name and language (SPEC P5)."""
    portal_user = request.viewer.portal_user
    form = ProfileForm(request.POST or None, initial={
        "first_name": portal_user.first_name, "last_name": portal_user.last_name,
        "language": portal_user.language})
    if request.method == "POST" and form.is_valid():
        services.update_profile(portal_user=portal_user, **form.cleaned_data)
        if portal_user.language:
            translation.activate(portal_user.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("portal:profile", request.org.slug)
    return render(request, "portal/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
@portal_view()
def set_password(request: SignedInPortalRequest) -> HttpResponse:
    portal_user = request.viewer.portal_user
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(portal_user=portal_user, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            refresh_fingerprint(request.session, portal_user)
            messages.success(request, _("Your password is set. From now on you can also log in "
                                        "with your e-mail and password."))
            return redirect("portal:request_list", request.org.slug)
    return render(request, "portal/set_password.html", {"form": form})
