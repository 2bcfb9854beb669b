"""Saved replies (SPEC X9): written once, used on any request with its placeholders filled
in; nothing else in braces is read; another organization's replies are out of reach."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.support.models import SavedReply, Topic
from frontdesk.support.services import create_request

BASE = "/app/acme-support/requests"


class SavedReplyTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        topic = Topic.objects.for_org(self.org_a).get()
        self.task = create_request(topic=topic, requester=self.portal_a1, title="VPN drops",
                                   description="Every hour.")

    def test_a_saved_reply_fills_the_post_form_for_the_request(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/saved-replies/", {
            "title": "Looking into it",
            "body": "Hello {requester}, we are on {request} ({title}) for {customer}. "
                    "{agent}, {organization}. {unknown} {customer.__class__}"})
        reply = SavedReply.objects.get()
        detail = f"{BASE}/{self.task.pk}/"
        self.assertContains(self.client.get(f"{BASE}/{self.task.pk}/saved-replies/"),
                            f"{detail}?reply={reply.pk}#write")
        page = self.client.get(detail, {"reply": reply.pk})
        self.assertContains(page, f"Hello Peter, we are on #{self.task.pk} (VPN drops) for "
                                  "Initech. Alan Agent, Acme Support. {unknown} "
                                  "{customer.__class__}")

    def test_bad_input_and_duplicates_save_nothing(self) -> None:
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.post(f"{BASE}/saved-replies/", {"title": "",
                                                                    "body": "x"}).status_code,
                         400)
        self.client.post(f"{BASE}/saved-replies/", {"title": "Thanks", "body": "Thanks!"})
        duplicate = self.client.post(f"{BASE}/saved-replies/", {"title": "Thanks",
                                                               "body": "Again"})
        self.assertContains(duplicate, "There is a saved reply of that title already.",
                            status_code=400)
        self.assertEqual(SavedReply.objects.count(), 1)

    def test_another_organizations_reply_fills_nothing_and_is_404(self) -> None:
        theirs = SavedReply.objects.create(organization=self.org_b, title="B secret",
                                           body="B secret text")
        self.login_staff(self.agent_a)
        page = self.client.get(f"{BASE}/{self.task.pk}/", {"reply": theirs.pk})
        self.assertNotContains(page, "B secret text")
        self.assertEqual(self.client.get(f"{BASE}/saved-replies/{theirs.pk}/").status_code, 404)
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.post(f"{BASE}/saved-replies/{theirs.pk}/delete/")
                         .status_code, 404)
        self.assertTrue(SavedReply.objects.filter(pk=theirs.pk).exists())

    def test_viewers_read_but_do_not_write_or_delete(self) -> None:
        reply = SavedReply.objects.create(organization=self.org_a, title="Thanks", body="x")
        self.login_staff(self.viewer_a)
        self.assertContains(self.client.get(f"{BASE}/saved-replies/"), "Thanks")
        self.assertEqual(self.client.post(f"{BASE}/saved-replies/", {"title": "T",
                                                                    "body": "b"}).status_code,
                         403)
        self.assertEqual(self.client.post(f"{BASE}/saved-replies/{reply.pk}/delete/")
                         .status_code, 403)
