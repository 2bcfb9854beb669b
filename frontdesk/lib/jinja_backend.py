"""Django's Jinja2 backend, with the CSRF token masked once per page instead of once per form,
and one date formatter, `_()` and `ngettext()` per page (lib/dates.py, lib/jinja.py).

Django hands Jinja2 templates `csrf_input` as a lazy string that masks a new token every time
it is printed; a request page with a form per post printed it two dozen times (a tenth of the
page's time). Here it is computed on first use and reused for the rest of the page, by an
object that is markup itself (a lazy object answers each of Jinja's questions through an
exception and a proxy). The token is made by `lib/csrf.get_token` (Django's, with one read of
the system's randomness).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.backends import jinja2 as django_jinja2
from django.utils.html import format_html
from django.utils.safestring import SafeString

from frontdesk.lib.csrf import get_token
from frontdesk.lib.dates import DateFormatter
from frontdesk.lib.jinja import page_translations, page_url


class CsrfToken:
    """The page's CSRF token, made (and its cookie set) when first printed."""

    __slots__ = ("request", "value")

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = get_token(self.request)
        return self.value


class CsrfInput(CsrfToken):
    """The page's hidden CSRF field, made when first printed: markup, not escaped."""

    __slots__ = ()

    def __str__(self) -> str:
        if self.value is None:
            self.value = format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                get_token(self.request))
        return self.value

    def __html__(self) -> SafeString:
        return SafeString(str(self))


class Template(django_jinja2.Template):
    def render(self, context: dict[str, Any] | None = None,
               request: HttpRequest | None = None) -> str:
        if request is None:
            return super().render(context, None)
        context = {**(context or {}), "request": request,
                   "csrf_input": CsrfInput(request), "csrf_token": CsrfToken(request),
                   "date_formatter": DateFormatter(), "url": page_url(), **page_translations()}
        for processor in self.backend.template_context_processors:
            context.update(processor(request))
        return super().render(context, None)


class Jinja2(django_jinja2.Jinja2):
    def from_string(self, template_code: str) -> Template:
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        original = super().get_template(template_name)
        return Template(original.template, self)
