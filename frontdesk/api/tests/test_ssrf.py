"""Webhook URLs may not point into our own network (server-side request forgery)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import override_settings

from frontdesk.api.models import Event, WebhookDelivery, WebhookEndpoint
from frontdesk.api.safe_http import check_url
from frontdesk.api.services import save_webhook_endpoint
from frontdesk.api.tests.helpers import ApiTestCase, receiving
from frontdesk.customers.services import create_customer

PRIVATE_URLS = [
    "http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.1.2.3/",
    "http://192.168.0.10/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
    "https://[fd00::1]/",
]


@override_settings(FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=False)
class SsrfTests(ApiTestCase):
    def test_private_and_loopback_addresses_are_refused(self) -> None:
        for url in PRIVATE_URLS:
            with self.subTest(url=url), self.assertRaises(ValidationError) as caught:
                save_webhook_endpoint(organization=self.org_a, url=url,
                                      events=[Event.REQUEST_CREATED],
                                      include_internal_posts=False)
            self.assertIn("private or local network", str(caught.exception))
        self.assertFalse(WebhookEndpoint.objects.exists())

    def test_only_http_and_https_are_accepted(self) -> None:
        for url in ("ftp://93.184.215.14/", "file:///etc/passwd", "gopher://x/",
                    "javascript:alert(1)", "http://user:pw@93.184.215.14/", "no url"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                save_webhook_endpoint(organization=self.org_a, url=url,
                                      events=[Event.REQUEST_CREATED],
                                      include_internal_posts=False)

    def test_a_public_address_is_accepted(self) -> None:
        check_url("https://93.184.215.14/hooks?x=1")  # an IP literal: no DNS needed

    def test_the_page_says_why_and_saves_nothing(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post("/app/acme-support/settings/api/webhooks/", {
            "url": "http://127.0.0.1/admin", "events": ["request.created"], "is_active": "on"})
        self.assertContains(response, "private or local network", status_code=400)
        self.assertFalse(WebhookEndpoint.objects.exists())

    def test_a_delivery_to_an_address_that_became_private_is_not_sent(self) -> None:
        # Saved while allowed (or the name resolved elsewhere then): checked again at sending.
        with receiving() as receiver:
            with self.settings(FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=True):
                save_webhook_endpoint(organization=self.org_a, url=receiver.url,
                                      events=[Event.CUSTOMER_CREATED],
                                      include_internal_posts=False)
            with self.sending():
                create_customer(organization=self.org_a, short_name="Hooli")
        self.assertEqual(receiver.received, [])
        delivery = WebhookDelivery.objects.get()
        self.assertEqual(delivery.state, WebhookDelivery.State.RETRYING)
        self.assertIn("private or local network", delivery.last_error)
