from typing import ClassVar

from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Contact, Customer
from frontdesk.customers.services import create_customer
from frontdesk.organizations.permissions import Level


class AddContactTests(FrontdeskTestCase):
    def url(self) -> str:
        return reverse("customers:contact_new", args=[self.org_a.slug, self.customer_a1.pk])

    def test_a_contributor_adds_a_contact(self) -> None:
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(self.url()), "New contact for Initech")
        response = self.client.post(self.url(), {
            "first_name": "Bill", "last_name": "Lumbergh", "position": "Division VP",
            "email": "Bill@Initech.TEST", "phone": "555-0101",
        }, follow=True)
        self.assertRedirects(response, reverse("customers:detail",
                                               args=[self.org_a.slug, self.customer_a1.pk]))
        contact = self.customer_a1.contacts.get()
        self.assertEqual(contact.email, "bill@initech.test")
        self.assertEqual(contact.organization_id, self.org_a.pk)
        self.assertContains(response, "Bill Lumbergh added to the contacts.")

    def test_bad_input_keeps_what_was_typed(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(), {"first_name": "", "last_name": "Waddams",
                                                  "email": "milton@"})
        self.assertContains(response, 'value="Waddams"')
        self.assertContains(response, 'id="id_first_name-errors"')
        self.assertContains(response, 'id="id_email-errors"')
        self.assertFalse(Contact.objects.exists())

    def test_a_second_contact_with_the_same_email_is_refused(self) -> None:
        add_contact(customer=self.customer_a1, first_name="Bill", email="bill@initech.test")
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(), {"first_name": "William",
                                                  "email": "BILL@initech.test"})
        self.assertContains(response, "Bill already has this e-mail address on this customer.")
        self.assertEqual(self.customer_a1.contacts.count(), 1)

    def test_a_viewer_may_not_add(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        response = self.client.post(self.url(), {"first_name": "Sneaky"})
        self.assertContains(response, "“Contribute” permission", status_code=403)
        self.assertFalse(Contact.objects.exists())

    def test_another_organizations_customer_is_404(self) -> None:
        customer_b = create_customer(organization=self.org_b, short_name="B")
        self.login_staff(self.admin_a)
        url = reverse("customers:contact_new", args=[self.org_a.slug, customer_b.pk])
        self.assertEqual(self.client.post(url, {"first_name": "X"}).status_code, 404)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.post(self.url(), {"first_name": "X"}).status_code, 404)
        self.assertFalse(Contact.objects.exists())


class EditAndRemoveContactTests(FrontdeskTestCase):
    contact: ClassVar[Contact]
    customer_b: ClassVar[Customer]
    contact_b: ClassVar[Contact]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.contact = add_contact(customer=cls.customer_a1, first_name="Bill",
                                  last_name="Lumbergh", email="bill@initech.test")
        cls.customer_b = create_customer(organization=cls.org_b, short_name="B")
        cls.contact_b = add_contact(customer=cls.customer_b, first_name="Bea")

    def edit_url(self, contact: Contact | None = None, customer_id: int | None = None) -> str:
        contact = contact or self.contact
        return reverse("customers:contact_edit", args=[
            self.org_a.slug, customer_id or contact.customer_id, contact.pk])

    def remove_url(self, contact: Contact | None = None, customer_id: int | None = None
                   ) -> str:
        contact = contact or self.contact
        return reverse("customers:contact_remove", args=[
            self.org_a.slug, customer_id or contact.customer_id, contact.pk])

    def test_a_contributor_edits_a_contact(self) -> None:
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(self.edit_url()), 'value="Lumbergh"')
        response = self.client.post(self.edit_url(), {"first_name": "Bill",
                                                       "last_name": "Lumbergh",
                                                       "position": "VP", "email": ""})
        self.assertRedirects(response, reverse("customers:detail",
                                               args=[self.org_a.slug, self.customer_a1.pk]))
        self.contact.refresh_from_db()
        self.assertEqual((self.contact.position, self.contact.email), ("VP", ""))

    def test_bad_input_changes_nothing(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.edit_url(), {"first_name": "Bill", "email": "nope"})
        self.assertContains(response, 'value="nope"')
        self.assertContains(response, 'id="id_email-errors"')
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.email, "bill@initech.test")

    def test_a_viewer_may_not_edit(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.post(self.edit_url(), {"first_name": "Hacked"})
        self.assertContains(response, "“Contribute” permission", status_code=403)
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.first_name, "Bill")

    def test_removing_needs_edit_and_a_contributor_is_told_so(self) -> None:
        self.login_staff(self.agent_a)
        self.assertNotContains(self.client.get(self.edit_url()), "Remove Bill Lumbergh")
        response = self.client.post(self.remove_url())
        self.assertContains(response, "“Edit” permission", status_code=403)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_staff_with_edit_remove_a_contact(self) -> None:
        membership = self.membership(self.agent_a)
        membership.level_customers = Level.EDIT
        membership.save()
        self.login_staff(self.agent_a)
        self.assertContains(self.client.get(self.edit_url()), "Remove Bill Lumbergh")
        response = self.client.post(self.remove_url(), follow=True)
        self.assertContains(response, "Bill Lumbergh removed from the contacts.")
        self.assertFalse(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_removing_is_post_only(self) -> None:
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get(self.remove_url()).status_code, 405)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_a_contact_of_another_organization_is_404(self) -> None:
        self.login_staff(self.admin_a)
        # Org B's contact, under org B's customer id or under one of org A's customers.
        for customer_id in (self.customer_b.pk, self.customer_a1.pk):
            self.assertEqual(self.client.get(
                self.edit_url(self.contact_b, customer_id)).status_code, 404)
            self.assertEqual(self.client.post(
                self.edit_url(self.contact_b, customer_id), {"first_name": "X"}).status_code,
                404)
            self.assertEqual(self.client.post(
                self.remove_url(self.contact_b, customer_id)).status_code, 404)
        self.contact_b.refresh_from_db()
        self.assertEqual(self.contact_b.first_name, "Bea")

    def test_a_contact_under_the_wrong_customer_is_404(self) -> None:
        self.login_staff(self.admin_a)
        wrong = self.customer_a2.pk
        self.assertEqual(self.client.get(self.edit_url(customer_id=wrong)).status_code, 404)
        self.assertEqual(self.client.post(self.remove_url(customer_id=wrong)).status_code, 404)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 404)
        self.assertEqual(self.client.post(self.remove_url()).status_code, 404)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())
