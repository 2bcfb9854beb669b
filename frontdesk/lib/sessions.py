"""Django's database sessions, with the lookup every signed-in page makes prepared once per
process (lib/prepared.py) instead of built by the ORM on each request."""

from __future__ import annotations

import datetime as dt
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


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        rows = _session_data(key, timezone.now()) if key else []
        if not rows:
            self._session_key = None
            return None
        return rows[0]
