import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse

from frontdesk.billing import services as billing
from frontdesk.billing.models import Balance, Invoice, LedgerEntry, Quote
from frontdesk.billing.tests.helpers import document
from frontdesk.core.testing import FrontdeskTestCase, make_staff
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.custom_fields import add_custom_field
from frontdesk.customers.merging import MOVED
from frontdesk.customers.models import (
    Activity,
    Contact,
    Customer,
    CustomFieldValue,
    Note,
)
from frontdesk.customers.notes import add_note
from frontdesk.customers.services import create_customer, merge_customers, set_customer_managers
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.models import AccessLink, CustomerAccess, PortalUser
from frontdesk.portal.services import set_customer_access
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request


class MergeCustomersTests(FrontdeskTestCase):
    """customers.services.merge_customers (SPEC C11)."""

    def setUp(self) -> None:
        super().setUp()
        self.source = create_customer(organization=self.org_a, short_name="Initech Ltd.",
                                      full_name="Initech Limited", phone="+44 20 7946 0000",
                                      email="billing@initech-old.test")
        self.target = create_customer(organization=self.org_a, short_name="Initech")

    def request_for(self, portal_user: PortalUser, title: str) -> Task:
        return create_request(topic=Topic.objects.for_org(self.org_a).get(),
                              requester=portal_user, title=title, description="")

    def fill_source(self) -> None:
        vat = add_custom_field(organization=self.org_a, name="VAT no.")
        reg = add_custom_field(organization=self.org_a, name="Registration no.")
        CustomFieldValue.objects.create(organization=self.org_a, customer=self.source,
                                        field=vat, value="GB-SOURCE")
        CustomFieldValue.objects.create(organization=self.org_a, customer=self.source,
                                        field=reg, value="REG-SOURCE")
        CustomFieldValue.objects.create(organization=self.org_a, customer=self.target,
                                        field=vat, value="GB-TARGET")
        add_contact(customer=self.source, first_name="Milton", email="milton@initech.test")
        add_contact(customer=self.source, first_name="Bill", last_name="Lumbergh",
                    phone="555", email="bill@initech.test")
        add_contact(customer=self.target, first_name="Bill", email="bill@initech.test")
        add_note(customer=self.source, body="Likes staplers", by=self.admin_a)
        self.portal = PortalUser.objects.create(organization=self.org_a, customer=self.source,
                                                email="milton@initech.test", first_name="M")
        self.request_for(self.portal, "Source request")
        mint_access_link(self.portal)
        quote = billing.create_quote(organization=self.org_a, customer=self.source,
                                     data=document("Source quote"), valid_until=None,
                                     by=self.admin_a)
        billing.send_quote(quote=quote)
        invoice = billing.create_invoice(organization=self.org_a, customer=self.source,
                                         contact=None, data=document("Source invoice"),
                                         by=self.admin_a)
        billing.issue_invoice(invoice=invoice, by=self.admin_a)
        billing.record_payment(invoice=invoice, amount=Decimal("50.00"),
                               booked_on=dt.date(2026, 1, 5), by=self.admin_a)
        billing.add_ledger_entry(organization=self.org_a, customer=self.source, kind="charge",
                                 amount=Decimal("10.00"), currency="USD",
                                 booked_on=dt.date(2026, 1, 6), description="", by=None)
        # The target has an account in EUR too.
        billing.add_ledger_entry(organization=self.org_a, customer=self.target, kind="charge",
                                 amount=Decimal("7.50"), currency="EUR",
                                 booked_on=dt.date(2026, 1, 7), description="", by=None)
        set_customer_managers(customer=self.source, managers=[self.agent_a])

    def counts(self, customer: Customer) -> dict[str, int]:
        return {model.__name__: model.objects.filter(customer=customer).count()
                for model in (Contact, Note, Activity, Task, Quote, Invoice, LedgerEntry,
                              PortalUser, CustomFieldValue)}

    def test_every_record_of_the_source_moves_to_the_target(self) -> None:
        self.fill_source()
        before_source, before_target = self.counts(self.source), self.counts(self.target)
        merge_customers(source=self.source, target=self.target, by=self.admin_a)
        after = self.counts(self.target)
        self.assertFalse(Customer.objects.filter(pk=self.source.pk).exists())
        for name in ("Note", "Task", "Quote", "Invoice", "LedgerEntry", "PortalUser"):
            self.assertEqual(after[name], before_source[name] + before_target[name], name)
            self.assertGreater(before_source[name], 0, name)
        # Bill is on both: one contact, the target's, with the last name and phone it lacked.
        self.assertEqual(after["Contact"], 2)
        bill = Contact.objects.get(customer=self.target, email="bill@initech.test")
        self.assertEqual((bill.last_name, bill.phone), ("Lumbergh", "555"))
        # The target's custom value wins; the source fills the field the target left empty.
        values = dict(CustomFieldValue.objects.filter(customer=self.target)
                      .values_list("field__name", "value"))
        self.assertEqual(values, {"VAT no.": "GB-TARGET", "Registration no.": "REG-SOURCE"})
        # Every activity of the source, and one saying it was merged.
        self.assertEqual(after["Activity"],
                         before_source["Activity"] + before_target["Activity"] + 1)
        self.assertEqual(AccessLink.objects.filter(portal_user=self.portal).count(), 1)
        self.assertEqual(list(self.target.managers.all()), [self.agent_a])

    def test_the_target_keeps_its_details_and_takes_those_it_lacks(self) -> None:
        self.target.phone = "0207 111 2222"
        self.target.save()
        merged = merge_customers(source=self.source, target=self.target, by=self.admin_a)
        merged.refresh_from_db()
        self.assertEqual(merged.short_name, "Initech")
        self.assertEqual(merged.phone, "0207 111 2222")
        self.assertEqual(merged.full_name, "Initech Limited")
        self.assertEqual(merged.email, "billing@initech-old.test")
        # Its keys follow its details (found by the new e-mail's domain from now on).
        self.assertEqual(merged.email_domain, "initech-old.test")
        merged_activity = Activity.objects.filter(customer=merged, kind="merged").get()
        self.assertEqual(merged_activity.data["name"], "Initech Ltd.")
        self.assertEqual(merged_activity.actor, self.admin_a)

    def test_the_targets_balances_are_the_sums_of_its_entries(self) -> None:
        self.fill_source()
        merge_customers(source=self.source, target=self.target, by=self.admin_a)
        balances = dict(Balance.objects.filter(customer=self.target)
                        .values_list("currency", "amount"))
        sums = dict(LedgerEntry.objects.filter(customer=self.target).values("currency")
                    .annotate(total=Sum("amount")).values_list("currency", "total"))
        self.assertEqual(balances, sums)
        self.assertEqual(balances["EUR"], Decimal("7.50") + Decimal("320.00") - Decimal("50"))
        self.assertEqual(balances["USD"], Decimal("10.00"))
        self.assertFalse(Balance.objects.filter(customer_id=self.source.pk).exists())

    def test_the_sources_portal_user_sees_the_targets_requests_and_no_one_elses(self) -> None:
        self.fill_source()
        target_user = PortalUser.objects.create(organization=self.org_a, customer=self.target,
                                                email="boss@initech.test", first_name="B")
        self.request_for(target_user, "Target request")
        self.request_for(self.portal_a2, "Globex request")
        merge_customers(source=self.source, target=self.target, by=self.admin_a)
        self.portal.refresh_from_db()
        self.login_portal(self.portal)
        response = self.client.get(reverse("portal:request_list", args=[self.org_a.slug]))
        self.assertContains(response, "Target request")
        self.assertContains(response, "Source request")
        self.assertNotContains(response, "Globex request")

    def test_the_portal_terms_are_the_targets_or_else_the_sources(self) -> None:
        set_customer_access(customer=self.source, allowed=False, shows="new")
        merge_customers(source=self.source, target=self.target, by=None)
        terms = CustomerAccess.objects.get(customer=self.target)
        self.assertEqual((terms.allowed, terms.shows), (False, "new"))
        other = create_customer(organization=self.org_a, short_name="Other")
        set_customer_access(customer=other, allowed=True, shows="all")
        merge_customers(source=other, target=self.target, by=None)
        terms = CustomerAccess.objects.get(customer=self.target)
        self.assertEqual((terms.allowed, terms.shows), (False, "new"))
        self.assertEqual(CustomerAccess.objects.count(), 1)

    def test_files_and_folders_move_and_folders_of_one_name_become_one(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from frontdesk.files.models import CustomerFile, Folder
        from frontdesk.files.services import add_customer_files, create_folder

        def add(customer: Customer, folder: Folder, name: str) -> CustomerFile:
            return add_customer_files(customer=customer, folder=folder,
                                      files=[SimpleUploadedFile(name, b"x")], shared=False,
                                      by=self.admin_a)[0]

        contracts_source = create_folder(customer=self.source, name="Contracts")
        offers = create_folder(customer=self.source, name="Offers")
        contracts_target = create_folder(customer=self.target, name="Contracts")
        moved = [add(self.source, contracts_source, "a.pdf"), add(self.source, offers, "b.pdf")]
        merge_customers(source=self.source, target=self.target, by=None)
        for item in moved:
            item.refresh_from_db()
            self.assertEqual(item.customer_id, self.target.pk)
        self.assertEqual(moved[0].folder_id, contracts_target.pk)
        self.assertEqual(sorted(Folder.objects.filter(customer=self.target)
                                .values_list("name", flat=True)), ["Contracts", "Offers"])
        self.assertFalse(Folder.objects.filter(pk=contracts_source.pk).exists())

    def test_customers_of_two_organizations_are_not_merged(self) -> None:
        other = create_customer(organization=self.org_b, short_name="Initech")
        with self.assertRaises(ValidationError):
            merge_customers(source=other, target=self.target, by=self.admin_a)
        with self.assertRaises(ValidationError):
            merge_customers(source=self.target, target=other, by=self.admin_a)
        self.assertTrue(Customer.objects.filter(pk=other.pk).exists())
        self.assertTrue(Customer.objects.filter(pk=self.target.pk).exists())

    def test_a_customer_is_not_merged_with_itself(self) -> None:
        with self.assertRaises(ValidationError):
            merge_customers(source=self.target, target=self.target, by=self.admin_a)
        self.assertTrue(Customer.objects.filter(pk=self.target.pk).exists())


class MergeCoversEveryRelationTests(FrontdeskTestCase):
    def test_every_table_pointing_at_a_customer_is_handled_by_the_merge(self) -> None:
        """A new foreign key to Customer must be moved by merge_customers (and named in
        merging.MOVED), or its rows would vanish with the source."""
        related = {field.related_model._meta.label
                   for field in Customer._meta.get_fields(include_hidden=True)
                   if field.is_relation and field.auto_created and field.related_model}
        self.assertEqual(related - MOVED, set(), "merging.py does not move these")
        self.assertEqual(MOVED - related, set(), "merging.py names tables that are gone")


class MergeKeepsOtherCustomersTests(FrontdeskTestCase):
    def test_the_other_customers_records_stay_where_they_are(self) -> None:
        source = create_customer(organization=self.org_a, short_name="Source")
        add_note(customer=self.customer_a2, body="Globex note", by=None)
        make_staff("x@acme.test", "X", self.org_a)
        merge_customers(source=source, target=self.customer_a1, by=None)
        self.assertEqual(Note.objects.filter(customer=self.customer_a2).count(), 1)
        self.assertEqual(PortalUser.objects.get(pk=self.portal_a2.pk).customer_id,
                         self.customer_a2.pk)
