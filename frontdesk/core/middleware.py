"""Middleware of our own."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
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


class ContentSecurityPolicyMiddleware:
    """Every response says where its page may load scripts and send forms from: our own
    address only (settings.FRONTDESK_CONTENT_SECURITY_POLICY). Requests, notes and customer
    records are text people type and other people read; should one ever get through the
    escaping as markup, the browser still runs no script of it, loads nothing from elsewhere
    and sends no form elsewhere. Styles may be inline (a few widths of chart bars, the portal's
    brand colour). A response with a policy of its own (downloads: a stricter sandbox) keeps
    it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = settings.FRONTDESK_CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = self.policy
        return response
