from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.api.models import ApiToken
from frontdesk.api.tests.helpers import ApiTestCase

URL = "/app/acme-support/settings/api/tokens/"


class TokenPageTests(ApiTestCase):
    def test_a_new_token_is_shown_once_and_works(self) -> None:
        self.login_staff(self.viewer_a)  # any member may have tokens: they carry its levels
        made = self.client.post(URL, {"name": "CRM sync"})
        self.assertRedirects(made, URL, fetch_redirect_response=False)
        response = self.client.get(URL)
        self.assertContains(response, "Copy it now")
        self.assertEqual(response["Cache-Control"], "no-store")
        found = re.search(r'<code class="token" dir="ltr">(fd_[\w-]{43})</code>',
                          response.content.decode())
        assert found is not None
        raw = found.group(1)
        self.assertEqual(self.api(raw).get("/api/v1/topics").status_code, 200)
        page = self.client.get(URL)  # reloaded: shown no more, and no other made
        self.assertContains(page, "CRM sync")
        self.assertNotContains(page, raw)
        self.assertNotContains(page, "Copy it now")
        self.assertContains(page, raw[:10])  # its prefix tells it apart
        self.assertEqual(ApiToken.objects.count(), 1)

    def test_a_token_needs_a_name(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(URL, {"name": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ApiToken.objects.exists())

    def test_revoking_stops_the_token_and_keeps_it_listed(self) -> None:
        raw = self.token_of(self.agent_a)
        token = ApiToken.objects.get()
        self.login_staff(self.agent_a)
        response = self.client.post(f"{URL}{token.pk}/revoke/", follow=True)
        self.assertContains(response, "it no longer works")
        self.assertContains(response, "Revoked")
        self.assertEqual(self.api(raw).get("/api/v1/topics").status_code, 401)

    def test_a_member_sees_and_revokes_only_their_own_tokens(self) -> None:
        raw = self.token_of(self.agent_a)
        token = ApiToken.objects.get()
        self.login_staff(self.admin_a)  # even an admin
        self.assertNotContains(self.client.get(URL), token.prefix)
        self.assertEqual(self.client.post(f"{URL}{token.pk}/revoke/").status_code, 404)
        self.assertEqual(self.api(raw).get("/api/v1/topics").status_code, 200)

    def test_an_outsider_gets_404(self) -> None:
        self.token_of(self.agent_a)
        token = ApiToken.objects.get()
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(URL).status_code, 404)
        self.assertEqual(self.client.post(f"{URL}{token.pk}/revoke/").status_code, 404)
        other = f"/app/other-org/settings/api/tokens/{token.pk}/revoke/"
        self.assertEqual(self.client.post(other).status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_the_page_costs_the_same_for_1_or_15_tokens(self) -> None:
        self.login_staff(self.agent_a)
        self.token_of(self.agent_a)
        self.client.get(URL)
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL)
        for _ in range(14):
            self.token_of(self.agent_a)
        with CaptureQueriesContext(connection) as many:
            self.client.get(URL)
        self.assertEqual(len(many), len(few))
