"""The counts of duplicate keys follow the customers however they are written
(customers/duplicate_counts.py): each count always equals a grouping of the records."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers import duplicate_counts
from frontdesk.customers.duplicates import duplicate_page
from frontdesk.customers.merging import merge_customers
from frontdesk.customers.models import DUPLICATE_KEYS, Customer, DuplicateCount
from frontdesk.customers.services import create_customer, delete_customer, update_customer
from frontdesk.organizations.models import Organization


def grouped() -> set[tuple[int, str, str, int]]:
    """What the counts must be: every key of every record, grouped."""
    found = set()
    for key in DUPLICATE_KEYS:
        for row in (Customer.objects.exclude(**{f"{key}__isnull": True}).order_by()
                    .values("organization_id", key).annotate(n=Count("*"))):
            found.add((row["organization_id"], key, row[key], row["n"]))
    return found


def counted() -> set[tuple[int, str, str, int]]:
    return set(DuplicateCount.objects.values_list("organization_id", "kind", "shared_key",
                                                  "size"))


class DuplicateCountTests(FrontdeskTestCase):
    def assertCountsRight(self) -> None:
        self.assertEqual(counted(), grouped())
        self.assertFalse(DuplicateCount.objects.filter(size__lte=0).exists())

    def test_saves_updates_and_deletions_are_counted(self) -> None:
        first = create_customer(organization=self.org_a, short_name="Vandelay Ltd.",
                                email="a@vandelay.test", phone="+31 20 123 4567")
        self.assertIn((self.org_a.pk, "name_key", "vandelay", 1), counted())
        second = create_customer(organization=self.org_a, short_name="VANDELAY",
                                 email="b@vandelay.test", phone="020 123 4567")
        create_customer(organization=self.org_b, short_name="Vandelay GmbH")
        self.assertIn((self.org_a.pk, "name_key", "vandelay", 2), counted())
        self.assertIn((self.org_b.pk, "name_key", "vandelay", 1), counted())
        self.assertCountsRight()
        update_customer(customer=second, short_name="Kramerica", email="b@kramerica.test")
        self.assertIn((self.org_a.pk, "name_key", "vandelay", 1), counted())
        self.assertCountsRight()
        second.refresh_from_db()
        second.save()  # unchanged keys: nothing counted again
        self.assertCountsRight()
        delete_customer(customer=first)
        self.assertNotIn("vandelay", {row[2] for row in counted() if row[0] == self.org_a.pk})
        self.assertCountsRight()

    def test_bulk_inserts_plain_updates_merges_and_an_organizations_deletion(self) -> None:
        Customer.objects.bulk_create([
            Customer(organization=self.org_a, short_name=f"Hooli {suffix}", email=f"{n}@hooli.io")
            for n, suffix in enumerate(("Inc.", "Ltd", "GmbH"))])
        self.assertIn((self.org_a.pk, "name_key", "hooli", 3), counted())
        self.assertIn((self.org_a.pk, "email_domain", "hooli.io", 3), counted())
        Customer.objects.filter(organization=self.org_a, short_name="Hooli Ltd").update(
            name_key="hooliltd", email_domain=None)
        self.assertCountsRight()
        source, target = Customer.objects.filter(short_name__in=["Hooli Inc.", "Hooli GmbH"])
        merge_customers(source=source, target=target, by=self.admin_a)
        self.assertIn((self.org_a.pk, "name_key", "hooli", 1), counted())
        self.assertCountsRight()
        other = Organization.objects.create(name="Gone", slug="gone")
        create_customer(organization=other, short_name="Hooli")
        other.delete()
        self.assertFalse(DuplicateCount.objects.filter(organization_id=other.pk).exists())
        self.assertCountsRight()

    def test_missing_triggers_are_put_back_and_every_key_counted_again(self) -> None:
        # What `migrate` does when SQLite rebuilt the customers' table and its triggers went.
        duplicate_counts.drop(connection)
        create_customer(organization=self.org_a, short_name="Umbrella Ltd.")
        create_customer(organization=self.org_a, short_name="Umbrella")
        self.assertEqual(duplicate_page(self.org_a.pk, "name_key", None).groups, ())
        self.assertEqual(sorted(duplicate_counts.ensure(connection)),
                         sorted(duplicate_counts.TRIGGERS))
        self.assertCountsRight()
        self.assertEqual([group.key for group in
                          duplicate_page(self.org_a.pk, "name_key", None).groups], ["umbrella"])
        self.assertEqual(duplicate_counts.ensure(connection), [])
