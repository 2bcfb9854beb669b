from __future__ import annotations

from frontdesk.api.models import ApiToken
from frontdesk.api.services import revoke_api_token
from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.lib.tokens import hash_token
from frontdesk.organizations.services import remove_staff_member
from frontdesk.support.models import Task, Topic
from frontdesk.support.services import create_request


class TokenAuthTests(ApiTestCase):
    def test_it_answers_401_without_a_token(self) -> None:
        response = self.api(None).get("/api/v1/requests")
        self.assertEqual(response.status_code, 401)
        self.assertIn("Authorization: Bearer", response.json()["detail"])

    def test_it_answers_401_for_a_made_up_token(self) -> None:
        self.assertEqual(self.api("fd_not-a-token").get("/api/v1/requests").status_code, 401)
        self.assertEqual(self.api("x" * 5000).get("/api/v1/requests").status_code, 401)

    def test_a_signed_in_staff_session_is_not_an_api_token(self) -> None:
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get("/api/v1/requests").status_code, 401)

    def test_the_token_is_stored_only_as_its_hash(self) -> None:
        raw = self.token_of(self.agent_a)
        token = ApiToken.objects.get()
        self.assertEqual(token.token_hash, hash_token(raw))
        self.assertNotIn(raw, [token.name, token.prefix, token.token_hash])
        self.assertTrue(raw.startswith(token.prefix))

    def test_a_live_token_works_and_records_its_use(self) -> None:
        raw = self.token_of(self.agent_a)
        self.assertEqual(self.api(raw).get("/api/v1/topics").status_code, 200)
        self.assertIsNotNone(ApiToken.objects.get().last_used_at)

    def test_a_revoked_token_answers_401_at_once(self) -> None:
        raw = self.token_of(self.agent_a)
        client = self.api(raw)
        self.assertEqual(client.get("/api/v1/topics").status_code, 200)
        revoke_api_token(token=ApiToken.objects.get())
        self.assertEqual(client.get("/api/v1/topics").status_code, 401)

    def test_a_deactivated_members_token_answers_401(self) -> None:
        raw = self.token_of(self.agent_a)
        self.agent_a.is_active = False
        self.agent_a.save(update_fields=["is_active"])
        self.assertEqual(self.api(raw).get("/api/v1/topics").status_code, 401)

    def test_a_removed_members_token_answers_401(self) -> None:
        raw = self.token_of(self.agent_a)
        remove_staff_member(membership=self.membership(self.agent_a),
                            by=self.membership(self.admin_a))
        self.assertEqual(self.api(raw).get("/api/v1/topics").status_code, 401)
        self.assertFalse(ApiToken.objects.exists())

    def test_a_view_only_token_reads_but_cannot_write(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="Printer",
                              description="")
        client = self.api(self.token_of(self.viewer_a))
        self.assertEqual(client.get(f"/api/v1/requests/{task.pk}").status_code, 200)
        body = self.send_json(client, "post", f"/api/v1/requests/{task.pk}/posts",
                              {"body": "hello"}, 403)
        self.assertIn("Contribute", body["detail"])
        self.send_json(client, "patch", f"/api/v1/requests/{task.pk}", {"status": "closed"},
                       403)
        self.send_json(client, "post", "/api/v1/customers", {"short_name": "New"}, 403)
        self.send_json(client, "patch", f"/api/v1/customers/{self.customer_a1.pk}",
                       {"phone": "1"}, 403)
        self.send_json(client, "post", "/api/v1/requests",
                       {"topic_id": topic.pk, "requester_email": "x@y.test", "title": "T"}, 403)
        task.refresh_from_db()
        self.assertEqual(task.status, "open")
        self.assertFalse(task.posts.exists())
        self.assertEqual(Task.objects.count(), 1)

    def test_a_token_acts_in_its_own_organization_only(self) -> None:
        # staff_b's token: org A's objects do not exist for it.
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="A secret",
                              description="A secret")
        client = self.api(self.token_of(self.staff_b, self.org_b))
        self.assertEqual(self.get_json(client, "/api/v1/requests")["items"], [])
        self.assertEqual(self.get_json(client, "/api/v1/customers")["items"], [])
        topics = self.get_json(client, "/api/v1/topics")
        self.assertNotIn(topic.pk, [item["id"] for item in topics])
        for path in (f"/api/v1/requests/{task.pk}", f"/api/v1/customers/{self.customer_a1.pk}"):
            response = client.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn(b"A secret", response.content)
            self.assertNotIn(b"Initech", response.content)
        self.send_json(client, "post", f"/api/v1/requests/{task.pk}/posts", {"body": "x"}, 404)
        self.send_json(client, "patch", f"/api/v1/requests/{task.pk}", {"status": "closed"},
                       404)
        self.send_json(client, "patch", f"/api/v1/customers/{self.customer_a1.pk}",
                       {"short_name": "Mine"}, 404)
        self.send_json(client, "post", "/api/v1/requests",
                       {"topic_id": topic.pk, "requester_email": "x@y.test", "title": "T"}, 404)
        task.refresh_from_db()
        self.assertEqual((task.status, task.posts.count()), ("open", 0))
        self.customer_a1.refresh_from_db()
        self.assertEqual(self.customer_a1.short_name, "Initech")
