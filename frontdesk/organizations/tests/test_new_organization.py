from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Membership, Organization
from frontdesk.portal.models import PortalSettings
from frontdesk.support.models import Topic


class NewOrganizationTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin_a.is_superuser = True
        self.admin_a.save()

    def test_an_operator_creates_an_organization_and_becomes_its_admin(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post("/app/new/", {"name": "Bakery", "slug": "bakery",
                                                  "language": "nl"})
        self.assertRedirects(response, "/app/bakery/")
        organization = Organization.objects.get(slug="bakery")
        self.assertTrue(Membership.objects.get(organization=organization,
                                               user=self.admin_a).is_admin)
        # The defaults are named in the organization's language.
        self.assertEqual(Topic.objects.for_org(organization).get().name, "Algemeen")
        self.assertTrue(PortalSettings.objects.filter(organization=organization).exists())

    def test_a_duplicate_or_reserved_slug_is_refused_with_a_message(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post("/app/new/", {"name": "X", "slug": "other-org",
                                                  "language": "en"})
        self.assertContains(response, "already exists")
        response = self.client.post("/app/new/", {"name": "X", "slug": "new", "language": "en"})
        self.assertContains(response, "reserved")
        response = self.client.post("/app/new/", {"name": "X", "slug": "Bad Slug!",
                                                  "language": "en"})
        self.assertContains(response, "lowercase letters")
        self.assertEqual(Organization.objects.count(), 2)

    def test_other_staff_may_not_create_organizations(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post("/app/new/", {"name": "X", "slug": "x", "language": "en"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Organization.objects.filter(slug="x").exists())
