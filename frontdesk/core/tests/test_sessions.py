import datetime as dt

from django.test import TestCase
from django.utils import timezone

from frontdesk.accounts.models import Session
from frontdesk.accounts.sessions import SessionStore


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

    def test_checked_data_is_unpacked_once_and_each_load_gets_its_own_copy(self) -> None:
        store = SessionStore()
        store["who"] = {"name": "ada", "roles": ["staff"]}
        store.save()
        key = store.session_key
        first = SessionStore(key).load()
        first["who"]["roles"].append("admin")  # a request changing its copy in place
        self.assertEqual(SessionStore(key).load(), {"who": {"name": "ada", "roles": ["staff"]}})

    def test_data_whose_signature_fails_is_never_accepted(self) -> None:
        store = SessionStore()
        store["who"] = "ada"
        store.save()
        data = Session.objects.get(session_key=store.session_key).session_data
        self.assertEqual(SessionStore().decode(data), {"who": "ada"})  # now remembered
        forged = data.replace("ada", "eve") if "ada" in data else data[:-1] + (
            "A" if data[-1] != "A" else "B")
        self.assertEqual(SessionStore().decode(forged), {})
        self.assertEqual(SessionStore().decode(forged), {})
