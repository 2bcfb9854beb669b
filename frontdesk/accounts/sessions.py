"""Django's database sessions (SESSION_ENGINE), kept in `accounts.Session`: Django's session
row with the staff user and the portal user it signs in as in columns, so that a staff page
finds the session and the member's membership in one query (`organizations.access`), and a
portal page the session and its portal user (`portal.access`).

Also: the lookup every signed-in page makes is prepared once per process (lib/prepared.py)
instead of built by the ORM on each request, and the session's data is checked and unpacked
once per process: a signed-in person's pages bring the same signed data each time, and
checking its signature, unpacking and parsing it cost 20-30 µs a page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db.models import QuerySet, Subquery
from django.utils import timezone

from frontdesk.accounts.models import Session
from frontdesk.lib.kept import Kept
from frontdesk.lib.prepared import prepared


def _live(session_key: str, now: dt.datetime) -> QuerySet[Session]:
    """The session with this key, if it has not expired."""
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)


def session_data_of(session_key: str, now: dt.datetime) -> Subquery:
    """The data of the session with this key, if it has not expired, for another query to
    read along (`SessionStore.load_read`)."""
    return Subquery(_live(session_key, now).values("session_data")[:1])


def portal_user_id_of(session_key: str, now: dt.datetime) -> Subquery:
    """The portal user the session with this key names in its column, if it has not expired
    (to be checked against its data)."""
    return Subquery(_live(session_key, now).values("portal_user_id")[:1])


@prepared
def _session_data(session_key: str, now: dt.datetime) -> QuerySet[Session, Any]:
    return _live(session_key, now).values_list("session_data", named=True)[:1]


# Signed session data already checked -> its contents as JSON text (parsed anew for each
# request, so no request sees another's changes). Only data whose signature held is kept.
_CHECKED = Kept()
_CHECKED_KEPT = 10_000


# A portal sign-in is kept in the session under this prefix and its organization's id
# (portal.auth), as {"user": <portal user id>, …}.
PORTAL_KEY_PREFIX = "portal:"


def signed_in_portal_user_id(data: dict[str, Any]) -> int | None:
    """The portal user a session's data signed in last (a browser may be signed in at the
    portals of several organizations), if any."""
    found = None
    for key, value in data.items():
        if key.startswith(PORTAL_KEY_PREFIX) and isinstance(value, dict):
            user_id = value.get("user")
            if isinstance(user_id, int):
                found = user_id
    return found


def signed_in_user_id(data: dict[str, Any]) -> int | None:
    """The staff user id a session's data names (Django's SESSION_KEY), if it is one."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        session = super().create_model_instance(data)
        assert isinstance(session, Session)
        session.user_id = signed_in_user_id(data)
        session.portal_user_id = signed_in_portal_user_id(data)
        return session

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        contents = _CHECKED.get(session_data)
        if contents is not None:
            return json.loads(contents)
        decoded: dict[str, Any] = super().decode(session_data)
        if decoded:  # {} is what a bad signature gives, among others: checked again next time
            _CHECKED.keep(session_data, json.dumps(decoded), _CHECKED_KEPT)
        return decoded

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        rows = _session_data(key, timezone.now()) if key else []
        if not rows:
            self._session_key = None
            return None
        return rows[0]

    def is_loaded(self) -> bool:
        return hasattr(self, "_session_cache")

    def load_read(self, session_data: str | None) -> dict[str, Any]:
        """Take the session's data as read by another query (of this session's row, with
        `expire_date` later than now; None when there is no such row) instead of reading it
        again: what `load` would have read, decoded the same way. Returns the contents."""
        if session_data is None:
            self._session_key = None  # as `load` does for a missing or expired session
            self._session_cache = {}
        else:
            self._session_cache = self.decode(session_data)
        self.accessed = True
        return self._session_cache
