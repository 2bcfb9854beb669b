"""One person acting for several customers in the portal (SPEC X7): the switcher, and each
customer's data kept apart, whatever the person tries."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.billing.models import Invoice, Quote
from frontdesk.customers.models import Customer
from frontdesk.files.models import CustomerFile
from frontdesk.portal.memberships import remove_portal_membership, set_membership_modules
from frontdesk.portal.models import PortalFor, PortalSettings, RequestsShown, SeenByDefault
from frontdesk.portal.services import set_customer_access
from frontdesk.portal.tests.memberships_helpers import GLOBEX, INITECH, PORTAL, MembershipTestCase
from frontdesk.support.followers import add_follower

PAGES = ("/", "/requests/", "/quotes/", "/invoices/", "/balance/", "/documents/")


class SwitchingCustomersTests(MembershipTestCase):
    def assert_pages_show(self, shown: tuple[str, ...], hidden: tuple[str, ...]) -> None:
        """Every portal page shows only the one customer's things (balance: its total)."""
        for page in PAGES:
            response = self.client.get(f"{PORTAL}{page}")
            self.assertEqual(response.status_code, 200, page)
            for text in hidden:
                self.assertNotContains(response, text, msg_prefix=page)
        listing = "".join(self.client.get(f"{PORTAL}{page}").content.decode()
                          for page in PAGES)
        for text in shown:
            self.assertIn(text, listing)

    def assert_balance(self, shown: str, hidden: str) -> None:
        page = self.client.get(f"{PORTAL}/balance/")
        self.assertContains(page, shown)
        self.assertNotContains(page, hidden)

    def objects_of(self, customer: Customer) -> list[str]:
        """The addresses of one customer's request, quote, invoice and file."""
        task = next(task for task in self.tasks.values() if task.customer_id == customer.pk)
        return [f"{PORTAL}/requests/{task.pk}/",
                f"{PORTAL}/quotes/{Quote.objects.get(customer=customer).pk}/",
                f"{PORTAL}/invoices/{Invoice.objects.get(customer=customer).pk}/",
                f"{PORTAL}/documents/{CustomerFile.objects.get(customer=customer).pk}/"]

    def test_after_switching_nothing_of_the_other_customer_shows_anywhere(self) -> None:
        self.login_portal(self.anna)
        self.assert_pages_show(INITECH, GLOBEX)
        self.assert_balance("€320.00", "€480.00")
        for address in self.objects_of(self.customer_a1):
            self.assertEqual(self.client.get(address).status_code, 200, address)
        for address in self.objects_of(self.customer_a2):
            self.assertEqual(self.client.get(address).status_code, 404, address)

        self.switch_to(self.customer_a2.pk)
        self.assert_pages_show(GLOBEX, INITECH)
        self.assert_balance("€480.00", "€320.00")  # Globex's invoice, with its tax
        for address in self.objects_of(self.customer_a2):
            self.assertEqual(self.client.get(address).status_code, 200, address)
        for address in self.objects_of(self.customer_a1):
            self.assertEqual(self.client.get(address).status_code, 404, address)

        self.switch_to(self.customer_a1.pk)
        self.assert_pages_show(INITECH, GLOBEX)

    def test_a_request_followed_for_one_customer_stays_out_of_anothers_pages(self) -> None:
        # Anna follows a colleague's Initech request (SPEC X5), under "only their own" terms.
        PortalSettings.objects.filter(organization=self.org_a).update(
            seen_by_default=SeenByDefault.OWN)
        initech = next(task for task in self.tasks.values()
                       if task.customer_id == self.customer_a1.pk)
        add_follower(task=initech, portal_user=self.anna, by=self.admin_a)
        self.login_portal(self.anna)
        self.assertContains(self.client.get(f"{PORTAL}/requests/"), initech.title)
        self.assertEqual(self.client.get(f"{PORTAL}/requests/{initech.pk}/").status_code, 200)
        self.switch_to(self.customer_a2.pk)
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), initech.title)
        for address in (f"{PORTAL}/requests/{initech.pk}/",
                        f"{PORTAL}/requests/{initech.pk}/posts/new/?after=0&count=0"
                        "&status=open"):
            self.assertEqual(self.client.get(address).status_code, 404, address)

    def test_the_switcher_shows_only_for_a_person_of_several_customers(self) -> None:
        self.login_portal(self.anna)
        page = self.client.get(f"{PORTAL}/requests/")
        self.assertContains(page, f'action="{PORTAL}/customer/"')
        self.assertContains(page, f'<option value="{self.customer_a1.pk}" selected>Initech'
                                  f'</option>', html=False)
        self.assertContains(page, f'<option value="{self.customer_a2.pk}">Globex</option>',
                            html=False)
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/customer/")

    def test_a_crafted_switch_to_a_customer_not_hers_is_refused(self) -> None:
        not_hers = Customer.objects.create(organization=self.org_a, short_name="Hooli")
        elsewhere = Customer.objects.create(organization=self.org_b, short_name="Umbrella")
        self.login_portal(self.anna)
        for value in (not_hers.pk, elsewhere.pk, "", "x", "1.5", 10**12):
            response = self.client.post(f"{PORTAL}/customer/", {"customer": value})
            self.assertEqual(response.status_code, 404, value)
        self.assertEqual(self.client.get(f"{PORTAL}/customer/").status_code, 405)
        self.assert_pages_show(INITECH, (*GLOBEX, "Hooli", "Umbrella"))

    def test_no_one_switches_without_being_signed_in_at_this_portal(self) -> None:
        response = self.client.post(f"{PORTAL}/customer/", {"customer": self.customer_a2.pk})
        self.assertEqual(response.status_code, 302)
        self.login_portal(self.portal_a1)  # of Initech only
        response = self.client.post(f"{PORTAL}/customer/", {"customer": self.customer_a2.pk})
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), GLOBEX[0])

    def test_removing_the_current_membership_ends_that_customer_at_the_next_page(self) -> None:
        self.login_portal(self.anna)
        self.switch_to(self.customer_a2.pk)
        globex_request = self.objects_of(self.customer_a2)[0]
        self.assertEqual(self.client.get(globex_request).status_code, 200)
        remove_portal_membership(membership=self.globex_membership, by=self.admin_a)
        self.assertEqual(self.client.get(globex_request).status_code, 404)
        # Back to her own customer, and no switcher any more.
        self.assert_pages_show(INITECH, GLOBEX)
        self.assertNotContains(self.client.get(f"{PORTAL}/requests/"), f"{PORTAL}/customer/")
        response = self.client.post(f"{PORTAL}/customer/", {"customer": self.customer_a2.pk})
        self.assertEqual(response.status_code, 404)

    def test_a_customer_kept_out_of_the_portal_cannot_be_reached_by_switching(self) -> None:
        self.login_portal(self.anna)
        self.switch_to(self.customer_a2.pk)
        set_customer_access(customer=self.customer_a2, allowed=False, shows=RequestsShown.ALL)
        # Acting for it ends at the next page; switching back to it is refused.
        response = self.client.get(f"{PORTAL}/requests/")
        self.assertEqual(response.status_code, 302)
        self.login_portal(self.anna)
        page = self.client.get(f"{PORTAL}/requests/")
        self.assertNotContains(page, f'<option value="{self.customer_a2.pk}"', html=False)
        response = self.client.post(f"{PORTAL}/customer/", {"customer": self.customer_a2.pk})
        self.assertEqual(response.status_code, 404)
        self.assert_pages_show(INITECH, GLOBEX)

    def test_each_customer_has_its_own_terms(self) -> None:
        """SPEC P10 per customer: only Globex is given access; Anna logs in with her password
        and lands on Globex, and Initech is never offered."""
        PortalSettings.objects.filter(organization=self.org_a).update(
            portal_for=PortalFor.SELECTED)
        set_customer_access(customer=self.customer_a2, allowed=True, shows=RequestsShown.ALL)
        self.anna.set_password("correct horse battery")
        self.anna.save(update_fields=["password"])
        response = self.client.post(f"{PORTAL}/login/", {"email": "anna@books.test",
                                                         "password": "correct horse battery"})
        self.assertRedirects(response, f"{PORTAL}/requests/", fetch_redirect_response=False)
        self.assert_pages_show(GLOBEX, INITECH)
        response = self.client.post(f"{PORTAL}/customer/", {"customer": self.customer_a1.pk})
        self.assertEqual(response.status_code, 404)

    def test_the_billing_tabs_are_per_customer(self) -> None:
        set_membership_modules(membership=self.globex_membership, quotes=False, invoices=False,
                               balance=True)
        self.login_portal(self.anna)
        self.switch_to(self.customer_a2.pk)
        page = self.client.get(f"{PORTAL}/requests/")
        self.assertNotContains(page, f"{PORTAL}/invoices/")
        self.assertNotContains(page, f"{PORTAL}/quotes/")
        self.assertContains(page, f"{PORTAL}/balance/")
        self.assertEqual(self.client.get(f"{PORTAL}/invoices/").status_code, 404)
        self.assertEqual(self.client.get(self.objects_of(self.customer_a2)[2]).status_code, 404)
        self.switch_to(self.customer_a1.pk)
        page = self.client.get(f"{PORTAL}/requests/")
        self.assertContains(page, f"{PORTAL}/invoices/")
        self.assertContains(self.client.get(f"{PORTAL}/invoices/"), INITECH[2])

    def test_own_requests_only_are_those_of_the_current_customer(self) -> None:
        """Where each person sees only their own requests, Anna's own are those she made for
        the customer she acts for."""
        PortalSettings.objects.filter(organization=self.org_a).update(seen_by_default="own")
        self.login_portal(self.anna)
        for title in ("Anna for Initech", "Anna for Globex"):
            if title == "Anna for Globex":
                self.switch_to(self.customer_a2.pk)
            self.client.post(f"{PORTAL}/requests/new/", {"title": title,
                                                         "description": "Books."})
        self.assert_pages_show(("Anna for Globex",), ("Anna for Initech", *GLOBEX[:1]))
        self.switch_to(self.customer_a1.pk)
        self.assert_pages_show(("Anna for Initech",), ("Anna for Globex", *INITECH[:1]))

    def test_pages_cost_the_same_statements_as_for_a_person_of_one_customer(self) -> None:
        def counts() -> list[int]:
            found = []
            cache.clear()  # the home page's charts, counted once a minute per customer
            for page in PAGES:
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(f"{PORTAL}{page}").status_code, 200)
                found.append(len(queries))
            return found

        self.login_portal(self.portal_a2)
        one_customer = counts()
        self.login_portal(self.anna)
        self.switch_to(self.customer_a2.pk)
        self.assertEqual(counts(), one_customer)
        # And however many customers she acts for.
        from frontdesk.portal.memberships import add_portal_membership

        for number in range(20):
            customer = Customer.objects.create(organization=self.org_a,
                                               short_name=f"Firm {number}")
            add_portal_membership(customer=customer, email="anna@books.test", by=self.admin_a)
        self.assertEqual(counts(), one_customer)
        self.assertContains(self.client.get(f"{PORTAL}/requests/"), "Firm 19")


class ActingForTests(MembershipTestCase):
    def test_the_person_acting_for_another_customer_is_a_copy_with_its_customer(self) -> None:
        from frontdesk.portal.auth import viewer_outside_a_page
        from frontdesk.portal.models import PortalUser

        anna = PortalUser.objects.select_related("organization", "customer").get(
            pk=self.anna.pk)
        set_membership_modules(membership=self.globex_membership, quotes=False,
                               invoices=True, balance=False)
        viewer = viewer_outside_a_page(anna, customer_id=self.customer_a2.pk)
        assert viewer is not None
        acting = viewer.portal_user
        self.assertEqual((acting.customer_id, acting.sees_quotes, acting.sees_balance),
                         (self.customer_a2.pk, False, False))
        with self.assertNumQueries(1):  # its customer is read anew, its organization kept
            self.assertEqual(acting.customer.short_name, "Globex")
            self.assertEqual(acting.organization, self.org_a)
        # The person herself is unchanged.
        self.assertEqual((anna.customer_id, anna.customer.short_name, anna.sees_quotes),
                         (self.customer_a1.pk, "Initech", True))
        # A customer she does not act for: no viewer.
        self.assertIsNone(viewer_outside_a_page(anna, customer_id=10**9))
