from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.organizations.permissions import Level

URL = "/app/acme-support/settings/"


class SettingsIndexTests(FrontdeskTestCase):
    def test_admins_get_every_settings_page(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(URL)
        for link in ("settings/staff/", "settings/permissions/", "settings/groups/",
                     "settings/portal/", "outbox/"):
            self.assertContains(response, f'href="/app/acme-support/{link}"')

    def test_a_view_only_member_gets_staff_and_groups_only(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(URL)
        self.assertContains(response, 'href="/app/acme-support/settings/staff/"')
        self.assertContains(response, 'href="/app/acme-support/settings/groups/"')
        for link in ("settings/permissions/", "settings/portal/", "outbox/"):
            self.assertNotContains(response, f'href="/app/acme-support/{link}"')

    def test_a_manager_of_one_area_gets_the_permissions_page(self) -> None:
        self.login_staff(make_staff("lead@acme.test", "Lee Lead", self.org_a,
                                    support=Level.MANAGE))
        self.assertContains(self.client.get(URL),
                            'href="/app/acme-support/settings/permissions/"')

    def test_every_linked_page_opens_for_an_admin(self) -> None:
        self.login_staff(self.admin_a)
        for link in ("settings/staff/", "settings/permissions/", "settings/groups/",
                     "outbox/"):
            self.assertEqual(self.client.get(f"/app/acme-support/{link}").status_code, 200)
