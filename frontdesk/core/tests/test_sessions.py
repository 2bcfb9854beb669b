import datetime as dt

from django.contrib.sessions.models import Session
from django.test import TestCase
from django.utils import timezone

from frontdesk.lib.sessions import SessionStore


class SessionStoreTests(TestCase):
    def test_a_saved_session_loads_and_an_expired_or_unknown_one_does_not(self) -> None:
        store = SessionStore()
        store["who"] = "ada"
        store.save()
        key = store.session_key
        assert key is not None
        self.assertEqual(SessionStore(key).load(), {"who": "ada"})

        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1))
        expired = SessionStore(key)
        self.assertEqual(expired.load(), {})
        self.assertIsNone(expired._session_key)

        self.assertEqual(SessionStore("x" * 32).load(), {})
        self.assertEqual(SessionStore(None).load(), {})
