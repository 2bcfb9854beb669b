from frontdesk.accounts.tests.helpers import link_path
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.mail.models import OutboxMessage

URL = "/password-reset/"


class PasswordResetTests(FrontdeskTestCase):
    def request_link(self, email: str) -> str:
        with self.sending():
            response = self.client.post(URL, {"email": email})
        self.assertContains(response, "Check your e-mail")
        [message] = self.smtp.to(email.lower())
        self.assertEqual(message["Subject"], "Reset your Frontdesk password")
        return link_path(message)

    def set_password(self, link: str, password: str) -> None:
        response = self.client.get(link, follow=True)
        self.assertContains(response, "Choose a new password")
        form_url = response.redirect_chain[-1][0]
        response = self.client.post(form_url, {"new_password1": password,
                                               "new_password2": password}, follow=True)
        self.assertRedirects(response, "/app/acme-support/")
        self.assertContains(response, "Your password is set. You are logged in.")

    def test_a_known_address_gets_a_link_that_sets_the_password_and_logs_in(self) -> None:
        link = self.request_link("Viewer@Acme.test")
        self.set_password(link, "a brand new pass phrase")
        self.viewer_a.refresh_from_db()
        self.assertTrue(self.viewer_a.check_password("a brand new pass phrase"))
        self.assertEqual(self.client.session["_auth_user_id"], str(self.viewer_a.pk))

    def test_an_unknown_address_gets_the_same_page_and_nothing_is_sent(self) -> None:
        with self.sending():
            response = self.client.post(URL, {"email": "nobody@nowhere.test"})
        self.assertContains(response, "Check your e-mail")
        self.assertContains(response, "If nobody@nowhere.test belongs to an account")
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(OutboxMessage.objects.exists())

    def test_a_used_link_no_longer_works(self) -> None:
        link = self.request_link("viewer@acme.test")
        self.set_password(link, "a brand new pass phrase")
        self.client.logout()
        response = self.client.get(link, follow=True)
        self.assertContains(response, "This link no longer works")
        self.viewer_a.refresh_from_db()
        self.assertTrue(self.viewer_a.check_password("a brand new pass phrase"))

    def test_a_garbled_link_no_longer_works(self) -> None:
        link = self.request_link("viewer@acme.test")
        response = self.client.get(link.rstrip("/") + "x/", follow=True)
        self.assertContains(response, "This link no longer works")
        response = self.client.get("/password-reset/MQ/not-a-token/", follow=True)
        self.assertContains(response, "This link no longer works")
        self.assertTrue(self.viewer_a.check_password("pw-viewer@acme.test"))

    def test_an_address_that_is_not_an_email_gets_a_form_error(self) -> None:
        response = self.client.post(URL, {"email": "not an address"})
        self.assertContains(response, "Enter a valid email address.")
