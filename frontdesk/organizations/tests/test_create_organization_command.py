from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from frontdesk.accounts.models import User
from frontdesk.organizations.models import Membership, Organization


class CreateOrganizationCommandTests(TestCase):
    def test_it_creates_the_organization_and_its_admin(self) -> None:
        out = StringIO()
        with mock.patch.dict("os.environ", {"FRONTDESK_ADMIN_PASSWORD": "a-long-Secret-77"}):
            call_command("create_organization", "--slug", "acme", "--name", "Acme",
                         "--admin-email", "Boss@Acme.test", "--operator", stdout=out)
        membership = Membership.objects.get(organization__slug="acme")
        self.assertTrue(membership.is_admin)
        self.assertEqual(membership.user.email, "boss@acme.test")
        self.assertTrue(membership.user.is_superuser)
        self.assertTrue(membership.user.check_password("a-long-Secret-77"))
        self.assertIn("/app/acme/", out.getvalue())

    def test_a_bad_slug_or_weak_password_stops_with_a_message(self) -> None:
        with mock.patch.dict("os.environ", {"FRONTDESK_ADMIN_PASSWORD": "123"}), \
                self.assertRaisesMessage(CommandError, "too short"):
            call_command("create_organization", "--slug", "acme", "--name", "Acme",
                         "--admin-email", "boss@acme.test", stdout=StringIO())
        with mock.patch.dict("os.environ", {"FRONTDESK_ADMIN_PASSWORD": "a-long-Secret-77"}), \
                self.assertRaises(CommandError):
            call_command("create_organization", "--slug", "Not A Slug", "--name", "Acme",
                         "--admin-email", "boss@acme.test", stdout=StringIO())
        self.assertFalse(Organization.objects.exists())
        self.assertFalse(User.objects.exists())  # nothing half-made
