from frontdesk.accounts.models import User
from frontdesk.core.testing import FrontdeskTestCase


class ProfileTests(FrontdeskTestCase):
    def test_staff_change_their_name_and_language(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post("/account/", {"form": "profile", "full_name": "Alan A.",
                                                  "language": "nl"}, follow=True)
        self.assertContains(response, "Alan A.")
        user = User.objects.get(pk=self.agent_a.pk)
        self.assertEqual(user.language, "nl")
        # The staff pages now speak Dutch.
        response = self.client.get("/app/acme-support/requests/")
        self.assertEqual(response["Content-Language"], "nl")

    def test_a_wrong_old_password_changes_nothing(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post("/account/", {
            "form": "password", "old_password": "wrong", "new_password1": "a-long-Secret-9",
            "new_password2": "a-long-Secret-9"})
        self.assertContains(response, "Your old password was entered incorrectly")
        self.assertTrue(User.objects.get(pk=self.agent_a.pk).check_password(
            "pw-agent@acme.test"))

    def test_the_password_changes_and_the_session_stays(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post("/account/", {
            "form": "password", "old_password": "pw-agent@acme.test",
            "new_password1": "a-long-Secret-9", "new_password2": "a-long-Secret-9"})
        self.assertRedirects(response, "/account/")
        self.assertTrue(User.objects.get(pk=self.agent_a.pk).check_password("a-long-Secret-9"))
        self.assertEqual(self.client.get("/app/acme-support/").status_code, 200)
