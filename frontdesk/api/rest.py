"""The REST API, /api/v1/ (SPEC X1): django-ninja makes the OpenAPI schema from the typed
schemas (schemas.py). Every call is authenticated by a personal token (auth.py); every write
goes through the apps' actions, as the pages' do."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError

from frontdesk.api.auth import TokenAuth
from frontdesk.api.endpoints import customers, followers, requests

api = NinjaAPI(
    title="Frontdesk API",
    version="1",
    description=("Requests, customers and topics of the organization the token belongs to. "
                 "Send `Authorization: Bearer <token>` (made on Settings → API tokens)."),
    auth=TokenAuth(),
    urls_namespace="api",
    # The interactive page uses the copy of Swagger UI shipped with django-ninja (served as
    # our static files): nothing is fetched from a CDN, and the validator badge, which would
    # send the schema to swagger.io, is off.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("", requests.router)
api.add_router("", followers.router)
api.add_router("", customers.router)
api.add_router("", customers.topics_router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _(
        "Send a valid API token: “Authorization: Bearer <token>”.")}, status=401)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """An action refused the input (nothing was changed): its messages, by field."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return api.create_response(request, {"detail": " ".join(exc.messages), "errors": errors},
                               status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
