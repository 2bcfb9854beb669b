from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.custom_fields import add_custom_field
from frontdesk.customers.models import Customer, CustomFieldValue
from frontdesk.customers.services import create_customer


class CreateCustomerTests(FrontdeskTestCase):
    def url(self) -> str:
        return reverse("customers:new", args=[self.org_a.slug])

    def test_a_contributor_creates_a_customer_with_custom_fields(self) -> None:
        invoice_no = add_custom_field(organization=self.org_a, name="Invoice no.")
        self.login_staff(self.agent_a)
        form = self.client.get(self.url())
        self.assertContains(form, "Invoice no.")
        response = self.client.post(self.url(), {
            "short_name": "  Vandelay ", "full_name": "Vandelay Industries",
            "phone": "+1 212 555 0123", "email": "Art@Vandelay.TEST",
            invoice_no.form_key: "INV-7",
        }, follow=True)
        customer = Customer.objects.for_org(self.org_a).get(short_name="Vandelay")
        self.assertRedirects(response, reverse("customers:detail",
                                               args=[self.org_a.slug, customer.pk]))
        self.assertEqual(customer.email, "art@vandelay.test")
        self.assertEqual(customer.full_name, "Vandelay Industries")
        self.assertEqual(CustomFieldValue.objects.get(customer=customer).value, "INV-7")
        self.assertContains(response, "Customer “Vandelay” created.")
        self.assertContains(response, "INV-7")

    def test_bad_input_keeps_what_was_typed_and_shows_errors_by_the_fields(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(), {
            "short_name": "", "full_name": "Kept Full Name", "email": "not-an-address",
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Kept Full Name"')
        self.assertContains(response, 'value="not-an-address"')
        self.assertContains(response, 'id="id_short_name-errors"')
        self.assertContains(response, 'id="id_email-errors"')
        self.assertContains(response, "Enter a valid email address.")
        self.assertEqual(Customer.objects.for_org(self.org_a).count(), 2)

    def test_an_email_of_another_customer_is_refused(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(), {"short_name": "Initech II",
                                                  "email": "OFFICE@initech.test"})
        self.assertContains(response, "The customer “Initech” already has this e-mail address.")
        self.assertContains(response, 'id="id_email-errors"')
        self.assertContains(response, 'value="Initech II"')
        self.assertFalse(Customer.objects.filter(short_name="Initech II").exists())

    def test_an_empty_post_shows_errors_instead_of_a_blank_form(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(), {})
        self.assertContains(response, 'id="id_short_name-errors"')

    def test_a_viewer_may_not_create_and_is_told_why(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertContains(self.client.get(self.url()), "“Contribute” permission",
                            status_code=403)
        response = self.client.post(self.url(), {"short_name": "Sneaky"})
        self.assertContains(response, "“Contribute” permission", status_code=403)
        self.assertFalse(Customer.objects.filter(short_name="Sneaky").exists())

    def test_the_fields_of_another_organization_never_show_or_save(self) -> None:
        field_b = add_custom_field(organization=self.org_b, name="Secret B field")
        self.login_staff(self.admin_a)
        self.assertNotContains(self.client.get(self.url()), "Secret B field")
        self.client.post(self.url(), {"short_name": "Planted", field_b.form_key: "x"})
        customer = Customer.objects.for_org(self.org_a).get(short_name="Planted")
        self.assertFalse(CustomFieldValue.objects.filter(customer=customer).exists())

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.post(self.url(), {"short_name": "X"}).status_code, 404)
        self.assertFalse(Customer.objects.filter(short_name="X").exists())


class EditCustomerTests(FrontdeskTestCase):
    def url(self, customer: Customer | None = None) -> str:
        customer = customer or self.customer_a1
        return reverse("customers:edit", args=[self.org_a.slug, customer.pk])

    def test_a_contributor_edits_details_and_custom_values(self) -> None:
        reg_no = add_custom_field(organization=self.org_a, name="Registration no.")
        self.login_staff(self.agent_a)
        form = self.client.get(self.url())
        self.assertContains(form, 'value="office@initech.test"')
        response = self.client.post(self.url(), {
            "short_name": "Initech", "full_name": "Initech Corporation",
            "email": "INFO@initech.test", "phone": "", reg_no.form_key: "R-1",
        })
        self.assertRedirects(response, reverse("customers:detail",
                                               args=[self.org_a.slug, self.customer_a1.pk]))
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.full_name, "Initech Corporation")
        self.assertEqual(self.customer_a1.email, "info@initech.test")
        self.assertEqual(CustomFieldValue.objects.get(customer=self.customer_a1).value, "R-1")

    def test_clearing_a_custom_value_removes_it(self) -> None:
        reg_no = add_custom_field(organization=self.org_a, name="Registration no.")
        customer = create_customer(organization=self.org_a, short_name="Kramerica",
                                   custom_values={reg_no.pk: "K-1"})
        self.login_staff(self.agent_a)
        self.client.post(self.url(customer), {"short_name": "Kramerica",
                                               reg_no.form_key: "  "})
        self.assertFalse(CustomFieldValue.objects.filter(customer=customer).exists())

    def test_bad_input_changes_nothing_and_the_page_keeps_the_saved_name(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url(), {"short_name": "Renamed",
                                                  "email": "office@globex.test"})
        self.assertContains(response, "The customer “Globex” already has this e-mail address.")
        self.assertContains(response, 'value="Renamed"')
        self.assertContains(response, "<h1>Edit Initech</h1>", html=True)
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.short_name, "Initech")

    def test_a_viewer_may_not_edit(self) -> None:
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        response = self.client.post(self.url(), {"short_name": "Hacked"})
        self.assertContains(response, "“Contribute” permission", status_code=403)
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.short_name, "Initech")

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        # Their own organization's address with org A's customer id: also 404.
        other_org_url = reverse("customers:edit", args=[self.org_b.slug, self.customer_a1.pk])
        self.assertEqual(self.client.get(other_org_url).status_code, 404)
        self.assertEqual(self.client.post(other_org_url, {"short_name": "X"}).status_code, 404)
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.short_name, "Initech")

    def test_a_customer_of_another_organization_is_404(self) -> None:
        customer_b = create_customer(organization=self.org_b, short_name="B's customer")
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get(self.url(customer_b)).status_code, 404)
        self.assertEqual(self.client.post(self.url(customer_b),
                                          {"short_name": "X"}).status_code, 404)
        customer_b.refresh_from_db()
        self.assertEqual(customer_b.short_name, "B's customer")
