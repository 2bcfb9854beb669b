from typing import Any

from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.organizations.models import Membership
from frontdesk.organizations.permissions import Level

URL = "/app/acme-support/settings/permissions/"


class PermissionsPageTests(FrontdeskTestCase):
    def cell(self, user: Any, area: str) -> str:
        return f"level-{self.membership(user).pk}-{area}"

    def levels(self, user: Any) -> dict[str, int]:
        membership = self.membership(user)
        return {area: getattr(membership, f"level_{area}")
                for area in ("customers", "offers", "ledger", "support", "tasks")}

    def test_a_view_only_member_gets_403_with_a_message_and_changes_nothing(self) -> None:
        self.login_staff(self.viewer_a)
        before = self.levels(self.agent_a)
        response = self.client.get(URL)
        self.assertContains(response, "Only administrators, and staff with the “Manage” "
                            "permission in an area, may set permissions.", status_code=403)
        response = self.client.post(URL, {self.cell(self.agent_a, "support"): Level.MANAGE})
        self.assertContains(response, "may set permissions", status_code=403)
        self.assertEqual(self.levels(self.agent_a), before)

    def test_a_view_only_member_reads_the_request_list_but_cannot_change_permissions(
            self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get("/app/acme-support/requests/").status_code, 200)
        response = self.client.post(URL, {self.cell(self.viewer_a, "support"): Level.MANAGE})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.membership(self.viewer_a).level_support, Level.VIEW)

    def test_an_admin_sets_levels_and_they_persist(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {
            self.cell(self.viewer_a, "ledger"): Level.NONE,
            self.cell(self.viewer_a, "tasks"): Level.EDIT,
            self.cell(self.agent_a, "offers"): Level.MANAGE,
        }, follow=True)
        self.assertRedirects(response, URL)
        self.assertContains(response, "Permissions saved.")
        self.assertEqual(self.levels(self.viewer_a), {
            "customers": Level.VIEW, "offers": Level.VIEW, "ledger": Level.NONE,
            "support": Level.VIEW, "tasks": Level.EDIT})
        self.assertEqual(self.membership(self.agent_a).level_offers, Level.MANAGE)
        self.assertContains(response, f'<option value="{Level.EDIT.value}" selected>')

    def test_admin_rows_show_manage_and_offer_no_choice(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(URL)
        self.assertContains(response, f'name="{self.cell(self.viewer_a, "ledger")}"')
        self.assertNotContains(response, f'name="{self.cell(self.admin_a, "ledger")}"')

    def test_a_submitted_level_for_an_admin_is_ignored(self) -> None:
        self.login_staff(self.admin_a)
        self.client.post(URL, {self.cell(self.admin_a, "ledger"): Level.NONE})
        membership = self.membership(self.admin_a)
        self.assertEqual(membership.level_ledger, Level.VIEW)
        self.assertEqual(membership.level("ledger"), Level.MANAGE)

    def test_a_support_manager_changes_support_levels(self) -> None:
        manager = make_staff("lead@acme.test", "Lee Lead", self.org_a, support=Level.MANAGE)
        self.login_staff(manager)
        response = self.client.get(URL)
        self.assertContains(response, f'name="{self.cell(self.viewer_a, "support")}"')
        self.assertNotContains(response, f'name="{self.cell(self.viewer_a, "customers")}"')

        response = self.client.post(URL, {self.cell(self.viewer_a, "support"): Level.EDIT},
                                    follow=True)
        self.assertContains(response, "Permissions saved.")
        self.assertEqual(self.membership(self.viewer_a).level_support, Level.EDIT)

    def test_a_support_manager_cannot_change_customers_levels_and_nothing_is_saved(
            self) -> None:
        manager = make_staff("lead@acme.test", "Lee Lead", self.org_a, support=Level.MANAGE)
        self.login_staff(manager)
        before = self.levels(self.viewer_a)
        response = self.client.post(URL, {
            self.cell(self.viewer_a, "support"): Level.EDIT,
            self.cell(self.viewer_a, "customers"): Level.MANAGE,
        }, follow=True)
        self.assertContains(response, "You do not manage the area “Customers”, so you cannot "
                            "change its permissions. Nothing was saved.")
        self.assertEqual(self.levels(self.viewer_a), before)

    def test_one_refusal_undoes_the_changes_to_other_members(self) -> None:
        manager = make_staff("lead@acme.test", "Lee Lead", self.org_a, support=Level.MANAGE)
        self.login_staff(manager)
        response = self.client.post(URL, {
            self.cell(self.agent_a, "support"): Level.EDIT,  # allowed, saved first
            self.cell(self.viewer_a, "ledger"): Level.NONE,  # refused
        }, follow=True)
        self.assertContains(response, "Nothing was saved.")
        self.assertEqual(self.membership(self.agent_a).level_support, Level.CONTRIBUTE)
        self.assertEqual(self.membership(self.viewer_a).level_ledger, Level.VIEW)

    def test_an_invalid_level_saves_nothing(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {
            self.cell(self.viewer_a, "tasks"): Level.EDIT,
            self.cell(self.agent_a, "support"): "9",
        }, follow=True)
        self.assertContains(response, "Some of the levels sent are not valid. Nothing was saved.")
        self.assertEqual(self.membership(self.viewer_a).level_tasks, Level.VIEW)

    def test_levels_for_another_organizations_staff_are_ignored(self) -> None:
        self.login_staff(self.admin_a)
        outsider = Membership.objects.get(user=self.staff_b)
        self.client.post(URL, {f"level-{outsider.pk}-customers": Level.NONE})
        outsider.refresh_from_db()
        self.assertEqual(outsider.level_customers, Level.VIEW)

    def test_the_number_of_queries_does_not_grow_with_staff(self) -> None:
        for n in range(20):
            make_staff(f"staff{n}@acme.test", f"Staff {n}", self.org_a)
        self.login_staff(self.admin_a)
        # session with the membership (the user, unread notifications), staff
        with self.assertNumQueries(2):
            response = self.client.get(URL)
        self.assertContains(response, "Staff 19")

    def test_an_outsider_gets_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(URL).status_code, 404)
