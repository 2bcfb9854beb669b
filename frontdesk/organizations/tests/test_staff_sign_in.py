"""`staff_view` takes the user from the membership row (one query less on every staff page):
it may accept only what Django's own session check accepts."""

from __future__ import annotations

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.test import override_settings

from frontdesk.accounts.models import User
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

    def test_a_new_secret_key_without_the_old_as_fallback_ends_the_session(self) -> None:
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get(PAGE).status_code, 200)  # its hash is now remembered
        with override_settings(SECRET_KEY="a-brand-new-secret-key-" + "y" * 40):
            response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
