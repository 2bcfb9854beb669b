"""lib/search.py: how text is folded for searching, and that the searched text of a record
follows every way it is saved."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.db import connection
from django.test import SimpleTestCase

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact, update_contact
from frontdesk.customers.models import Contact, Customer
from frontdesk.customers.services import create_customer
from frontdesk.lib.inserts import insert
from frontdesk.lib.search import fold, phone_digits, search_terms, searched_text


class FoldTests(SimpleTestCase):
    def test_case_and_accents_do_not_count_in_any_of_our_languages(self) -> None:
        cases = {
            "Łódź": "lodz", "ŻÓŁĆ": "zolc",  # Polish
            "İstanbul": "istanbul", "IŞIK": "isik", "Işık": "isik", "ÇĞÖÜ": "cgou",  # Turkish
            "Straße": "strasse", "Ĳssel": "ijssel", "Café": "cafe",  # German, Dutch, French
            "علي": "علی", "كتاب": "کتاب",  # Arabic yeh and kaf, written as Persian writes them
            "مي\u200cخواهم": "میخواهم",  # the zero-width non-joiner
            "دَرس": "درس",  # a vowel mark
        }
        for text, folded in cases.items():
            self.assertEqual(fold(text), folded, text)

    def test_white_space_is_one_space(self) -> None:
        self.assertEqual(fold("  Ada \t\n Lovelace "), "ada lovelace")

    def test_a_phone_number_reads_as_its_digits(self) -> None:
        self.assertEqual(phone_digits("+1 (650) 555-0100"), "16505550100")
        self.assertEqual(phone_digits("12"), "")  # too short to be worth a second term
        self.assertEqual(phone_digits("Room 101"), "")

    def test_a_search_looks_for_the_folded_term_and_a_phone_numbers_digits(self) -> None:
        self.assertEqual(search_terms(" Gavin  BEL ", 100), ("gavin bel", None))
        self.assertEqual(search_terms("650 555", 100), ("650 555", "650555"))
        self.assertEqual(search_terms("650555", 100), ("650555", None))
        self.assertEqual(search_terms("x" * 150, 100)[0], "x" * 100)

    def test_each_field_is_on_its_own_line(self) -> None:
        # A term has no line break, so it never matches across two fields.
        self.assertEqual(searched_text(["Hooli", "", "Hooli XYZ"], phones=["+1 650"]),
                         "hooli\nhooli xyz\n1650")


class SearchedTextTests(FrontdeskTestCase):
    def test_it_follows_every_save(self) -> None:
        customer = create_customer(organization=self.org_a, short_name="Żabka",
                                   phone="+48 22 555")
        self.assertEqual(Customer.objects.get(pk=customer.pk).search_text,
                         "zabka\n+48 22 555\n4822555")
        contact = add_contact(customer=customer, first_name="Ada", last_name="Łukasz")
        update_contact(contact=contact, last_name="Lovelace")
        self.assertEqual(Contact.objects.get(pk=contact.pk).search_text, "ada lovelace")
        [bulk] = Customer.objects.bulk_create([Customer(organization=self.org_a,
                                                        short_name="Über")])
        self.assertEqual(Customer.objects.get(pk=bulk.pk).search_text, "uber")
        # The public form saves a new requester's customer with lib/inserts.
        [inserted] = insert([Customer(organization=self.org_a, short_name="Öz",
                                      email="oz@example.test")])
        self.assertEqual(Customer.objects.get(pk=inserted.pk).search_text,
                         "oz\noz@example.test")

    def test_the_migration_writes_it_for_the_rows_there_are(self) -> None:
        add_contact(customer=self.customer_a1, first_name="Şule", last_name="Yılmaz",
                    phone="0212 555 01 01")
        Customer.objects.update(search_text="")
        Contact.objects.update(search_text="")
        migration = import_module("frontdesk.customers.migrations.0004_search_text")
        migration.write_search_text(apps, connection.schema_editor())
        for model in (Customer, Contact):
            for row in model.objects.all():
                self.assertEqual(row.search_text, row.searched_text(), row)
        self.assertTrue(Contact.objects.filter(search_text__contains="sule yilmaz").exists())
