from django.core.exceptions import ValidationError

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers import contacts, custom_fields, services
from frontdesk.customers.models import Customer, CustomField, CustomFieldValue


class CustomerActionTests(FrontdeskTestCase):
    def test_create_customer_trims_and_lowercases(self) -> None:
        customer = services.create_customer(organization=self.org_a, short_name="  Acme ",
                                            email=" Info@ACME.test ", phone=" 555 ")
        self.assertEqual((customer.short_name, customer.email, customer.phone),
                         ("Acme", "info@acme.test", "555"))

    def test_create_customer_reports_every_bad_field_at_once(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            services.create_customer(organization=self.org_a, short_name="x" * 121,
                                     email="bad@", phone="1" * 51)
        self.assertEqual(set(raised.exception.message_dict),
                         {"short_name", "email", "phone"})
        self.assertEqual(Customer.objects.for_org(self.org_a).count(), 2)

    def test_the_same_email_may_be_used_by_a_customer_of_another_organization(self) -> None:
        customer = services.create_customer(organization=self.org_b, short_name="B",
                                            email="office@initech.test")
        self.assertEqual(customer.organization, self.org_b)

    def test_custom_values_of_another_organizations_field_are_ignored(self) -> None:
        field_b = custom_fields.add_custom_field(organization=self.org_b, name="B only")
        customer = services.create_customer(organization=self.org_a, short_name="A",
                                            custom_values={field_b.pk: "leak"})
        self.assertFalse(CustomFieldValue.objects.filter(customer=customer).exists())

    def test_a_too_long_custom_value_is_an_error_of_that_field(self) -> None:
        field = custom_fields.add_custom_field(organization=self.org_a, name="Note")
        with self.assertRaises(ValidationError) as raised:
            services.create_customer(organization=self.org_a, short_name="A",
                                     custom_values={field.pk: "x" * 501})
        self.assertEqual(list(raised.exception.message_dict), [field.form_key])
        self.assertFalse(Customer.objects.filter(short_name="A").exists())

    def test_update_customer_changes_only_what_is_given(self) -> None:
        field = custom_fields.add_custom_field(organization=self.org_a, name="Note")
        services.update_customer(customer=self.customer_a1, custom_values={field.pk: "kept"})
        updated = services.update_customer(customer=self.customer_a1, phone="555 0100")
        self.assertEqual((updated.short_name, updated.email, updated.phone),
                         ("Initech", "office@initech.test", "555 0100"))
        self.assertEqual(CustomFieldValue.objects.get(customer=updated).value, "kept")

    def test_a_failed_update_leaves_the_record_and_the_instance_alone(self) -> None:
        with self.assertRaises(ValidationError):
            services.update_customer(customer=self.customer_a1, short_name="",
                                     email="office@globex.test")
        self.assertEqual(self.customer_a1.short_name, "Initech")
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.email, "office@initech.test")

    def test_a_customer_may_keep_its_own_email(self) -> None:
        updated = services.update_customer(customer=self.customer_a1,
                                           email="OFFICE@initech.test")
        self.assertEqual(updated.email, "office@initech.test")


