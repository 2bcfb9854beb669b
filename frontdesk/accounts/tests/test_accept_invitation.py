import datetime as dt

from django.utils import timezone

from frontdesk.accounts import services
from frontdesk.accounts.models import StaffInvitation, User
from frontdesk.accounts.tests.helpers import link_path
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Membership

PASSWORDS = {"password1": "a long pass phrase", "password2": "a long pass phrase"}


class AcceptInvitationTests(FrontdeskTestCase):
    def invite(self, email: str) -> str:
        """Invite `email` to org A as its admin would, and return the e-mailed link's path."""
        with self.sending():
            services.invite_staff(organization=self.org_a, email=email, is_admin=False,
                                  by=self.admin_a)
        [message] = self.smtp.to(email)
        return link_path(message)

    def assert_invalid_and_nothing_created(self, link: str) -> None:
        response = self.client.get(link)
        self.assertContains(response, "This invitation is not valid", status_code=404)
        response = self.client.post(link, {"full_name": "Nina New", **PASSWORDS})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(User.objects.filter(email="nina@new.test").exists())
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_new_person_creates_an_account_and_is_logged_in(self) -> None:
        link = self.invite("nina@new.test")
        response = self.client.post(link, {"full_name": "Nina New", **PASSWORDS})
        self.assertRedirects(response, "/app/acme-support/")
        nina = User.objects.get(email="nina@new.test")
        self.assertTrue(Membership.objects.filter(user=nina, organization=self.org_a).exists())

    def test_passwords_that_differ_keep_the_form_and_create_nothing(self) -> None:
        link = self.invite("nina@new.test")
        response = self.client.post(link, {"full_name": "Nina New",
                                           "password1": "a long pass phrase",
                                           "password2": "another pass phrase"})
        self.assertContains(response, "The two passwords differ.")
        self.assertFalse(User.objects.filter(email="nina@new.test").exists())

    def test_staff_of_another_organization_accepts_by_logging_in(self) -> None:
        link = self.invite("staff@other.test")
        response = self.client.get(link)
        self.assertContains(response, "You already have a Frontdesk account for "
                            "staff@other.test")
        self.assertNotContains(response, "Create my account")

        response = self.client.post("/login/", {"username": "staff@other.test",
                                                "password": "pw-staff@other.test",
                                                "next": link})
        self.assertRedirects(response, link)
        self.assertContains(self.client.get(link), "Accept the invitation")
        response = self.client.post(link, follow=True)
        self.assertRedirects(response, "/app/acme-support/")
        self.assertContains(response, "You joined Acme Support.")

        self.assertEqual(User.objects.filter(email="staff@other.test").count(), 1)
        self.assertFalse(self.membership(self.staff_b).is_admin)
        self.assertTrue(self.membership(self.staff_b, self.org_b).is_admin)
        self.assertEqual(self.client.post(link).status_code, 404)  # used up

    def test_someone_else_logged_in_cannot_accept_for_the_invited_person(self) -> None:
        link = self.invite("staff@other.test")
        self.login_staff(self.viewer_a)
        response = self.client.post(link)
        self.assertContains(response, "Log in with it to accept the invitation.")
        self.assertFalse(Membership.objects.filter(user=self.staff_b,
                                                   organization=self.org_a).exists())

    def test_an_expired_link_shows_the_invalid_page_and_creates_nothing(self) -> None:
        link = self.invite("nina@new.test")
        StaffInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assert_invalid_and_nothing_created(link)

    def test_a_withdrawn_link_shows_the_invalid_page_and_creates_nothing(self) -> None:
        link = self.invite("nina@new.test")
        services.revoke_invitation(invitation=StaffInvitation.objects.get())
        self.assert_invalid_and_nothing_created(link)

    def test_a_used_link_shows_the_invalid_page_and_changes_nothing(self) -> None:
        link = self.invite("nina@new.test")
        self.client.post(link, {"full_name": "Nina New", **PASSWORDS})
        self.client.logout()
        users = User.objects.count()
        self.assertContains(self.client.get(link), "This invitation is not valid",
                            status_code=404)
        response = self.client.post(link, {"full_name": "Someone Else",
                                           "password1": "another pass phrase",
                                           "password2": "another pass phrase"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(User.objects.count(), users)
        nina = User.objects.get(email="nina@new.test")
        self.assertEqual(nina.full_name, "Nina New")
        self.assertTrue(nina.check_password("a long pass phrase"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_garbled_link_shows_the_invalid_page(self) -> None:
        self.invite("nina@new.test")
        self.assert_invalid_and_nothing_created("/invitation/not-a-token/")
