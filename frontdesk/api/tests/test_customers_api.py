from __future__ import annotations

import datetime as dt

from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.customers.models import Activity, Customer


class CustomerApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client_a = self.api(self.token_of(self.agent_a))

    def test_it_lists_customers_by_name_and_pages(self) -> None:
        for n in range(30):
            Customer.objects.create(organization=self.org_a, short_name=f"Zeta {n:02}")
        first = self.get_json(self.client_a, "/api/v1/customers")
        names = [item["short_name"] for item in first["items"]]
        self.assertEqual(names[:2], ["Globex", "Initech"])
        self.assertEqual(len(names), 25)
        rest = self.get_json(self.client_a, f"/api/v1/customers?after={first['next_after']}")
        self.assertEqual(len(rest["items"]), 7)
        self.assertIsNone(rest["next_after"])

    def test_it_searches_customers(self) -> None:
        body = self.get_json(self.client_a, "/api/v1/customers?q=initech")
        self.assertEqual([item["id"] for item in body["items"]], [self.customer_a1.pk])

    def test_detail_and_404_for_another_organizations_customer(self) -> None:
        body = self.get_json(self.client_a, f"/api/v1/customers/{self.customer_a1.pk}")
        self.assertEqual((body["short_name"], body["email"]), ("Initech", "office@initech.test"))
        theirs = Customer.objects.create(organization=self.org_b, short_name="B secret")
        response = self.client_a.get(f"/api/v1/customers/{theirs.pk}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"B secret", response.content)

    def test_it_creates_a_customer_with_its_activity(self) -> None:
        body = self.send_json(self.client_a, "post", "/api/v1/customers",
                              {"short_name": " Hooli ", "email": "Info@Hooli.test"}, 201)
        customer = Customer.objects.get(pk=body["id"])
        self.assertEqual((customer.short_name, customer.email), ("Hooli", "info@hooli.test"))
        self.assertTrue(Activity.objects.filter(customer=customer, kind="created").exists())

    def test_it_refuses_a_taken_email_with_the_fields_message(self) -> None:
        body = self.send_json(self.client_a, "post", "/api/v1/customers",
                              {"short_name": "Copy", "email": "office@initech.test"}, 400)
        self.assertIn("Initech", body["errors"]["email"][0])
        self.send_json(self.client_a, "post", "/api/v1/customers", {"short_name": ""}, 400)
        self.assertEqual(Customer.objects.for_org(self.org_a).count(), 2)

    def test_it_updates_only_the_fields_given(self) -> None:
        body = self.send_json(self.client_a, "patch", f"/api/v1/customers/{self.customer_a1.pk}",
                              {"phone": "+1 555 0100"}, 200)
        self.assertEqual((body["short_name"], body["phone"]), ("Initech", "+1 555 0100"))
        self.assertTrue(Activity.objects.filter(customer=self.customer_a1,
                                                kind="updated").exists())
        self.send_json(self.client_a, "patch", f"/api/v1/customers/{self.customer_a1.pk}",
                       {"email": "not-an-email"}, 400)
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.email, "office@initech.test")

    def test_the_support_contracts_end_is_set_kept_and_cleared(self) -> None:
        url = f"/api/v1/customers/{self.customer_a1.pk}"
        body = self.send_json(self.client_a, "patch", url, {"support_until": "2027-03-31"}, 200)
        self.assertEqual(body["support_until"], "2027-03-31")
        body = self.send_json(self.client_a, "patch", url, {"phone": "+1 555 0100"}, 200)
        self.assertEqual(body["support_until"], "2027-03-31")  # left out: unchanged
        self.send_json(self.client_a, "patch", url, {"support_until": "next spring"}, 422)
        body = self.send_json(self.client_a, "patch", url, {"support_until": None}, 200)
        self.assertIsNone(body["support_until"])
        self.customer_a1.refresh_from_db()
        self.assertIsNone(self.customer_a1.support_until)
        body = self.send_json(self.client_a, "post", "/api/v1/customers",
                              {"short_name": "Hooli", "support_until": "2028-01-01"}, 201)
        self.assertEqual(Customer.objects.get(pk=body["id"]).support_until,
                         dt.date(2028, 1, 1))

    def test_topics_are_listed_in_their_order(self) -> None:
        body = self.get_json(self.client_a, "/api/v1/topics")
        self.assertEqual([item["name"] for item in body],
                         list(self.org_a_topic_names()))

    def org_a_topic_names(self) -> list[str]:
        from frontdesk.support.models import Topic

        return list(Topic.objects.for_org(self.org_a).order_by("position", "pk")
                    .values_list("name", flat=True))
