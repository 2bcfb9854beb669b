"""How a request reaches an organization's portal: one decorator for every view under /p/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeAlias, cast

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from frontdesk.accounts.sessions import SessionStore, session_data_of
from frontdesk.lib.prepared import prepared
from frontdesk.organizations.models import Organization
from frontdesk.portal.auth import PortalViewer, portal_viewer, viewer_of_session
from frontdesk.portal.models import PortalSettings


class PortalRequest(HttpRequest):
    """The request a portal view receives (for type checking; set by `portal_view`)."""

    org: Organization
    portal_settings: PortalSettings
    viewer: PortalViewer | None


class SignedInPortalRequest(PortalRequest):
    viewer: PortalViewer


PortalView: TypeAlias = Callable[..., HttpResponseBase]


@prepared
def _portal_settings(org_slug: str) -> QuerySet[PortalSettings]:
    # The custom style sheet is served apart (brand.css); no page needs it read along.
    return PortalSettings.objects.select_related("organization").defer("custom_css").filter(
        organization__slug=org_slug)[:1]


@prepared
def _portal_settings_with_session(org_slug: str, session_key: str, now: dt.datetime
                                  ) -> QuerySet[PortalSettings]:
    """`_portal_settings`, with the data of the visitor's session and the portal user it
    names read along (one query)."""
    return PortalSettings.objects.select_related("organization").defer("custom_css").filter(
        organization__slug=org_slug).annotate(
        session_data=session_data_of(session_key, now),
        viewer=viewer_of_session(session_key, now))[:1]


def portal_view(*, signed_in: bool = True) -> Callable[[PortalView], PortalView]:
    """Resolve /p/<org_slug>/ to the organization (404 if unknown) and its signed-in portal
    user, if any. With `signed_in`, anonymous visitors go to the portal's log-in page."""

    def decorator(view: PortalView) -> PortalView:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any
                    ) -> HttpResponseBase:
            session = request.session
            read_along = None
            if (isinstance(session, SessionStore) and not session.is_loaded()
                    and session.session_key):
                found = _portal_settings_with_session(org_slug, session.session_key,
                                                      timezone.now())
                if found:
                    session.load_read(found[0].session_data)
                    read_along = found[0].viewer
            else:
                found = _portal_settings(org_slug)
            if not found:
                raise Http404
            portal_settings = found[0]
            portal_request = cast(PortalRequest, request)
            portal_request.org = portal_settings.organization
            portal_request.portal_settings = portal_settings
            portal_request.viewer = portal_viewer(request.session, portal_settings.organization,
                                                  read_along, portal_settings)
            language = (portal_request.viewer.portal_user.language
                        if portal_request.viewer else "")
            if language or not request.COOKIES.get("django_language"):
                translation.activate(language or portal_settings.organization.language)
            if signed_in and portal_request.viewer is None:
                login_url = reverse("portal:login", args=[org_slug])
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            return view(portal_request, *args, **kwargs)

        return wrapper

    return decorator
