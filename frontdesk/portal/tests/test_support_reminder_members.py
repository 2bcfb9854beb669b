"""Support-period reminders (SPEC P18) reach the people who act for the customer (SPEC X7) as
well as its own: each once, in their language, with a link that opens the portal as that
customer; never someone acting for another customer, one whose access is revoked or who no
longer acts for it, nor anyone of another organization. Sent by the real worker to the SMTP
sink."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext

from frontdesk.core.testing import FrontdeskTestCase, text_of
from frontdesk.customers.models import Customer
from frontdesk.customers.services import update_customer
from frontdesk.portal import reminders
from frontdesk.portal.memberships import add_portal_membership, remove_portal_membership
from frontdesk.portal.models import (
    AccessLink,
    CustomerAccess,
    PortalFor,
    PortalMembership,
    PortalSettings,
    PortalUser,
)
from frontdesk.portal.tests.helpers import link_in

SOON = timezone.localdate() + dt.timedelta(days=5)


class MemberReminderTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Anna keeps the books of Initech (her own customer) and of Globex.
        self.anna = PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                              email="anna@books.test", first_name="Anna",
                                              language="pl")
        # Carl acts for Initech, not for Globex.
        hooli = Customer.objects.create(organization=self.org_a, short_name="Hooli")
        self.carl = PortalUser.objects.create(organization=self.org_a, customer=hooli,
                                              email="carl@hooli.test", first_name="Carl")
        # Bea, of another organization with an address like Anna's, and a forged membership
        # of hers for Globex: she is not reached.
        customer_b = Customer.objects.create(organization=self.org_b, short_name="Umbrella")
        self.bea = PortalUser.objects.create(organization=self.org_b, customer=customer_b,
                                             email="anna@books.test.other", first_name="Bea")
        with self.sending():
            self.globex_membership = add_portal_membership(customer=self.customer_a2,
                                                    email="anna@books.test", by=self.admin_a)
            add_portal_membership(customer=self.customer_a1, email="carl@hooli.test",
                                  by=self.admin_a)
        PortalMembership.objects.create(organization=self.org_b, portal_user=self.bea,
                                        customer=self.customer_a2)
        self.smtp.clear()

    def remind_globex(self) -> None:
        with self.sending():
            update_customer(customer=self.customer_a2, support_until=SOON)

    def reminded(self) -> list[str]:
        return sorted(str(message["To"]) for message in self.smtp.messages)

    def test_the_people_acting_for_the_customer_are_reminded_once_in_their_language(
            self) -> None:
        self.remind_globex()
        self.assertEqual(self.reminded(), ["anna@books.test", "hank@globex.test"])
        [message] = self.smtp.to("anna@books.test")
        with translation.override("pl"):
            hello = gettext("Hello %(name)s,") % {"name": "Anna"}
        self.assertNotEqual(hello, "Hello Anna,")
        self.assertIn(hello, text_of(message))
        self.assertIn("Globex", text_of(message))

    def test_the_members_link_opens_the_portal_as_that_customer(self) -> None:
        self.remind_globex()
        [message] = self.smtp.to("anna@books.test")
        link = link_in(message)
        self.assertEqual(AccessLink.objects.filter(portal_user=self.anna).latest("pk")
                         .customer_id, self.customer_a2.pk)
        self.assertEqual(self.client.get(link).status_code, 302)
        data = self.client.session[f"portal:{self.org_a.pk}"]
        self.assertEqual(data["customer"], self.customer_a2.pk)

    def test_a_member_of_another_customer_only_gets_that_customers(self) -> None:
        with self.sending():
            update_customer(customer=self.customer_a1, support_until=SOON)
        # Initech: its own Peter and Anna, and Carl who acts for it; not Hank.
        self.assertEqual(self.reminded(), ["anna@books.test", "carl@hooli.test",
                                           "peter@initech.test"])
        [carls] = self.smtp.to("carl@hooli.test")
        self.assertIn("Initech", text_of(carls))
        self.assertNotIn("Globex", text_of(carls))

    def test_revoked_access_and_removed_memberships_are_respected(self) -> None:
        PortalUser.objects.filter(pk=self.anna.pk).update(is_active=False)
        self.remind_globex()
        self.assertEqual(self.reminded(), ["hank@globex.test"])

    def test_a_membership_removed_before_delivery_sends_nothing_to_her(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            update_customer(customer=self.customer_a2, support_until=SOON)
            # Queued for both, not yet delivered:
            self.assertEqual(reminders.remind(customer_id=self.customer_a2.pk,
                                              support_until=SOON, days=30), 2)
        remove_portal_membership(membership=self.globex_membership, by=self.admin_a)
        with self.sending():
            pass
        self.assertEqual(self.reminded(), ["hank@globex.test"])

    def test_no_portal_link_where_the_portal_is_closed_to_the_customer(self) -> None:
        PortalSettings.objects.filter(organization=self.org_a).update(
            portal_for=PortalFor.SELECTED)
        CustomerAccess.objects.create(organization=self.org_a, customer=self.customer_a2,
                                      allowed=False)
        CustomerAccess.objects.create(organization=self.org_a, customer=self.customer_a1,
                                      allowed=True)
        self.remind_globex()
        [message] = self.smtp.to("anna@books.test")
        self.assertNotIn("/link/", text_of(message))  # not a link to Initech instead
        self.assertIn("Globex", text_of(message))
