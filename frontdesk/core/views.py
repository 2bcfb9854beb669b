from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("organizations:choose")
    return redirect("accounts:login")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _error(request: HttpRequest, status: int, heading: str, text: str) -> HttpResponse:
    return render(request, "core/error.html", {"heading": heading, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"),
                  _("The request could not be understood. Please go back and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else ""
    return _error(request, 403, _("Not allowed"),
                  message or _("You do not have permission to do this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"),
                  _("This page does not exist, or you have no access to it."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Something went wrong"),
                  _("We could not complete this request. Please try again in a moment."))


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return _error(request, 429, _("Too many requests"),
                  _("You have sent many requests in a short time. "
                    "Please wait a while and try again."))
