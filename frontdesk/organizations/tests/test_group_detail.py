from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Group


class GroupDetailTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.group = Group.objects.create(organization=self.org_a, name="Billing desk")
        self.group.members.add(self.agent_a)
        self.url = f"/app/acme-support/settings/groups/{self.group.pk}/"

    def test_an_admin_renames_the_group_and_sets_its_members(self) -> None:
        self.login_staff(self.admin_a)
        self.assertContains(self.client.get(self.url), 'value="Billing desk"')
        response = self.client.post(self.url, {"name": "Accounts desk",
                                               "members": [self.viewer_a.pk]}, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "The group is saved.")
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Accounts desk")
        self.assertEqual(list(self.group.members.all()), [self.viewer_a])

    def test_a_user_id_from_another_organization_is_refused_and_nothing_changes(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url, {"name": "Accounts desk",
                                               "members": [self.staff_b.pk]})
        self.assertContains(response, "Select a valid choice.")
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Billing desk")
        self.assertEqual(list(self.group.members.all()), [self.agent_a])

    def test_a_name_in_use_is_refused_and_nothing_changes(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url, {"name": "support",
                                               "members": [self.viewer_a.pk]})
        self.assertContains(response, "A group with this name already exists.")
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Billing desk")
        self.assertEqual(list(self.group.members.all()), [self.agent_a])

    def test_an_empty_name_is_refused(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url, {"name": "  "})
        self.assertContains(response, "This field is required.")
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Billing desk")

    def test_a_member_who_is_not_admin_sees_the_members_but_cannot_save(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url)
        self.assertContains(response, "Alan Agent")
        self.assertNotContains(response, "<form method=\"post\" novalidate>")
        response = self.client.post(self.url, {"name": "Mine now"})
        self.assertEqual(response.status_code, 403)
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Billing desk")

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        for org in ("acme-support", "other-org"):
            url = f"/app/{org}/settings/groups/{self.group.pk}/"
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(self.client.post(url, {"name": "Taken"}).status_code, 404)
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Billing desk")
