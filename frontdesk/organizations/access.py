"""How a staff request reaches its organization: one decorator for every view under /app/.

`/app/<org_slug>/…` is resolved to the organization only through the signed-in user's
membership. A slug the user is not staff of answers 404, exactly like a slug that does not
exist; a member without the permission a page needs gets 403 with a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeAlias, cast

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.accounts.sessions import SessionStore
from frontdesk.lib.kept import Kept
from frontdesk.lib.prepared import prepared, prepared_together
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.permissions import Area, Level, can_manage_permissions, has_level


class StaffRequest(HttpRequest):
    """The request a staff view receives (for type checking; set by `staff_view`)."""

    user: User
    org: Organization
    membership: Membership
    read_along: list[Any] | None


# Figures every staff page shows about the member (the unread notifications badge, …), added by
# the apps that own them (see SupportConfig.ready): they come with the membership row, in the
# one query every staff page makes anyway.
MEMBERSHIP_FIGURES: dict[str, Callable[[], Any]] = {}

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

StaffView: TypeAlias = Callable[..., HttpResponseBase]


def activate_language(*choices: str | None) -> None:
    """Activate the first language chosen: the person's own, then the organization's."""
    for code in choices:
        if code:
            translation.activate(code)
            return


def permission_message(area: Area | str | None, level: Level) -> str:
    if area is None:
        return _("Only administrators of this organization may do this.")
    return _("You need the “%(level)s” permission in the area “%(area)s” to do this. "
             "Ask an administrator of your organization.") % {
        "level": Level(level).label, "area": Area(area).label,
    }


def _members(org_slug: str) -> QuerySet[Membership]:
    """Active members of the organization with this slug, each with the organization, the
    user and the figures."""
    return (Membership.objects.select_related("organization", "user")
            .annotate(**{name: make() for name, make in MEMBERSHIP_FIGURES.items()})
            .filter(organization__slug=org_slug, user__is_active=True))


@prepared
def _membership(org_slug: str, user_id: int) -> QuerySet[Membership]:
    """The member's membership of the organization with this slug, with the organization, the
    user and the figures: compiled once per process (building it took a tenth of a page)."""
    return _members(org_slug).filter(user_id=user_id)[:1]


def _membership_with_session_query(org_slug: str, session_key: str, now: dt.datetime
                                   ) -> QuerySet[Membership]:
    """`_membership` of the user the session's row names, with the session's data: the
    session and the membership in one query."""
    return (_members(org_slug)
            .filter(user__sessions__session_key=session_key,
                    user__sessions__expire_date__gt=now)
            .annotate(session_data=F("user__sessions__session_data"))[:1])


_membership_with_session = prepared(_membership_with_session_query)

# `_membership_with_session` and a page's query in one statement (lib.prepared).
Together: TypeAlias = Callable[[Sequence[Any], Sequence[Any]], tuple[list[Any], list[Any]]]


def _member_by_session(request: HttpRequest, org_slug: str,
                       along: tuple[Together, Sequence[Any]] | None = None
                       ) -> tuple[Membership | None, list[Any] | None]:
    """The membership of the user the session signs in, read with the session itself (one
    query for both), if its row names a member of this organization; then the session is
    loaded from that read. (None, None) when it does not (no such session or member, or a
    session already read): then the session and the membership are read on their own.

    `along`: the membership's query paired with a page's, and the page query's arguments:
    its rows come back from the same statement (and only with a membership row) as the
    second of the pair; None when the statement did not run."""
    session = request.session
    key = session.session_key
    if not isinstance(session, SessionStore) or session.is_loaded() or not key:
        return None, None
    rows: list[Any] | None = None
    if along is None:
        found = _membership_with_session(org_slug, key, timezone.now())
    else:
        together, args = along
        found, rows = together((org_slug, key, timezone.now()), args)
    if not found:
        return None, None
    membership = found[0]
    session.load_read(membership.session_data)
    # The row's user column is written from the data; the data decides.
    if _claimed_user_id(request) != membership.user_id:
        return None, None
    return membership, rows


def _claimed_user_id(request: HttpRequest) -> Any:
    """The user id the session names, if the user is not loaded yet and the session holds
    everything Django's own check needs (user, model backend, auth hash); else None."""
    if hasattr(request, "_cached_user"):
        return None
    session = request.session
    if session.get(BACKEND_SESSION_KEY) != MODEL_BACKEND or not session.get(HASH_SESSION_KEY):
        return None
    try:
        return User._meta.pk.to_python(session[SESSION_KEY])
    except (KeyError, ValidationError):
        return None