class ContactActionTests(FrontdeskTestCase):
    def test_add_contact_lowercases_and_takes_the_customers_organization(self) -> None:
        contact = contacts.add_contact(customer=self.customer_a1, first_name=" Bill ",
                                       email="BILL@initech.test")
        self.assertEqual((contact.first_name, contact.email, contact.organization_id),
                         ("Bill", "bill@initech.test", self.org_a.pk))

    def test_the_same_person_may_be_a_contact_of_two_customers(self) -> None:
        contacts.add_contact(customer=self.customer_a1, first_name="Bob",
                             email="bob@consultants.test")
        contacts.add_contact(customer=self.customer_a2, first_name="Bob",
                             email="bob@consultants.test")

    def test_a_contact_may_keep_its_own_email(self) -> None:
        contact = contacts.add_contact(customer=self.customer_a1, first_name="Bill",
                                       email="bill@initech.test")
        updated = contacts.update_contact(contact=contact, position="VP",
                                          email="Bill@initech.test")
        self.assertEqual((updated.position, updated.email), ("VP", "bill@initech.test"))

    def test_a_contacts_email_finds_its_customer(self) -> None:
        contacts.add_contact(customer=self.customer_a2, first_name="Hank",
                             email="Hank.Scorpio@globex.test")
        found = services.find_customer_by_email(organization=self.org_a,
                                                email="hank.scorpio@GLOBEX.test")
        self.assertEqual(found, self.customer_a2)


    def test_the_customers_own_email_wins_then_the_oldest_and_never_another_organization(
            self) -> None:
        address = "pat@shared.test"
        # Organization B has a customer with this very address: never found from A.
        services.create_customer(organization=self.org_b, short_name="B's Pat", email=address)
        self.assertIsNone(services.find_customer_by_email(organization=self.org_a,
                                                          email=address))
        # Contacts of two customers of A: the older customer is found.
        contacts.add_contact(customer=self.customer_a2, first_name="Pat", email=address)
        contacts.add_contact(customer=self.customer_a1, first_name="Pat", email=address)
        older = min(self.customer_a1, self.customer_a2, key=lambda customer: customer.pk)
        with self.assertNumQueries(1):
            found = services.find_customer_by_email(organization=self.org_a, email=address)
        self.assertEqual(found, older)
        # A customer whose own address it is wins over them, though it is newer.
        own = services.create_customer(organization=self.org_a, short_name="Pat Ltd",
                                       email=address)
        self.assertGreater(own.pk, older.pk)
        found = services.find_customer_by_email(organization=self.org_a, email="PAT@shared.test")
        self.assertEqual(found, own)
        self.assertIsNone(services.find_customer_by_email(organization=self.org_a,
                                                          email="nobody@shared.test"))


class CustomFieldActionTests(FrontdeskTestCase):
    def test_fields_are_added_in_order(self) -> None:
        first = custom_fields.add_custom_field(organization=self.org_a, name="One")
        second = custom_fields.add_custom_field(organization=self.org_a, name="Two")
        self.assertLess(first.position, second.position)

    def test_a_blank_name_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            custom_fields.add_custom_field(organization=self.org_a, name="   ")
        self.assertEqual(list(raised.exception.message_dict), ["name"])

    def test_there_is_a_limit_on_fields(self) -> None:
        for number in range(custom_fields.MAX_CUSTOM_FIELDS):
            custom_fields.add_custom_field(organization=self.org_a, name=f"Field {number}")
        with self.assertRaises(ValidationError):
            custom_fields.add_custom_field(organization=self.org_a, name="One too many")

    def test_a_field_may_be_renamed_to_another_case_of_its_own_name(self) -> None:
        field = custom_fields.add_custom_field(organization=self.org_a, name="vat no.")
        self.assertEqual(custom_fields.rename_custom_field(field=field, name="VAT no.").name,
                         "VAT no.")

    def test_removing_a_field_removes_its_values_only(self) -> None:
        kept = custom_fields.add_custom_field(organization=self.org_a, name="Kept")
        gone = custom_fields.add_custom_field(organization=self.org_a, name="Gone")
        services.update_customer(customer=self.customer_a1,
                                 custom_values={kept.pk: "1", gone.pk: "2"})
        services.update_customer(customer=self.customer_a2, custom_values={gone.pk: "3"})
        self.assertEqual(custom_fields.remove_custom_field(field=gone), 2)
        self.assertEqual(list(CustomFieldValue.objects.values_list("value", flat=True)), ["1"])
        self.assertFalse(CustomField.objects.filter(pk=gone.pk).exists())


class SearchTests(FrontdeskTestCase):
    def test_each_customer_is_counted_once_however_many_contacts_match(self) -> None:
        for name in ("Ann", "Anna", "Annette"):
            contacts.add_contact(customer=self.customer_a1, first_name=name)
        for query in ("an", "ann"):  # both shapes of the search
            matching = Customer.objects.for_org(self.org_a).filter(
                services.customers_matching(self.org_a, query))
            self.assertEqual(list(matching), [self.customer_a1], query)
            self.assertEqual(matching.count(), 1, query)
