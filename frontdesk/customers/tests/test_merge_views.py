from django.test import Client
from django.urls import reverse

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.contacts import add_contact
from frontdesk.customers.models import Activity, Customer
from frontdesk.customers.notes import add_note
from frontdesk.customers.services import create_customer


class MergePageTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.source = create_customer(organization=self.org_a, short_name="Initech Ltd.",
                                      full_name="Initech Limited", phone="020 7946 0000")
        self.target = create_customer(organization=self.org_a, short_name="Initech",
                                      email="office@initech-new.test")
        add_contact(customer=self.source, first_name="Milton")
        add_note(customer=self.source, body="Stapler", by=None)

    def url(self, customer: Customer | None = None) -> str:
        return reverse("customers:merge", args=[self.org_a.slug, (customer or self.source).pk])

    def test_it_suggests_the_probable_duplicates_to_merge_into(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url())
        self.assertContains(response, f'href="?into={self.target.pk}"')
        self.assertContains(response, "Same name")

    def test_a_search_lists_customers_to_merge_into(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url(), {"q": "Globex"})
        choices = response.content.decode().split('id="merge-search"')[1]
        self.assertIn(f'href="?into={self.customer_a2.pk}"', choices)
        self.assertNotIn(f'href="?into={self.customer_a1.pk}"', choices)

    def test_it_shows_both_records_and_what_moves_before_merging(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url(), {"into": self.target.pk})
        self.assertEqual(response.status_code, 200)
        for text in ("Initech Limited", "office@initech-new.test", "(taken from Initech Ltd.)",
                     "Merge and delete", f'name="into" value="{self.target.pk}"',
                     "csrfmiddlewaretoken"):
            self.assertContains(response, text)
        self.assertContains(response, "<dt>Contacts</dt><dd>1</dd>", html=True)
        self.assertContains(response, "<dt>Notes</dt><dd>1</dd>", html=True)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())

    def test_merging_redirects_to_the_target_and_the_source_is_gone(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(), {"into": self.target.pk})
        self.assertRedirects(response, reverse("customers:detail",
                                               args=[self.org_a.slug, self.target.pk]))
        self.assertTrue(Activity.objects.filter(customer=self.target, kind="merged").exists())
        gone = reverse("customers:detail", args=[self.org_a.slug, self.source.pk])
        self.assertEqual(self.client.get(gone).status_code, 404)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_post_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.admin_a)
        response = client.post(self.url(), {"into": self.target.pk})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())

    def test_view_and_contribute_members_cannot_merge(self) -> None:
        for user in (self.viewer_a, self.agent_a):
            self.login_staff(user)
            self.assertEqual(self.client.get(self.url()).status_code, 403)
            self.assertEqual(self.client.post(self.url(), {"into": self.target.pk})
                             .status_code, 403)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())

    def test_a_viewer_sees_no_merge_links(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.get(reverse("customers:detail",
                                           args=[self.org_a.slug, self.target.pk]))
        self.assertContains(response, "Probably the same company")
        self.assertNotContains(response, self.url())

    def test_the_customer_page_offers_merging_its_probable_duplicates(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(reverse("customers:detail",
                                           args=[self.org_a.slug, self.target.pk]))
        self.assertContains(response, "Probably the same company")
        self.assertContains(response, f"{self.url()}?into={self.target.pk}")

    def test_a_target_of_another_organization_is_404_and_nothing_merges(self) -> None:
        other = create_customer(organization=self.org_b, short_name="Initech")
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get(self.url(), {"into": other.pk}).status_code, 404)
        self.assertEqual(self.client.post(self.url(), {"into": other.pk}).status_code, 404)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())
        self.assertTrue(Customer.objects.filter(pk=other.pk).exists())

    def test_a_source_of_another_organization_is_404(self) -> None:
        other = create_customer(organization=self.org_b, short_name="Initech")
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.post(self.url(other), {"into": self.target.pk})
                         .status_code, 404)
        self.assertTrue(Customer.objects.filter(pk=other.pk).exists())

    def test_staff_of_another_organization_and_outsiders_get_404(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.post(self.url(), {"into": self.target.pk}).status_code,
                         404)
        self.client.logout()
        self.login_portal(self.portal_a1)
        self.assertNotEqual(self.client.post(self.url(), {"into": self.target.pk})
                            .status_code, 200)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())

    def test_merging_into_itself_changes_nothing(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url(), {"into": self.source.pk})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())

    def test_a_bad_target_is_ignored(self) -> None:
        self.login_staff(self.admin_a)
        for bad in ("abc", "-1", "9" * 40, ""):
            response = self.client.post(self.url(), {"into": bad})
            self.assertEqual(response.status_code, 200, bad)
        self.assertEqual(self.client.post(self.url(), {"into": "99999999"}).status_code, 404)
        self.assertTrue(Customer.objects.filter(pk=self.source.pk).exists())
