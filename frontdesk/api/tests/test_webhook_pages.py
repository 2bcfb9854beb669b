from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.api.models import Event, WebhookDelivery, WebhookEndpoint
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, receiving
from frontdesk.customers.services import create_customer
from frontdesk.organizations.permissions import Level

URL = "/app/acme-support/settings/api/webhooks/"


class WebhookPageTests(ApiTestCase):
    def endpoint(self, url: str = "http://127.0.0.1:9/hook") -> WebhookEndpoint:
        return save_webhook_endpoint(organization=self.org_a, url=url,
                                     events=[Event.CUSTOMER_CREATED],
                                     include_internal_posts=False)

    def test_an_admin_adds_an_endpoint_and_sees_its_secret(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {"url": "http://127.0.0.1:9/hook",
                                          "events": ["request.created", "post.created"],
                                          "is_active": "on"}, follow=True)
        endpoint = WebhookEndpoint.objects.get()
        self.assertEqual(endpoint.events, ["request.created", "post.created"])
        self.assertFalse(endpoint.include_internal_posts)  # off unless asked for
        self.assertEqual(len(endpoint.secret), 64)
        self.assertContains(response, endpoint.secret)
        self.assertContains(self.client.get(URL), "http://127.0.0.1:9/hook")

    def test_an_endpoint_needs_an_event(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(URL, {"url": "http://127.0.0.1:9/hook"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(WebhookEndpoint.objects.exists())

    def test_it_lists_deliveries_and_sends_one_again(self) -> None:
        with receiving(answers=[500, 500, 500]) as receiver:
            endpoint = self.endpoint(receiver.url)
            with self.sending():
                create_customer(organization=self.org_a, short_name="Hooli")
            WebhookDelivery.objects.update(state=WebhookDelivery.State.FAILED)
            delivery = WebhookDelivery.objects.get()
            self.login_staff(self.admin_a)
            page = self.client.get(f"{URL}{endpoint.pk}/")
            self.assertContains(page, "customer.created")
            self.assertContains(page, "HTTP 500")
            self.assertContains(page, "Send again")
            with self.sending():
                response = self.client.post(
                    f"{URL}{endpoint.pk}/deliveries/{delivery.pk}/again/", follow=True)
            self.assertContains(response, "will be sent again")
        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.attempts), (WebhookDelivery.State.RETRYING, 2))
        self.assertEqual(len(receiver.received), 2)

    def test_edit_and_delete(self) -> None:
        endpoint = self.endpoint()
        self.login_staff(self.admin_a)
        self.client.post(f"{URL}{endpoint.pk}/", {"url": "http://127.0.0.1:10/x",
                                                  "events": ["customer.updated"],
                                                  "include_internal_posts": "on"})
        endpoint.refresh_from_db()
        self.assertEqual((endpoint.url, endpoint.events, endpoint.include_internal_posts,
                          endpoint.is_active),
                         ("http://127.0.0.1:10/x", ["customer.updated"], True, False))
        self.client.post(f"{URL}{endpoint.pk}/delete/")
        self.assertFalse(WebhookEndpoint.objects.exists())

    def test_manage_in_support_and_customers_is_needed(self) -> None:
        endpoint = self.endpoint()
        self.login_staff(self.agent_a)  # Contribute
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.get(f"{URL}{endpoint.pk}/").status_code, 403)
        membership = self.membership(self.agent_a)
        membership.level_support = Level.MANAGE
        membership.save()
        self.assertEqual(self.client.get(URL).status_code, 403)  # not in customers yet
        membership.level_customers = Level.MANAGE
        membership.save()
        self.assertEqual(self.client.get(URL).status_code, 200)

    def test_an_outsider_gets_404(self) -> None:
        endpoint = self.endpoint()
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(f"{URL}{endpoint.pk}/").status_code, 404)
        other = f"/app/other-org/settings/api/webhooks/{endpoint.pk}/"
        self.assertEqual(self.client.get(other).status_code, 404)
        self.assertEqual(self.client.post(f"{other}delete/").status_code, 404)
        self.assertTrue(WebhookEndpoint.objects.exists())

    def test_the_deliveries_page_costs_the_same_for_3_or_40_deliveries(self) -> None:
        endpoint = self.endpoint()

        def deliveries(count: int) -> None:
            WebhookDelivery.objects.bulk_create([
                WebhookDelivery(organization=self.org_a, endpoint=endpoint,
                                event="customer.created", body="{}", attempts=1,
                                state=WebhookDelivery.State.FAILED, last_error="HTTP 500")
                for _ in range(count)])

        self.login_staff(self.admin_a)
        deliveries(3)
        self.client.get(f"{URL}{endpoint.pk}/")  # the session's first read
        with CaptureQueriesContext(connection) as few:
            self.client.get(f"{URL}{endpoint.pk}/")
        deliveries(37)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(f"{URL}{endpoint.pk}/")
        self.assertEqual(len(many), len(few))
        self.assertContains(response, "Send again", count=25)
