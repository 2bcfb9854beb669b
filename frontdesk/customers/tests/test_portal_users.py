"""A customer's portal users on its page (SPEC P9, P17): who they are and when they last logged
in; staff who manage customers revoke a user's access (their sessions and links stop working at
once) and grant it again. Only this customer's users, only by this organization's staff."""

from __future__ import annotations

from django.utils import timezone

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.permissions import Level
from frontdesk.portal.access_links import mint_access_link, use_access_link
from frontdesk.portal.models import AccessLink, PortalUser


class PortalUsersTests(FrontdeskTestCase):
    def detail(self) -> str:
        return f"/app/acme-support/customers/{self.customer_a1.pk}/"

    def access_url(self, portal_user: PortalUser) -> str:
        return f"{self.detail()}portal-users/{portal_user.pk}/access/"

    def test_the_page_lists_its_users_with_their_last_log_in(self) -> None:
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(last_login_at=timezone.now())
        self.login_staff(self.viewer_a)
        page = self.client.get(self.detail()).content.decode()
        self.assertIn(self.portal_a1.email, page)
        self.assertNotIn(self.portal_a2.email, page)  # another customer's user
        self.assertNotIn("Never", page)
        self.assertNotIn("Revoke access", page)  # a viewer may not

    def test_a_manager_revokes_access_and_grants_it_again(self) -> None:
        self.make_manager()
        # The portal user is signed in, and has a passwordless link.
        portal_client = self.client_class()
        token = mint_access_link(self.portal_a1)
        self.login_portal(self.portal_a1)
        portal_client.cookies = self.client.cookies
        self.assertEqual(portal_client.get("/p/acme-support/requests/").status_code, 200)

        self.client = self.client_class()
        self.login_staff(self.agent_a)
        page = self.client.get(self.detail()).content.decode()
        self.assertIn("Revoke access", page)
        response = self.client.post(self.access_url(self.portal_a1), {"active": "0"},
                                    follow=True)
        self.assertContains(response, f"{self.portal_a1.email} can no longer use the portal.")
        self.assertFalse(PortalUser.objects.get(pk=self.portal_a1.pk).is_active)
        # Their session ends and their link no longer works.
        self.assertNotEqual(portal_client.get("/p/acme-support/requests/").status_code, 200)
        self.assertFalse(AccessLink.objects.usable().filter(portal_user=self.portal_a1).exists())
        self.assertIsNone(use_access_link(organization=self.org_a, token=token))

        self.client.post(self.access_url(self.portal_a1), {"active": "1"})
        self.assertTrue(PortalUser.objects.get(pk=self.portal_a1.pk).is_active)
        # Access granted again does not bring back the links that were out.
        self.assertIsNone(use_access_link(organization=self.org_a, token=token))
        self.assertIsNotNone(use_access_link(organization=self.org_a,
                                             token=mint_access_link(self.portal_a1)))

    def make_manager(self) -> None:
        membership = self.membership(self.agent_a)
        membership.level_customers = Level.MANAGE
        membership.save(update_fields=["level_customers"])

    def test_only_managers_of_this_organization_and_only_this_customers_users(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.post(self.access_url(self.portal_a1), {"active": "0"})
                         .status_code, 403)
        self.make_manager()
        self.login_staff(self.agent_a)
        # Another customer's user, under this customer's address.
        self.assertEqual(self.client.post(self.access_url(self.portal_a2), {"active": "0"})
                         .status_code, 404)
        self.login_staff(self.staff_b)
        for url in (self.access_url(self.portal_a1),
                    f"/app/other-org/customers/{self.customer_a1.pk}/portal-users/"
                    f"{self.portal_a1.pk}/access/"):
            self.assertEqual(self.client.post(url, {"active": "0"}).status_code, 404)
        self.assertFalse(PortalUser.objects.filter(is_active=False).exists())
