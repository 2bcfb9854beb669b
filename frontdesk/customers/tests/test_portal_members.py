"""People of other customers acting for this one in the portal (SPEC X7), on the customer's
page: staff add an existing portal person by e-mail, set their billing tabs for this customer,
and remove them. Only this organization's staff, only this customer's members."""

from __future__ import annotations

import html

from frontdesk.core.testing import FrontdeskTestCase, text_of
from frontdesk.customers.models import Activity, Customer
from frontdesk.organizations.permissions import Level
from frontdesk.portal.memberships import add_portal_membership
from frontdesk.portal.models import PortalMembership, PortalUser


class PortalMembersTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Peter (of Initech) is the accountant; Globex wants him too.
        self.base = f"/app/acme-support/customers/{self.customer_a2.pk}/"
        manager = self.membership(self.agent_a)
        manager.level_customers = Level.MANAGE
        manager.save(update_fields=["level_customers"])

    def add(self, email: str) -> str:
        """What the customer's page says after adding `email`."""
        response = self.client.post(f"{self.base}portal-members/add/", {"email": email},
                                    follow=True)
        self.assertEqual(response.status_code, 200)
        return html.unescape(response.content.decode())

    def test_staff_add_a_portal_person_of_another_customer_by_e_mail(self) -> None:
        self.login_staff(self.agent_a)
        with self.sending():
            said = self.add(" Peter@Initech.test ")
        self.assertIn("peter@initech.test can now act for this customer in the portal.", said)
        membership = PortalMembership.objects.get()
        self.assertEqual((membership.portal_user_id, membership.customer_id,
                          membership.organization_id),
                         (self.portal_a1.pk, self.customer_a2.pk, self.org_a.pk))
        self.assertTrue(Activity.objects.filter(customer=self.customer_a2,
                                                kind=Activity.Kind.PORTAL_ACCESS).exists())
        [invitation] = self.smtp.to("peter@initech.test")
        self.assertIn("/p/acme-support/link/", text_of(invitation))
        page = self.client.get(self.base).content.decode()
        self.assertIn("People of other customers acting for this one", page)
        self.assertIn("peter@initech.test", page)
        self.assertIn("Initech", page)  # his own customer
        # He stays Initech's own person.
        self.assertEqual(PortalUser.objects.get(pk=self.portal_a1.pk).customer_id,
                         self.customer_a1.pk)

    def test_what_cannot_be_added_is_said_and_nothing_changes(self) -> None:
        self.login_staff(self.agent_a)
        add_portal_membership(customer=self.customer_a2, email="peter@initech.test",
                              by=self.admin_a)
        revoked = PortalUser.objects.create(organization=self.org_a, customer=self.customer_a1,
                                            email="gone@initech.test", is_active=False)
        PortalUser.objects.create(organization=self.org_b,
                                  customer=Customer.objects.create(organization=self.org_b,
                                                                   short_name="Umbrella"),
                                  email="bob@umbrella.test")
        for email, message in (
                ("nobody@nowhere.test", "No one uses the portal with nobody@nowhere.test yet"),
                ("bob@umbrella.test", "No one uses the portal with bob@umbrella.test yet"),
                ("hank@globex.test", "one of this customer's own portal users"),
                ("peter@initech.test", "acts for this customer already"),
                (revoked.email, "is revoked"),
                ("not an address", "Not an e-mail address"),
                ("", "Not an e-mail address")):
            self.assertIn(message, self.add(email))
        self.assertEqual(PortalMembership.objects.count(), 1)

    def test_tabs_are_set_per_customer_and_members_removed(self) -> None:
        membership = add_portal_membership(customer=self.customer_a2,
                                           email="peter@initech.test", by=self.admin_a)
        self.login_staff(self.agent_a)
        self.client.post(f"{self.base}portal-members/{membership.pk}/tabs/",
                         {"invoices": "on"})
        membership.refresh_from_db()
        self.assertEqual((membership.sees_quotes, membership.sees_invoices,
                          membership.sees_balance), (False, True, False))
        # His tabs for his own customer are his own still.
        peter = PortalUser.objects.get(pk=self.portal_a1.pk)
        self.assertEqual((peter.sees_quotes, peter.sees_invoices, peter.sees_balance),
                         (True, True, True))
        self.client.post(f"{self.base}portal-members/{membership.pk}/remove/")
        self.assertFalse(PortalMembership.objects.exists())
        self.assertTrue(PortalUser.objects.filter(pk=self.portal_a1.pk).exists())

    def test_only_this_organizations_staff_and_only_this_customers_members(self) -> None:
        membership = add_portal_membership(customer=self.customer_a2,
                                           email="peter@initech.test", by=self.admin_a)
        remove = f"{self.base}portal-members/{membership.pk}/remove/"
        tabs = f"{self.base}portal-members/{membership.pk}/tabs/"
        self.login_staff(self.viewer_a)
        for url in (remove, tabs, f"{self.base}portal-members/add/"):
            self.assertEqual(self.client.post(url, {"email": "hank@globex.test"}).status_code,
                             403)
        self.login_staff(self.agent_a)
        # This membership under another customer's address.
        other = f"/app/acme-support/customers/{self.customer_a1.pk}/portal-members/"
        for url in (f"{other}{membership.pk}/remove/", f"{other}{membership.pk}/tabs/"):
            self.assertEqual(self.client.post(url).status_code, 404)
        self.login_staff(self.staff_b)
        for url in (remove, tabs, f"{self.base}portal-members/add/",
                    f"/app/other-org/customers/{self.customer_a2.pk}/portal-members/"
                    f"{membership.pk}/remove/"):
            self.assertEqual(self.client.post(url, {"email": "x@y.test"}).status_code, 404)
        self.assertEqual(PortalMembership.objects.get().sees_quotes, True)
        self.assertEqual(self.client.get(remove).status_code, 405)

    def test_a_merge_moves_the_people_acting_for_the_source(self) -> None:
        from frontdesk.customers.merging import merge_customers

        hooli = Customer.objects.create(organization=self.org_a, short_name="Hooli")
        anna = PortalUser.objects.create(organization=self.org_a, customer=hooli,
                                         email="anna@books.test")
        add_portal_membership(customer=self.customer_a2, email="anna@books.test",
                              by=self.admin_a)
        # Peter (Initech's own) acts for Globex: merged into Initech, he is simply its own.
        add_portal_membership(customer=self.customer_a2, email="peter@initech.test",
                              by=self.admin_a)
        merge_customers(source=self.customer_a2, target=self.customer_a1, by=self.admin_a)
        self.assertEqual(list(PortalMembership.objects.values_list("portal_user_id",
                                                                   "customer_id")),
                         [(anna.pk, self.customer_a1.pk)])
