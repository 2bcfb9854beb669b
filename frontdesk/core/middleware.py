"""Middleware of our own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware for URLs without a language prefix (Frontdesk uses no
    `i18n_patterns`; a test keeps it so): the language comes from the visitor's cookie or
    browser, and staff and portal views then activate the person's or organization's own.
    Django's looks for a language prefix in the path, and whether the URLconf uses them,
    once on the way in and again on the way out of every request."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase
                         ) -> HttpResponseBase:
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
