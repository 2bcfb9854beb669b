from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.organizations.models import Group, Membership
from frontdesk.support.models import Topic


class RemoveStaffTests(FrontdeskTestCase):
    def url(self, membership_id: int, org: str = "acme-support") -> str:
        return f"/app/{org}/settings/staff/{membership_id}/remove/"

    def test_a_removed_member_loses_access_groups_and_topics_but_keeps_the_login(self) -> None:
        group = Group.objects.for_org(self.org_a).get()
        group.members.add(self.agent_a)
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(self.membership(self.agent_a).pk), follow=True)
        self.assertRedirects(response, "/app/acme-support/settings/staff/")
        self.assertContains(response, "Alan Agent is no longer staff of Acme Support.")
        self.assertFalse(Membership.objects.filter(user=self.agent_a).exists())
        self.assertNotIn(self.agent_a, group.members.all())
        # No new request is routed to someone who is no longer staff.
        self.assertNotIn(self.agent_a, Topic.objects.for_org(self.org_a).get().assignees.all())

        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get("/app/acme-support/").status_code, 404)

    def test_the_last_admin_cannot_be_removed(self) -> None:
        self.login_staff(self.admin_a)
        membership = self.membership(self.admin_a)
        response = self.client.post(self.url(membership.pk), follow=True)
        self.assertContains(response, "An organization needs at least one administrator.")
        self.assertTrue(Membership.objects.filter(pk=membership.pk, is_admin=True).exists())

    def test_an_admin_who_removes_themselves_goes_to_their_organizations(self) -> None:
        make_staff("second@acme.test", "Sam Second", self.org_a, admin=True)
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(self.membership(self.admin_a).pk))
        self.assertRedirects(response, "/app/", fetch_redirect_response=False)
        self.assertFalse(Membership.objects.filter(user=self.admin_a).exists())

    def test_a_member_who_is_not_admin_gets_403(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(self.membership(self.viewer_a).pk))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Membership.objects.filter(user=self.viewer_a).exists())

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        membership = self.membership(self.viewer_a)
        for org in ("acme-support", "other-org"):
            self.assertEqual(self.client.post(self.url(membership.pk, org)).status_code, 404)
        self.assertTrue(Membership.objects.filter(pk=membership.pk).exists())
