"""A portal user's own profile (SPEC P5): name and language, their e-mail unchanged; the portal
then speaks their language. Only their own; bad input changes nothing."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.portal.models import PortalUser

PROFILE = "/p/acme-support/profile/"


class PortalProfileTests(FrontdeskTestCase):
    def test_a_portal_user_changes_their_name_and_language(self) -> None:
        self.login_portal(self.portal_a1)
        page = self.client.get("/p/acme-support/requests/").content.decode()
        self.assertIn(f'href="{PROFILE}"', page)
        response = self.client.post(PROFILE, {"first_name": " Petra ", "last_name": "Gibbons",
                                              "language": "pl", "email": "evil@x.test"},
                                    follow=True)
        self.assertContains(response, "Petra Gibbons")
        portal_user = PortalUser.objects.get(pk=self.portal_a1.pk)
        self.assertEqual((portal_user.first_name, portal_user.last_name, portal_user.language,
                          portal_user.email),
                         ("Petra", "Gibbons", "pl", self.portal_a1.email))
        self.assertEqual(self.client.get("/p/acme-support/requests/")["Content-Language"], "pl")
        # Another user of the same customer is untouched.
        self.assertEqual(PortalUser.objects.get(pk=self.portal_a2.pk).first_name,
                         self.portal_a2.first_name)

    def test_a_missing_name_or_an_unknown_language_changes_nothing(self) -> None:
        self.login_portal(self.portal_a1)
        for data in ({"first_name": "", "language": "pl"},
                     {"first_name": "Petra", "language": "klingon"}):
            with self.subTest(data=data):
                response = self.client.post(PROFILE, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errors"')
        portal_user = PortalUser.objects.get(pk=self.portal_a1.pk)
        self.assertEqual((portal_user.first_name, portal_user.language),
                         (self.portal_a1.first_name, self.portal_a1.language))

    def test_without_a_portal_session_it_asks_to_log_in(self) -> None:
        response = self.client.get(PROFILE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/p/acme-support/login/", response["Location"])
        self.login_staff(self.agent_a)  # a staff session is not a portal one
        self.assertEqual(self.client.get(PROFILE).status_code, 302)
