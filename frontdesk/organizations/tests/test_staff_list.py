import datetime as dt

from django.utils import timezone

from frontdesk.accounts.models import StaffInvitation
from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.organizations.permissions import Level

STAFF_URL = "/app/acme-support/settings/staff/"


def invite(test: FrontdeskTestCase, email: str, **fields: object) -> StaffInvitation:
    return StaffInvitation.objects.create(
        organization=test.org_a, email=email, invited_by=test.admin_a,
        expires_at=timezone.now() + dt.timedelta(days=7), **fields)


class StaffListTests(FrontdeskTestCase):
    def test_it_lists_staff_with_email_admin_flag_and_levels(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(STAFF_URL)
        self.assertContains(response, "Ada Admin")
        self.assertContains(response, "agent@acme.test")
        self.assertContains(response, "Vera Viewer")
        self.assertContains(response, "Contribute")  # the agent's support level
        self.assertContains(response, "Administrator")
        self.assertNotContains(response, "Bea Other")

    def test_a_member_who_is_not_admin_sees_no_invitations_and_no_invite_form(self) -> None:
        invite(self, "nina@new.test")
        self.login_staff(self.viewer_a)
        response = self.client.get(STAFF_URL)
        self.assertNotContains(response, "nina@new.test")
        self.assertNotContains(response, "Send the invitation")

    def test_admins_see_pending_invitations_but_not_used_withdrawn_or_expired_ones(self) -> None:
        invite(self, "pending@new.test")
        invite(self, "used@new.test", accepted_at=timezone.now())
        invite(self, "withdrawn@new.test", revoked_at=timezone.now())
        StaffInvitation.objects.create(organization=self.org_a, email="expired@new.test",
                                       expires_at=timezone.now() - dt.timedelta(minutes=1))
        self.login_staff(self.admin_a)
        response = self.client.get(STAFF_URL)
        self.assertContains(response, "pending@new.test")
        self.assertContains(response, "Send the invitation")
        for email in ("used@new.test", "withdrawn@new.test", "expired@new.test"):
            self.assertNotContains(response, email)

    def test_the_number_of_queries_does_not_grow_with_staff_and_invitations(self) -> None:
        for n in range(20):
            make_staff(f"staff{n}@acme.test", f"Staff {n}", self.org_a, support=Level.EDIT)
            invite(self, f"invitee{n}@new.test")
        self.login_staff(self.admin_a)
        # session with the membership (the user, unread notifications), staff, invitations
        with self.assertNumQueries(3):
            response = self.client.get(STAFF_URL)
        self.assertContains(response, "Staff 19")
        self.assertContains(response, "invitee19@new.test")

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(STAFF_URL).status_code, 404)

    def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(self) -> None:
        response = self.client.get(STAFF_URL)
        self.assertRedirects(response, "/login/?next=" + STAFF_URL)
