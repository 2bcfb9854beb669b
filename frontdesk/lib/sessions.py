"""Django's database sessions, with the lookup every signed-in page makes prepared once per
process (lib/prepared.py) instead of built by the ORM on each request, and the session's data
checked and unpacked once per process: a signed-in person's pages bring the same signed data
each time, and checking its signature, unpacking and parsing it cost 20-30 µs a page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from frontdesk.lib.prepared import prepared


@prepared
def _session_data(session_key: str, now: dt.datetime) -> QuerySet[Session, Any]:
    return (Session.objects.filter(session_key=session_key, expire_date__gt=now)
            .values_list("session_data", named=True)[:1])


# Signed session data already checked -> its contents as JSON text (parsed anew for each
# request, so no request sees another's changes). Only data whose signature held is kept.
_CHECKED: dict[bytes | str, str] = {}
_CHECKED_KEPT = 10_000


class SessionStore(db.SessionStore):
    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        contents = _CHECKED.get(session_data)
        if contents is not None:
            return json.loads(contents)
        decoded: dict[str, Any] = super().decode(session_data)
        if decoded:  # {} is what a bad signature gives, among others: checked again next time
            if len(_CHECKED) >= _CHECKED_KEPT:
                _CHECKED.clear()
            _CHECKED[session_data] = json.dumps(decoded)
        return decoded

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        rows = _session_data(key, timezone.now()) if key else []
        if not rows:
            self._session_key = None
            return None
        return rows[0]
