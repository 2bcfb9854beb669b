"""Walk every URL pattern that takes an object id, with the ids of another organization's
objects, and demand 404 — not 403, not 500, not data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from frontdesk.accounts.services import invite_staff
from frontdesk.api.models import WebhookDelivery
from frontdesk.api.services import create_api_token, save_webhook_endpoint
from frontdesk.billing import services as billing
from frontdesk.billing.tests.helpers import document
from frontdesk.core.testing import FrontdeskTestCase, run_worker
from frontdesk.customers.models import Contact, CustomField, Transfer
from frontdesk.files.services import add_customer_files, create_folder
from frontdesk.knowledge.models import Article, Category
from frontdesk.mail.inbound import receive_message
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.models import Group, Membership
from frontdesk.portal.models import PortalSettings
from frontdesk.portal.tests.helpers import upload
from frontdesk.service_levels.models import ServiceTarget
from frontdesk.support.models import Attachment, Notification, SavedReply, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request

# Parameters that are not object ids: tokens are checked by their own tests.
NOT_IDS = {"org_slug", "token", "uidb64"}


def walk(patterns: list[Any], namespace: str = "", route: str = ""
         ) -> Iterator[tuple[str, str, list[str]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, full_ns, route + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            full_route = route + str(entry.pattern)
            params = [part.split(":")[-1].rstrip(">") for part in full_route.split("<")[1:]]
            params = [p.split(">")[0] for p in params]
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, full_route, params


class CrossOrganizationWalkTests(FrontdeskTestCase):
    ids: ClassVar[dict[str, int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from frontdesk.portal.models import PortalUser

        org_b = cls.org_b
        topic_b = Topic.objects.for_org(org_b).get()
        from frontdesk.customers.models import Customer

        customer_b = Customer.objects.create(organization=org_b, short_name="B customer")
        contact_b = Contact.objects.create(organization=org_b, customer=customer_b,
                                           first_name="Bob")
        requester_b = PortalUser.objects.create(organization=org_b, customer=customer_b,
                                                email="req@b.test", first_name="Req")
        task_b = create_request(topic=topic_b, requester=requester_b, title="B secret",
                                description="B secret", files=[upload("b.txt", b"b")])
        post_b = add_staff_post(task=task_b, author=cls.staff_b, body="B post",
                                visible_to_customer=True, files=[upload("b2.txt", b"b")])
        run_worker()  # the notifications
        from frontdesk.support.followers import add_follower

        quote_b = billing.create_quote(organization=org_b, customer=customer_b,
                                       data=document("B secret"), valid_until=None,
                                       by=cls.staff_b)
        billing.send_quote(quote=quote_b)
        invoice_b = billing.create_invoice(organization=org_b, customer=customer_b,
                                           contact=None, data=document("B secret"),
                                           by=cls.staff_b)
        billing.issue_invoice(invoice=invoice_b, by=cls.staff_b)
        folder_b = create_folder(customer=customer_b, name="B secret")
        file_b = add_customer_files(customer=customer_b, folder=folder_b,
                                    files=[upload("b3.txt", b"b")], shared=True,
                                    by=cls.staff_b)[0]
        category_b = Category.objects.create(organization=org_b, name="B secret")
        article_b = Article.objects.create(organization=org_b, title="B secret",
                                           body="B secret", is_published=True,
                                           category=category_b)
        # Every tab of A's portal on, so that what answers 404 is the id.
        PortalSettings.objects.filter(organization=cls.org_a).update(show_balance=True,
                                                                     show_faq=True)
        endpoint_b = save_webhook_endpoint(organization=org_b, url="http://127.0.0.1:9/b",
                                           events=["customer.created"],
                                           include_internal_posts=True)
        cls.ids = {
            "task_id": task_b.pk,
            "post_id": post_b.pk,
            "attachment_id": Attachment.objects.filter(task=task_b).first().pk,  # type: ignore[union-attr]
            "notification_id": Notification.objects.filter(task=task_b).first().pk,  # type: ignore[union-attr]
            "topic_id": topic_b.pk,
            "group_id": Group.objects.for_org(org_b).first().pk,  # type: ignore[union-attr]
            "membership_id": Membership.objects.get(organization=org_b).pk,
            "customer_id": customer_b.pk,
            "portal_user_id": requester_b.pk,
            "contact_id": contact_b.pk,
            "field_id": CustomField.objects.create(organization=org_b, name="B field").pk,
            "invitation_id": invite_staff(organization=org_b, email="new@b.test",
                                          is_admin=False, by=cls.staff_b).pk,
            "quote_id": quote_b.pk,
            "article_id": article_b.pk,
            "reply_id": SavedReply.objects.create(organization=org_b, title="B secret",
                                                  body="B secret").pk,
            "transfer_id": Transfer.objects.create(organization=org_b, kind="export",
                                                   state="done").pk,
            "category_id": category_b.pk,
            "invoice_id": invoice_b.pk,
            "message_id": OutboxMessage.objects.filter(organization=org_b).first().pk,  # type: ignore[union-attr]
            "folder_id": folder_b.pk,
            "file_id": file_b.pk,
            "token_id": create_api_token(membership=Membership.objects.get(organization=org_b),
                                         name="B secret")[0].pk,
            "endpoint_id": endpoint_b.pk,
            "delivery_id": WebhookDelivery.objects.create(organization=org_b,
                                                          endpoint=endpoint_b,
                                                          event="customer.created",
                                                          body="B secret",
                                                          state="failed").pk,
            "follower_id": add_follower(task=task_b, email="cc@b.test", by=cls.staff_b).pk,
            "inbound_id": receive_message(organization=org_b, raw=(
                b"From: req@b.test\r\nSubject: B secret\r\n\r\nB secret\r\n")).message.pk,
            "target_id": ServiceTarget.objects.create(organization=org_b, priority="normal",
                                                      resolution_minutes=60).pk,
        }

    def id_urls(self, prefix: str) -> list[tuple[str, str]]:
        urls = []
        for name, _route, params in walk(get_resolver().url_patterns):
            id_params = [p for p in params if p not in NOT_IDS]
            if not id_params or any(p in ("token", "uidb64") for p in params):
                continue
            unknown = [p for p in id_params if p not in self.ids]
            self.assertEqual(unknown, [], f"{name}: add an object of org B for {unknown}")
            kwargs: dict[str, Any] = {p: self.ids[p] for p in id_params}
            if "org_slug" in params:
                kwargs["org_slug"] = "acme-support"
            url = reverse(name, kwargs=kwargs)
            if url.startswith(prefix):
                urls.append((name, url))
        return urls

    def assert_all_404(self, urls: list[tuple[str, str]]) -> None:
        self.assertTrue(urls)
        for name, url in urls:
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                # 405: the view never takes this method, whatever the id (a GET-only page).
                self.assertIn(response.status_code, (404, 405),
                              f"{method.upper()} {url} ({name}) gave {response.status_code}")
                self.assertNotIn(b"B secret", response.content)
                self.assertNotIn(b"B post", response.content)

    def test_staff_pages_answer_404_for_another_organizations_ids(self) -> None:
        self.login_staff(self.admin_a)
        self.assert_all_404(self.id_urls("/app/"))

    def test_portal_pages_answer_404_for_another_organizations_ids(self) -> None:
        self.login_portal(self.portal_a1)
        self.assert_all_404(self.id_urls("/p/"))

    def test_staff_of_another_organization_get_404_everywhere_here(self) -> None:
        self.login_staff(self.staff_b)
        for name, _route, params in walk(get_resolver().url_patterns):
            if "org_slug" not in params:
                continue
            kwargs: dict[str, Any] = {p: 1 for p in params if p not in NOT_IDS}
            if any(p in ("token", "uidb64") for p in params):
                continue
            url = reverse(name, kwargs={**kwargs, "org_slug": "acme-support"})
            if not url.startswith("/app/"):
                continue
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                self.assertIn(response.status_code, (404, 405), f"{method.upper()} {url}")