_AUTH_HASHES = Kept()
_AUTH_HASHES_KEPT = 10_000


def _session_auth_hash(user: User) -> str:
    """`user.get_session_auth_hash()` (an HMAC of the password's hash under the secret key),
    remembered per secret key and password hash: it was computed on every page. A new
    password is a new hash, hence a new entry."""
    key = (settings.SECRET_KEY, user.password)
    found = _AUTH_HASHES.get(key)
    if found is None:
        found = user.get_session_auth_hash()
        _AUTH_HASHES.keep(key, found, _AUTH_HASHES_KEPT)
    return found


def _signed_in_as(request: HttpRequest, user: User) -> bool:
    """Whether the session signs `user` in. Every staff page needs the user and the membership:
    the user comes with the membership row (one query, not two) and is accepted here only when
    Django's own check would accept it as is (`django.contrib.auth.get_user`: the model backend,
    an active user, the session's hash of the current password); in every other case (no such
    session, an older secret key, a changed password) Django's check decides, unchanged."""
    if hasattr(request, "_cached_user"):
        return bool(request.user.is_authenticated and request.user.pk == user.pk)
    session_hash = request.session.get(HASH_SESSION_KEY)
    if (MODEL_BACKEND in settings.AUTHENTICATION_BACKENDS and user.is_active
            and isinstance(session_hash, str)
            and constant_time_compare(session_hash, _session_auth_hash(user))):
        request._cached_user = user  # type: ignore[attr-defined]  # what request.user reads
        return True
    return bool(request.user.is_authenticated and request.user.pk == user.pk)


def staff_view(area: Area | None = None, level: Level = Level.VIEW, *,
               admin_only: bool = False, manage_permissions: bool = False,
               read_along: Callable[..., QuerySet[Any]] | None = None
               ) -> Callable[[StaffView], StaffView]:
    """`read_along`: a builder of the page's own query of one row (lib/prepared.py), called
    with the organization's slug and the view's URL arguments: on the usual path (a session
    not read yet) its row is read in the membership's statement, and the view finds it in
    `request.read_along` (a list of at most one row; None when it was not read, and the view
    reads it itself). The builder must scope its rows to the organization of that slug."""

    together = (None if read_along is None
                else prepared_together(_membership_with_session_query, read_along))

    def decorator(view: StaffView) -> StaffView:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any
                    ) -> HttpResponseBase:
            along = None if together is None else (together,
                                                   (org_slug, *args, *kwargs.values()))
            membership, rows = _member_by_session(request, org_slug, along)
            if membership is None:
                claimed = _claimed_user_id(request)
                if claimed is None:
                    if not request.user.is_authenticated:
                        return redirect_to_login(request.get_full_path())
                    claimed = request.user.pk
                found = _membership(org_slug, claimed) if isinstance(claimed, int) else []
                membership = found[0] if found else None
            if membership is not None and not _signed_in_as(request, membership.user):
                membership = None
            if membership is None:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise Http404
            staff_request = cast(StaffRequest, request)
            # The user itself, no longer Django's lazy stand-in (whose every attribute read
            # goes through an exception and a proxy): it is the session's user, checked above.
            staff_request.user = membership.user
            staff_request.org = membership.organization
            staff_request.membership = membership
            # Read in the same statement as this membership (None when it was not).
            staff_request.read_along = rows
            activate_language(staff_request.user.language, membership.organization.language)
            if admin_only and not membership.is_admin:
                raise PermissionDenied(permission_message(None, Level.MANAGE))
            if manage_permissions and not can_manage_permissions(membership):
                raise PermissionDenied(_(
                    "Only administrators, and staff with the “Manage” permission in an area, "
                    "may set permissions. Ask an administrator of your organization."))
            if area is not None and not has_level(membership, area, level):
                raise PermissionDenied(permission_message(area, level))
            return view(staff_request, *args, **kwargs)

        return wrapper

    return decorator


def require_admin(request: StaffRequest) -> None:
    """Inside a view: demand admin rights for one action on a page all staff may read."""
    if not request.membership.is_admin:
        raise PermissionDenied(permission_message(None, Level.MANAGE))


def require(request: StaffRequest, area: Area, level: Level) -> None:
    """Inside a view: demand a higher level for one action (e.g. posting needs Contribute)."""
    if not has_level(request.membership, area, level):
        raise PermissionDenied(permission_message(area, level))
