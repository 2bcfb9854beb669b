"""SQLite's trigram index of the searched text (customers/search_index.py) finds what a LIKE
over every row finds, stays in step however rows change, stays within the organization, and is
put back (and caught up) when a migration lost its triggers."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers import search_index
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Contact, Customer
from frontdesk.customers.services import create_customer, matching_customers
from frontdesk.lib.search import search_terms

TERMS = ["hooli", "gavin", "belson", "555 0199", "6505550100", "gavin@hooli.test", "zzz",
         "lodz", "50% off", "a_b", "xy"]


class SearchIndexTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.hooli = create_customer(organization=self.org_a, short_name="Hooli",
                                     full_name="Hooli XYZ Inc.", phone="+1 650 555 0100")
        add_contact(customer=self.hooli, first_name="Gavin", last_name="Belson",
                    email="gavin@hooli.test", phone="+1 650 555 0199")
        create_customer(organization=self.org_a, short_name="Łódź Parts 50% off", phone="")
        create_customer(organization=self.org_a, short_name="a_b Ltd")
        other = create_customer(organization=self.org_b, short_name="Hooli of B")
        add_contact(customer=other, first_name="Gavin", email="gavin@hooli.test")

    def found(self, query: str, *, indexed: bool) -> list[str]:
        term, digits = search_terms(query, 100)
        where: Q = matching_customers(self.org_a.pk, term, len(term) < 3, indexed, digits)
        return sorted(Customer.objects.for_org(self.org_a).filter(where)
                      .values_list("short_name", flat=True))

    def assert_index_agrees(self) -> None:
        for query in TERMS:
            term, digits = search_terms(query, 100)
            expected = self.found(query, indexed=False)
            if search_index.covers(term, digits):
                self.assertEqual(self.found(query, indexed=True), expected, query)

    def test_it_covers_three_characters_or_more_without_wildcards_on_sqlite_only(self) -> None:
        sqlite = connection.vendor == "sqlite"
        self.assertEqual(search_index.covers("hooli", None), sqlite)
        self.assertEqual(search_index.covers("555 0199", "5550199"), sqlite)
        self.assertFalse(search_index.covers("xy", None))
        self.assertFalse(search_index.covers("50% off", None))
        self.assertFalse(search_index.covers("a_b", None))

    def test_it_finds_what_like_finds_within_the_organization(self) -> None:
        self.assertEqual(self.found("gavin@hooli.test", indexed=False), ["Hooli"])
        self.assertEqual(self.found("lodz", indexed=False), ["Łódź Parts 50% off"])
        self.assert_index_agrees()
        if connection.vendor == "sqlite":
            self.assertEqual(self.found("hooli", indexed=True), ["Hooli"])  # not B's

    def test_it_follows_updates_deletes_and_bulk_inserts(self) -> None:
        self.hooli.short_name = "Pied Piper"
        self.hooli.full_name = ""
        self.hooli.save()
        Contact.objects.filter(customer=self.hooli).delete()
        Customer.objects.bulk_create([Customer(organization=self.org_a, short_name="Hoolicon")])
        Customer.objects.filter(short_name="a_b Ltd").delete()
        self.assert_index_agrees()
        self.assertEqual(self.found("hooli", indexed=False), ["Hoolicon"])
        if connection.vendor == "sqlite":
            self.assertEqual(self.found("hooli", indexed=True), ["Hoolicon"])
            self.assertEqual(self.found("gavin", indexed=True), [])
            self.assertEqual(self.found("pied piper", indexed=True), ["Pied Piper"])

    def test_lost_triggers_are_put_back_and_the_index_caught_up(self) -> None:
        if connection.vendor != "sqlite":
            self.assertEqual(search_index.ensure(connection), [])
            return
        self.assertEqual(search_index.ensure(connection), [])  # all there
        with connection.cursor() as cursor:  # as when SQLite rebuilds the table
            cursor.execute("DROP TRIGGER customers_customer_fts_insert")
        create_customer(organization=self.org_a, short_name="Written meanwhile")
        self.assertEqual(self.found("meanwhile", indexed=True), [])
        self.assertEqual(search_index.ensure(connection), ["customers_customer_fts_insert"])
        self.assertEqual(self.found("meanwhile", indexed=True), ["Written meanwhile"])
        create_customer(organization=self.org_a, short_name="Written after")
        self.assertEqual(self.found("after", indexed=True), ["Written after"])

    def segments(self, index: str) -> int:
        """The segments of an FTS5 index, from its structure record (FTS5's file format: a
        4-byte cookie, then the varints nLevel and nSegment)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT block FROM {index}_data WHERE id = 10")  # noqa: S608
            block = bytes(cursor.fetchone()[0])
        values, shift, value = [], 0, 0
        for byte in block[4:]:
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                values.append(value)
                if len(values) == 2:
                    return values[1]
                shift, value = 0, 0
        raise AssertionError("no structure record")

    def test_optimize_merges_each_index_into_one_segment_and_finds_the_same(self) -> None:
        if connection.vendor != "sqlite":
            search_index.optimize(connection)  # nothing to do on PostgreSQL
            return
        from django.db import transaction

        for number in range(12):  # one write after another, as staff add customers
            with transaction.atomic():
                create_customer(organization=self.org_a, short_name=f"Hooli Unit {number}")
        index = search_index.INDEXES["customers_customer"]
        self.assertGreater(self.segments(index), 1)
        search_index.optimize(connection)
        self.assertEqual(self.segments(index), 1)
        self.assertEqual(self.segments(search_index.INDEXES["customers_contact"]), 1)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {index} ({index}, rank) "  # noqa: S608
                           "VALUES ('integrity-check', 0)")
        self.assert_index_agrees()
        self.assertEqual(len(self.found("hooli unit", indexed=True)), 12)
        create_customer(organization=self.org_a, short_name="Hooli Unit after")
        self.assertEqual(len(self.found("hooli unit", indexed=True)), 13)
