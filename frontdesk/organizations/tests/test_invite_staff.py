from frontdesk.accounts.models import StaffInvitation, User
from frontdesk.accounts.tests.helpers import link_path
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.models import Membership

STAFF_URL = "/app/acme-support/settings/staff/"


class InviteStaffTests(FrontdeskTestCase):
    def test_the_invited_person_follows_the_emailed_link_and_lands_in_the_organization(
            self) -> None:
        self.login_staff(self.admin_a)
        with self.sending():
            response = self.client.post(STAFF_URL, {"email": "Nina@New.test"})
        self.assertRedirects(response, STAFF_URL)

        [message] = self.smtp.to("nina@new.test")
        self.assertIn("Acme Support", message["Subject"])
        self.client.logout()
        link = link_path(message)
        self.assertContains(self.client.get(link), "Create your account for nina@new.test")
        response = self.client.post(link, {"full_name": "Nina New",
                                           "password1": "a long pass phrase",
                                           "password2": "a long pass phrase"}, follow=True)
        self.assertRedirects(response, "/app/acme-support/")
        self.assertContains(response, "Welcome to Acme Support")

        nina = User.objects.get(email="nina@new.test")
        self.assertEqual(nina.full_name, "Nina New")
        self.assertTrue(nina.check_password("a long pass phrase"))
        self.assertFalse(self.membership(nina).is_admin)
        self.assertEqual(self.client.session["_auth_user_id"], str(nina.pk))

    def test_an_invitation_as_administrator_makes_an_administrator(self) -> None:
        self.login_staff(self.admin_a)
        with self.sending():
            self.client.post(STAFF_URL, {"email": "nina@new.test", "is_admin": "on"})
        self.client.logout()
        link = link_path(self.smtp.to("nina@new.test")[0])
        self.client.post(link, {"full_name": "Nina New", "password1": "a long pass phrase",
                                "password2": "a long pass phrase"})
        self.assertTrue(self.membership(User.objects.get(email="nina@new.test")).is_admin)

    def test_inviting_a_staff_members_address_is_refused_and_changes_nothing(self) -> None:
        self.login_staff(self.admin_a)
        with self.sending():
            response = self.client.post(STAFF_URL, {"email": " AGENT@acme.test ",
                                                    "is_admin": "on"})
        self.assertContains(response, "agent@acme.test is already staff of this organization.")
        self.assertFalse(StaffInvitation.objects.exists())
        self.assertFalse(OutboxMessage.objects.exists())
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(self.membership(self.agent_a).is_admin)

    def test_an_address_that_is_not_an_email_gets_a_form_error(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(STAFF_URL, {"email": "not an address"})
        self.assertContains(response, "Enter a valid email address.")
        self.assertFalse(StaffInvitation.objects.exists())

    def test_a_new_invitation_to_the_same_address_replaces_the_earlier_one(self) -> None:
        self.login_staff(self.admin_a)
        with self.sending():
            self.client.post(STAFF_URL, {"email": "nina@new.test"})
        with self.sending():
            self.client.post(STAFF_URL, {"email": "nina@new.test"})
        first, second = self.smtp.to("nina@new.test")
        self.assertEqual(self.client.get(link_path(first)).status_code, 404)
        self.assertEqual(self.client.get(link_path(second)).status_code, 200)

    def test_a_member_who_is_not_admin_cannot_invite(self) -> None:
        self.login_staff(self.viewer_a)
        with self.sending():
            response = self.client.post(STAFF_URL, {"email": "nina@new.test"})
        self.assertContains(response, "Only administrators of this organization may do this.",
                            status_code=403)
        self.assertFalse(StaffInvitation.objects.exists())
        self.assertEqual(self.smtp.messages, [])

    def test_an_outsider_gets_404_and_invites_nobody(self) -> None:
        self.login_staff(self.staff_b)
        response = self.client.post(STAFF_URL, {"email": "nina@new.test"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(StaffInvitation.objects.exists())
        self.assertFalse(Membership.objects.filter(user__email="nina@new.test").exists())
