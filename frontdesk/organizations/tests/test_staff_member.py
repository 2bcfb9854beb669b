from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Group


class StaffMemberPageTests(FrontdeskTestCase):
    def url(self, membership_id: int, org: str = "acme-support") -> str:
        return f"/app/{org}/settings/staff/{membership_id}/"

    def test_it_shows_the_members_email_levels_and_groups(self) -> None:
        Group.objects.create(organization=self.org_a, name="Billing desk").members.add(
            self.agent_a)
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url(self.membership(self.agent_a).pk))
        self.assertContains(response, "Alan Agent")
        self.assertContains(response, "agent@acme.test")
        self.assertContains(response, "Contribute")
        self.assertContains(response, "Billing desk")

    def test_members_who_are_not_admin_see_no_admin_controls(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url(self.membership(self.agent_a).pk))
        self.assertNotContains(response, "Make administrator")
        self.assertNotContains(response, "Remove Alan Agent")

    def test_admins_see_the_admin_controls(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url(self.membership(self.agent_a).pk))
        self.assertContains(response, "Make administrator")
        self.assertContains(response, "Remove Alan Agent")

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        agent_membership = self.membership(self.agent_a).pk
        self.assertEqual(self.client.get(self.url(agent_membership)).status_code, 404)
        self.assertEqual(self.client.get(self.url(agent_membership, "other-org")).status_code,
                         404)
