import html
import importlib
import re

from django.test import SimpleTestCase
from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.duplicate_keys import email_domain_key, name_key, phone_key
from frontdesk.customers.duplicates import (
    GROUPS_PER_PAGE,
    SHOWN_PER_GROUP,
    duplicate_page,
    probable_duplicates,
)
from frontdesk.customers.models import Customer
from frontdesk.customers.services import create_customer, update_customer


class DuplicateKeyTests(SimpleTestCase):
    def test_legal_forms_case_accents_and_punctuation_do_not_matter(self) -> None:
        for name in ("Acme", "ACME Ltd.", "Acme Ltd", "Acme, LLC", "Acme GmbH", "Acme B.V.",
                     "Acme Sp. z o.o.", "Acme A.Ş.", "Acme Inc.", "acme ltd. şti.",
                     "Ácmé Limited", "Acme GmbH & Co. KG"):
            self.assertEqual(name_key(name), "acme", name)

    def test_names_that_differ_keep_apart(self) -> None:
        self.assertNotEqual(name_key("Acme Tools"), name_key("Acme"))
        self.assertEqual(name_key("Bay-Tech"), name_key("Bay Tech"))
        self.assertEqual(name_key("Łódź Fabryka"), name_key("Lodz fabryka"))
        # A name that is only a legal form keeps it.
        self.assertEqual(name_key("Ltd."), "ltd")
        self.assertIsNone(name_key("..."))

    def test_public_mail_domains_are_no_key(self) -> None:
        for email in ("a@gmail.com", "b@outlook.com", "c@yahoo.com", "d@hotmail.com",
                      "e@wp.pl", "f@onet.pl", "", "not-an-address"):
            self.assertIsNone(email_domain_key(email), email)
        self.assertEqual(email_domain_key("Office@Initech.Test"), "initech.test")

    def test_phone_numbers_match_without_country_code_or_trunk_zero(self) -> None:
        self.assertEqual(phone_key("+44 20 7946 0000"), phone_key("020 7946 0000"))
        self.assertEqual(phone_key("(020) 7946-0000"), "079460000")
        self.assertIsNone(phone_key("12 34"))


class ProbableDuplicatesTests(FrontdeskTestCase):
    def make(self, name: str, email: str = "", phone: str = "") -> Customer:
        return create_customer(organization=self.org_a, short_name=name, email=email,
                               phone=phone)

    def suggested(self, customer: Customer) -> dict[str, list[str]]:
        return {other.short_name: keys for other, keys in probable_duplicates(customer)}

    def test_it_suggests_by_name_domain_and_phone(self) -> None:
        acme = self.make("Acme Ltd.", "info@acme.test", "+31 20 555 1234")
        self.make("ACME B.V.")
        self.make("Acme Sales", "sales@acme.test")
        self.make("Someone", phone="020 555 1234")
        self.make("Acme Tools")
        create_customer(organization=self.org_b, short_name="Acme", email="x@acme.test")
        self.assertEqual(self.suggested(acme), {"ACME B.V.": ["name_key"],
                                                "Acme Sales": ["email_domain"],
                                                "Someone": ["phone_key"]})

    def test_public_mail_domains_suggest_nothing(self) -> None:
        one = self.make("Jan Kowalski", "jan@wp.pl")
        self.make("Anna Nowak", "anna@wp.pl")
        self.make("Piet", "piet@gmail.com")
        self.assertEqual(self.suggested(one), {})

    def test_the_keys_follow_the_details_when_they_change(self) -> None:
        one = self.make("Vandelay Industries")
        other = self.make("Kramerica")
        self.assertEqual(self.suggested(one), {})
        update_customer(customer=other, short_name="Vandelay Industries, Inc.")
        self.assertEqual(self.suggested(one), {"Vandelay Industries, Inc.": ["name_key"]})


