from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.organizations.permissions import Level


class SetStaffAdminTests(FrontdeskTestCase):
    def url(self, membership_id: int, org: str = "acme-support") -> str:
        return f"/app/{org}/settings/staff/{membership_id}/admin/"

    def test_an_admin_makes_a_member_administrator(self) -> None:
        self.login_staff(self.admin_a)
        membership = self.membership(self.viewer_a)
        response = self.client.post(self.url(membership.pk), {"is_admin": "1"}, follow=True)
        self.assertRedirects(response, f"/app/acme-support/settings/staff/{membership.pk}/")
        self.assertContains(response, "Vera Viewer is now an administrator.")
        membership.refresh_from_db()
        self.assertTrue(membership.is_admin)
        self.assertEqual(membership.level("ledger"), Level.MANAGE)

    def test_an_admin_takes_rights_away_when_another_admin_remains(self) -> None:
        second = make_staff("second@acme.test", "Sam Second", self.org_a, admin=True)
        self.login_staff(self.admin_a)
        membership = self.membership(second)
        response = self.client.post(self.url(membership.pk), {"is_admin": "0"}, follow=True)
        self.assertContains(response, "Sam Second is no longer an administrator.")
        membership.refresh_from_db()
        self.assertFalse(membership.is_admin)
        self.assertEqual(membership.level("ledger"), Level.VIEW)

    def test_the_last_admin_keeps_admin_rights_with_a_message(self) -> None:
        self.login_staff(self.admin_a)
        membership = self.membership(self.admin_a)
        response = self.client.post(self.url(membership.pk), {"is_admin": "0"}, follow=True)
        self.assertContains(response, "An organization needs at least one administrator.")
        membership.refresh_from_db()
        self.assertTrue(membership.is_admin)

    def test_a_garbled_choice_changes_nothing(self) -> None:
        self.login_staff(self.admin_a)
        membership = self.membership(self.viewer_a)
        response = self.client.post(self.url(membership.pk), {"is_admin": "yes"}, follow=True)
        self.assertContains(response, "Choose whether this person is an administrator.")
        membership.refresh_from_db()
        self.assertFalse(membership.is_admin)

    def test_a_member_who_is_not_admin_gets_403(self) -> None:
        self.login_staff(self.agent_a)
        membership = self.membership(self.agent_a)
        response = self.client.post(self.url(membership.pk), {"is_admin": "1"})
        self.assertContains(response, "Only administrators", status_code=403)
        membership.refresh_from_db()
        self.assertFalse(membership.is_admin)

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        membership = self.membership(self.viewer_a)
        for org in ("acme-support", "other-org"):
            response = self.client.post(self.url(membership.pk, org), {"is_admin": "1"})
            self.assertEqual(response.status_code, 404)
        membership.refresh_from_db()
        self.assertFalse(membership.is_admin)
