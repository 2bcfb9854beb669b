from frontdesk.core.testing import FrontdeskTestCase


class LoginTests(FrontdeskTestCase):
    def test_it_logs_staff_in_and_lands_on_their_organization(self) -> None:
        response = self.client.post("/login/", {"username": "ADMIN@acme.test",
                                                "password": "pw-admin@acme.test"}, follow=True)
        self.assertRedirects(response, "/app/acme-support/")
        self.assertContains(response, "Acme Support")

    def test_a_wrong_password_is_refused_with_a_message(self) -> None:
        response = self.client.post("/login/", {"username": "admin@acme.test",
                                                "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter a correct")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_wrong_password_message_is_in_the_users_language(self) -> None:
        response = self.client.post("/login/", {"username": "admin@acme.test",
                                                "password": "nope"},
                                    headers={"accept-language": "tr"})
        self.assertContains(response, "Lütfen", status_code=200)


class LoginRateLimitTests(FrontdeskTestCase):
    def test_guessing_one_accounts_password_is_stopped(self) -> None:
        for _ in range(10):
            self.client.post("/login/", {"username": "admin@acme.test", "password": "guess"})
        response = self.client.post("/login/", {"username": "admin@acme.test",
                                                "password": "pw-admin@acme.test"})
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
