from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.organizations.models import Group

URL = "/app/acme-support/settings/groups/"


class GroupListTests(FrontdeskTestCase):
    def test_staff_see_the_groups_and_their_members(self) -> None:
        Group.objects.create(organization=self.org_a, name="Billing desk").members.add(
            self.agent_a)
        Group.objects.create(organization=self.org_b, name="Their group")
        self.login_staff(self.viewer_a)
        response = self.client.get(URL)
        self.assertContains(response, "Billing desk")
        self.assertContains(response, "Alan Agent")
        self.assertNotContains(response, "Their group")
        self.assertNotContains(response, "Create the group")

    def test_an_admin_creates_a_group_with_members(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {"name": " Billing desk ",
                                           "members": [self.agent_a.pk, self.viewer_a.pk]},
                                    follow=True)
        self.assertRedirects(response, URL)
        self.assertContains(response, "The group Billing desk is created.")
        group = Group.objects.for_org(self.org_a).get(name="Billing desk")
        self.assertEqual(set(group.members.all()), {self.agent_a, self.viewer_a})

    def test_a_name_in_use_is_refused_and_nothing_changes(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {"name": "SUPPORT", "members": [self.agent_a.pk]})
        self.assertContains(response, "A group with this name already exists.")
        self.assertEqual(Group.objects.for_org(self.org_a).count(), 1)

    def test_a_user_who_is_not_staff_here_cannot_be_a_member(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {"name": "Billing desk",
                                           "members": [self.agent_a.pk, self.staff_b.pk]})
        self.assertContains(response, "Select a valid choice.")
        self.assertFalse(Group.objects.filter(name="Billing desk").exists())

    def test_only_this_organizations_staff_are_offered_as_members(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(URL)
        self.assertContains(response, "Vera Viewer (viewer@acme.test)")
        self.assertNotContains(response, "staff@other.test")

    def test_a_member_who_is_not_admin_cannot_create_a_group(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(URL, {"name": "Billing desk"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Group.objects.filter(name="Billing desk").exists())

    def test_the_number_of_queries_does_not_grow_with_groups(self) -> None:
        staff = [make_staff(f"s{n}@acme.test", f"Staff {n}", self.org_a) for n in range(5)]
        for n in range(15):
            Group.objects.create(organization=self.org_a, name=f"Group {n}").members.set(staff)
        self.login_staff(self.admin_a)
        # session with the membership (the user, notifications), groups, their members, staff
        with self.assertNumQueries(4):
            response = self.client.get(URL)
        self.assertContains(response, "Group 14")

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(URL).status_code, 404)
