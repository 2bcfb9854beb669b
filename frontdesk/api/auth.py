"""How an API call reaches its organization: the bearer token names a staff member.

A token acts as its member, in that member's organization only, with the member's levels
(`organizations.permissions`). It is refused (401) once revoked, once its user is deactivated,
and once the member is removed (the membership's deletion deletes its tokens).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from frontdesk.accounts.models import User
from frontdesk.api.models import ApiToken
from frontdesk.lib.prepared import prepared
from frontdesk.lib.tokens import hash_token
from frontdesk.organizations.access import activate_language, permission_message
from frontdesk.organizations.models import Membership, Organization
from frontdesk.organizations.permissions import Area, Level, has_level

# `last used` is written at most this often per token: not a write on every call.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# Tokens are `fd_` and 43 URL-safe characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100


class ApiRequest(HttpRequest):
    """The request an API operation receives (for type checking; set by `TokenAuth`)."""

    user: User
    org: Organization
    membership: Membership


def member_of_token(raw: str) -> Membership | None:
    """The membership a live token acts as, with its organization and user (one query), or
    None. Security-relevant: the only place a token is accepted."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    found = _live_token(hash_token(raw))
    if not found:
        return None
    token = found[0]
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.membership


@prepared
def _live_token(token_hash: str) -> QuerySet[ApiToken]:
    """The live token with this hash, with its member's organization and user: compiled once
    (lib/prepared.py), as every API call asks it."""
    return (ApiToken.objects.select_related("membership__organization", "membership__user")
            .filter(token_hash=token_hash, revoked_at__isnull=True,
                    membership__user__is_active=True)[:1])


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        membership = member_of_token(token.strip())
        if membership is None:
            return None
        api_request = cast(ApiRequest, request)
        api_request.membership = membership
        api_request.org = membership.organization
        api_request.user = membership.user
        activate_language(membership.user.language, membership.organization.language)
        return membership


def as_api_request(request: HttpRequest) -> ApiRequest:
    return cast(ApiRequest, request)


def require(request: HttpRequest | Any, area: Area, level: Level) -> None:
    """Demand the member's level in an area for one operation (403 with the reason)."""
    if not has_level(as_api_request(request).membership, area, level):
        raise HttpError(403, permission_message(area, level))
