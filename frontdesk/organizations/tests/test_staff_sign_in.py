"""`staff_view` takes the user from the membership row (one query less on every staff page):
it may accept only what Django's own session check accepts."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontdesk.accounts.models import Session, User
from frontdesk.core.testing import FrontdeskTestCase

PAGE = "/app/acme-support/requests/"


class StaffSignInTests(FrontdeskTestCase):
    def test_a_signed_in_member_gets_the_page_as_themselves(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.wsgi_request.user, self.agent_a)
        self.assertContains(response, "Alan Agent")

    def test_a_password_changed_elsewhere_ends_the_session(self) -> None:
        self.login_staff(self.agent_a)
        user = User.objects.get(pk=self.agent_a.pk)
        user.set_password("a-new-password-1234")
        user.save()
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.assertNotIn(SESSION_KEY, self.client.session)  # Django flushed it

    def test_a_deactivated_user_is_signed_out(self) -> None:
        self.login_staff(self.agent_a)
        User.objects.filter(pk=self.agent_a.pk).update(is_active=False)
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_a_session_naming_another_user_with_a_wrong_hash_gets_nothing(self) -> None:
        self.login_staff(self.viewer_a)
        session = self.client.session
        session[SESSION_KEY] = str(self.admin_a.pk)  # the admin's id, the viewer's hash
        session.save()
        response = self.client.get("/app/acme-support/settings/permissions/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_a_session_without_its_hash_gets_nothing(self) -> None:
        self.login_staff(self.agent_a)
        session = self.client.session
        del session[HASH_SESSION_KEY]
        session.save()
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)

    def test_a_member_of_another_organization_gets_404_not_a_login(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(PAGE).status_code, 404)

    def test_a_portal_session_is_nobody_here(self) -> None:
        self.login_portal(self.portal_a1)
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_a_session_signed_with_an_older_secret_key_still_works_through_django(self) -> None:
        with override_settings(SECRET_KEY="the-old-secret-key-" + "x" * 40):
            self.login_staff(self.agent_a)
        with override_settings(SECRET_KEY_FALLBACKS=["the-old-secret-key-" + "x" * 40]):
            response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.wsgi_request.user, self.agent_a)

    def test_the_remembered_auth_hash_follows_the_secret_key_and_the_password(self) -> None:
        from frontdesk.organizations.access import _session_auth_hash

        user = User.objects.get(pk=self.agent_a.pk)
        first = _session_auth_hash(user)
        self.assertEqual(first, user.get_session_auth_hash())
        with override_settings(SECRET_KEY="another-secret-key-" + "z" * 40):
            other_key = _session_auth_hash(user)
            self.assertEqual(other_key, user.get_session_auth_hash())
        self.assertNotEqual(other_key, first)
        self.assertEqual(_session_auth_hash(user), first)  # the first key's, not the last one
        user.set_password("a-new-password-5678")
        self.assertEqual(_session_auth_hash(user), user.get_session_auth_hash())
        self.assertNotEqual(_session_auth_hash(user), first)

    def test_a_new_secret_key_without_the_old_as_fallback_ends_the_session(self) -> None:
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get(PAGE).status_code, 200)  # its hash is now remembered
        with override_settings(SECRET_KEY="a-brand-new-secret-key-" + "y" * 40):
            response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])


class SessionWithMembershipTests(FrontdeskTestCase):
    """A staff page reads the session and the membership in one query, through the session
    row's user column (accounts.Session); the session's data stays the authority."""

    def test_a_session_row_names_the_user_it_signs_in(self) -> None:
        self.login_staff(self.agent_a)
        row = Session.objects.get(session_key=self.client.session.session_key)
        self.assertEqual(row.user_id, self.agent_a.pk)
        self.login_portal(self.portal_a1)  # the same browser, now a customer too
        row = Session.objects.get(session_key=self.client.session.session_key)
        self.assertEqual(row.user_id, self.agent_a.pk)

    def test_a_member_page_reads_session_and_membership_in_one_query(self) -> None:
        self.login_staff(self.agent_a)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get("/app/acme-support/outbox/").status_code, 403)
        first = queries.captured_queries[0]["sql"]
        self.assertIn("accounts_session", first)
        self.assertIn("organizations_membership", first)
        self.assertEqual(len(queries), 1)  # the agent may not see the outbox: nothing more

    def test_a_row_naming_another_user_than_its_data_gets_only_what_the_data_signs_in(
            self) -> None:
        self.login_staff(self.viewer_a)
        key = self.client.session.session_key
        Session.objects.filter(session_key=key).update(user=self.admin_a)
        response = self.client.get("/app/acme-support/settings/permissions/")
        self.assertEqual(response.status_code, 403)  # the viewer's page, not the admin's
        self.assertEqual(response.wsgi_request.user, self.viewer_a)

    def test_an_expired_session_signs_in_nobody(self) -> None:
        self.login_staff(self.agent_a)
        Session.objects.filter(session_key=self.client.session.session_key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1))
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_a_deleted_user_takes_their_sessions_along(self) -> None:
        self.login_staff(self.agent_a)
        key = self.client.session.session_key
        User.objects.filter(pk=self.agent_a.pk).delete()
        self.assertFalse(Session.objects.filter(session_key=key).exists())
        self.assertEqual(self.client.get(PAGE).status_code, 302)

    def test_the_page_keeps_the_session_readable_and_writable(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.get(PAGE)
        session = response.wsgi_request.session
        self.assertEqual(session[SESSION_KEY], str(self.agent_a.pk))
        self.assertIn("Cookie", response.get("Vary", ""))  # it was read for this page
