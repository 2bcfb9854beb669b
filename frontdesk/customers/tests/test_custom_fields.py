from typing import ClassVar

from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.custom_fields import add_custom_field
from frontdesk.customers.models import CustomField, CustomFieldValue
from frontdesk.customers.services import create_customer


class CustomFieldsPageTests(FrontdeskTestCase):
    invoice_no: ClassVar[CustomField]
    field_b: ClassVar[CustomField]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.invoice_no = add_custom_field(organization=cls.org_a, name="Invoice no.")
        cls.field_b = add_custom_field(organization=cls.org_b, name="Field of B")

    def url(self) -> str:
        return reverse("customers:fields", args=[self.org_a.slug])

    def rename_url(self, field: CustomField | None = None) -> str:
        return reverse("customers:field_rename",
                       args=[self.org_a.slug, (field or self.invoice_no).pk])

    def remove_url(self, field: CustomField | None = None) -> str:
        return reverse("customers:field_remove",
                       args=[self.org_a.slug, (field or self.invoice_no).pk])

    def test_an_admin_sees_the_organizations_fields_only(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url())
        self.assertContains(response, 'value="Invoice no."')
        self.assertNotContains(response, "Field of B")

    def test_an_admin_adds_a_field_at_the_end(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(), {"new-name": " Registration no. "}, follow=True)
        self.assertContains(response, "Field “Registration no.” added to the customer form.")
        names = list(CustomField.objects.for_org(self.org_a).values_list("name", flat=True))
        self.assertEqual(names, ["Invoice no.", "Registration no."])
        form = self.client.get(reverse("customers:new", args=[self.org_a.slug]))
        self.assertContains(form, "Registration no.")

    def test_a_name_in_use_is_refused_whatever_its_case(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(), {"new-name": "INVOICE NO."})
        self.assertContains(response, "There is already a field named “INVOICE NO.”.")
        self.assertContains(response, 'id="id_new-name-errors"')
        self.assertEqual(CustomField.objects.for_org(self.org_a).count(), 1)

    def test_the_same_name_may_exist_in_another_organization(self) -> None:
        self.login_staff(self.admin_a)
        self.client.post(self.url(), {"new-name": "Field of B"})
        self.assertTrue(CustomField.objects.for_org(self.org_a).filter(
            name="Field of B").exists())

    def test_an_admin_renames_a_field_and_values_stay(self) -> None:
        customer = create_customer(organization=self.org_a, short_name="Kramerica",
                                   custom_values={self.invoice_no.pk: "K-1"})
        self.login_staff(self.admin_a)
        prefix = f"field-{self.invoice_no.pk}"
        response = self.client.post(self.rename_url(), {f"{prefix}-name": "Invoice number"})
        self.assertRedirects(response, self.url())
        self.invoice_no.refresh_from_db()
        self.assertEqual(self.invoice_no.name, "Invoice number")
        self.assertEqual(CustomFieldValue.objects.get(customer=customer).value, "K-1")

    def test_a_bad_rename_shows_the_error_by_that_field(self) -> None:
        add_custom_field(organization=self.org_a, name="VAT no.")
        self.login_staff(self.admin_a)
        prefix = f"field-{self.invoice_no.pk}"
        response = self.client.post(self.rename_url(), {f"{prefix}-name": "vat NO."})
        self.assertContains(response, f'id="id_{prefix}-name-errors"')
        self.assertContains(response, 'value="vat NO."')
        self.invoice_no.refresh_from_db()
        self.assertEqual(self.invoice_no.name, "Invoice no.")

    def test_removing_asks_first_then_deletes_the_values(self) -> None:
        create_customer(organization=self.org_a, short_name="Kramerica",
                        custom_values={self.invoice_no.pk: "K-1"})
        self.login_staff(self.admin_a)
        confirm = self.client.get(self.remove_url())
        self.assertContains(confirm, "1 customer has a value in this field.")
        response = self.client.post(self.remove_url(), follow=True)
        self.assertContains(response, "Field “Invoice no.” removed.")
        self.assertFalse(CustomField.objects.filter(pk=self.invoice_no.pk).exists())
        self.assertFalse(CustomFieldValue.objects.exists())

    def test_only_admins_may_manage_fields(self) -> None:
        for user in (self.agent_a, self.viewer_a):
            self.login_staff(user)
            self.assertContains(self.client.get(self.url()), "Only administrators",
                                status_code=403)
            self.assertEqual(self.client.post(self.url(), {"new-name": "X"}).status_code, 403)
            prefix = f"field-{self.invoice_no.pk}"
            self.assertEqual(self.client.post(self.rename_url(),
                                              {f"{prefix}-name": "X"}).status_code, 403)
            self.assertEqual(self.client.post(self.remove_url()).status_code, 403)
        self.invoice_no.refresh_from_db()
        self.assertEqual(self.invoice_no.name, "Invoice no.")
        self.assertEqual(CustomField.objects.for_org(self.org_a).count(), 1)

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.post(self.remove_url()).status_code, 404)
        self.assertTrue(CustomField.objects.filter(pk=self.invoice_no.pk).exists())

    def test_a_field_of_another_organization_is_404(self) -> None:
        self.login_staff(self.admin_a)
        prefix = f"field-{self.field_b.pk}"
        self.assertEqual(self.client.post(self.rename_url(self.field_b),
                                          {f"{prefix}-name": "Mine now"}).status_code, 404)
        self.assertEqual(self.client.get(self.remove_url(self.field_b)).status_code, 404)
        self.assertEqual(self.client.post(self.remove_url(self.field_b)).status_code, 404)
        self.field_b.refresh_from_db()
        self.assertEqual(self.field_b.name, "Field of B")
