from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def portal_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    return HttpResponse("portal")
