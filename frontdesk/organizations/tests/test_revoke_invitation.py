from frontdesk.accounts.models import StaffInvitation, User
from frontdesk.accounts.tests.helpers import link_path
from frontdesk.core.testing import FrontdeskTestCase

STAFF_URL = "/app/acme-support/settings/staff/"


class RevokeInvitationTests(FrontdeskTestCase):
    def invite(self) -> tuple[StaffInvitation, str]:
        self.login_staff(self.admin_a)
        with self.sending():
            self.client.post(STAFF_URL, {"email": "nina@new.test"})
        return StaffInvitation.objects.get(), link_path(self.smtp.to("nina@new.test")[0])

    def test_an_admin_withdraws_an_invitation_and_its_link_stops_working(self) -> None:
        invitation, link = self.invite()
        response = self.client.post(f"{STAFF_URL}invitations/{invitation.pk}/revoke/",
                                    follow=True)
        self.assertRedirects(response, STAFF_URL)
        self.assertContains(response, "The invitation to nina@new.test is withdrawn")
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.revoked_at)

        self.client.logout()
        self.assertContains(self.client.get(link), "This invitation is not valid",
                            status_code=404)
        self.client.post(link, {"full_name": "Nina", "password1": "a long pass phrase",
                                "password2": "a long pass phrase"})
        self.assertFalse(User.objects.filter(email="nina@new.test").exists())

    def test_a_member_who_is_not_admin_cannot_withdraw_an_invitation(self) -> None:
        invitation, _ = self.invite()
        self.login_staff(self.viewer_a)
        response = self.client.post(f"{STAFF_URL}invitations/{invitation.pk}/revoke/")
        self.assertEqual(response.status_code, 403)
        invitation.refresh_from_db()
        self.assertTrue(invitation.is_usable)

    def test_an_outsider_gets_404_and_the_invitation_stays(self) -> None:
        invitation, _ = self.invite()
        self.login_staff(self.staff_b)
        response = self.client.post(
            f"/app/other-org/settings/staff/invitations/{invitation.pk}/revoke/")
        self.assertEqual(response.status_code, 404)
        invitation.refresh_from_db()
        self.assertTrue(invitation.is_usable)

    def test_withdrawing_needs_a_post(self) -> None:
        invitation, _ = self.invite()
        response = self.client.get(f"{STAFF_URL}invitations/{invitation.pk}/revoke/")
        self.assertEqual(response.status_code, 405)