class DuplicateListTests(FrontdeskTestCase):
    def url(self, **params: str) -> str:
        return reverse("customers:duplicates", args=[self.org_a.slug])

    def test_it_groups_records_by_the_key_chosen(self) -> None:
        create_customer(organization=self.org_a, short_name="Initech Ltd.",
                        email="a@initech.test")
        create_customer(organization=self.org_a, short_name="Globex GmbH",
                        email="b@gmail.com")
        create_customer(organization=self.org_b, short_name="Globex", email="c@gmail.com")
        names = [[customer.short_name for customer in group.members]
                 for group in duplicate_page(self.org_a.pk, "name_key", None).groups]
        self.assertEqual(names, [["Globex", "Globex GmbH"], ["Initech", "Initech Ltd."]])
        self.assertEqual([group.key for group in
                          duplicate_page(self.org_a.pk, "email_domain", None).groups],
                         ["initech.test"])
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        self.assertContains(response, "Globex GmbH")
        self.assertContains(response, "Initech Ltd.")
        response = self.client.get(self.url(), {"by": "email_domain"})
        self.assertContains(response, "initech.test")
        self.assertNotContains(response, "Globex GmbH")
        # A viewer sees the groups, not the merge links.
        self.assertNotContains(response, "Merge into")

    def test_a_manager_gets_merge_links(self) -> None:
        source = create_customer(organization=self.org_a, short_name="Initech Ltd.")
        self.login_staff(self.admin_a)
        response = self.client.get(self.url())
        merge = reverse("customers:merge", args=[self.org_a.slug, source.pk])
        self.assertContains(response, f"{merge}?into={self.customer_a1.pk}")

    def test_it_pages_through_the_groups_and_costs_the_same_queries(self) -> None:
        Customer.objects.bulk_create([
            Customer(organization=self.org_a, short_name=f"Company {number:03} {suffix}")
            for number in range(GROUPS_PER_PAGE + 5) for suffix in ("Ltd", "GmbH", "Inc.")])
        self.login_staff(self.viewer_a)
        self.client.get(self.url())  # the session's first reads
        # Session with the membership (and the unread badge), the groups with their records.
        with self.assertNumQueries(2):
            first = self.client.get(self.url())
        self.assertEqual(first.content.count(b"<section"), GROUPS_PER_PAGE)
        self.assertEqual(first.content.count(b"data-preview="), 3 * GROUPS_PER_PAGE)
        next_url = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', first.content.decode())
        assert next_url is not None
        with self.assertNumQueries(2):
            second = self.client.get(self.url() + html.unescape(next_url.group(1)))
        self.assertEqual(second.content.count(b"<section"), 5)
        self.assertContains(second, "Company 029 GmbH")
        self.assertNotContains(second, "Company 000")
        self.assertNotContains(second, 'rel="next"')

    def test_a_large_group_shows_its_oldest_records_and_how_many_more(self) -> None:
        # Another organization's records with the key, older than all: never shown nor counted.
        create_customer(organization=self.org_b, short_name="Hooli Inc.")
        hooli = [create_customer(organization=self.org_a, short_name=f"Hooli {suffix}".strip())
                 for suffix in ("", "Ltd", "GmbH", "Inc.", "B.V.", "LLC", "AG", "Corp",
                                "S.A.", "Oy", "AB", "Kft.", "Sp. z o.o.")]
        create_customer(organization=self.org_a, short_name="Umbrella Ltd.")
        create_customer(organization=self.org_a, short_name="Umbrella GmbH")
        groups = {group.key: group
                  for group in duplicate_page(self.org_a.pk, "name_key", None).groups}
        self.assertEqual([customer.pk for customer in groups["hooli"].members],
                         [customer.pk for customer in hooli[:SHOWN_PER_GROUP]])
        self.assertEqual(groups["hooli"].size, len(hooli))
        self.assertEqual(len(groups["umbrella"].members), 2)
        self.login_staff(self.viewer_a)
        response = self.client.get(self.url())
        self.assertContains(response, f"and {len(hooli) - SHOWN_PER_GROUP} more")
        self.assertNotContains(response, "Hooli Sp. z o.o.")

    def test_staff_of_another_organization_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_bad_kind_or_cursor_is_no_error(self) -> None:
        self.login_staff(self.viewer_a)
        for params in ({"by": "password"}, {"after": "x" * 500}, {"after": "\x00"},
                       {"after": "Acme\x00"}):
            self.assertEqual(self.client.get(self.url(), params).status_code, 200)


class DuplicateKeysAreKeptTests(FrontdeskTestCase):
    def test_a_customer_made_by_the_public_form_has_its_keys(self) -> None:
        from frontdesk.portal.services import submit_public_request
        from frontdesk.support.models import Topic

        submit_public_request(organization=self.org_a, topic=Topic.objects.for_org(self.org_a)
                              .get(), first_name="Jane", last_name="Doe",
                              email="jane@vandelay.test", title="Hi", description="Hello")
        customer = Customer.objects.get(email="jane@vandelay.test")
        self.assertEqual((customer.name_key, customer.email_domain), ("janedoe", "vandelay.test"))

    def test_the_migration_fills_the_keys_of_existing_records_in_batches(self) -> None:
        from django.apps import apps

        migration = importlib.import_module(
            "frontdesk.customers.migrations.0012_duplicate_keys")
        Customer.objects.bulk_create([Customer(organization=self.org_a, short_name=f"Co {n} Ltd",
                                               phone="020 7946 0000")
                                      for n in range(migration.BATCH + 5)])
        Customer.objects.update(name_key=None, email_domain=None, phone_key=None)
        migration.fill_keys(apps, None)
        self.assertFalse(Customer.objects.filter(name_key=None).exists())
        self.assertEqual(Customer.objects.get(short_name="Co 7 Ltd").name_key, "co7")
        self.assertEqual(Customer.objects.filter(phone_key="079460000").count(),
                         migration.BATCH + 5)
        self.assertEqual(Customer.objects.get(pk=self.customer_a1.pk).email_domain,
                         "initech.test")
