from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client

from frontdesk.api.schemas import PriorityValue, StatusValue
from frontdesk.api.tests.helpers import ApiTestCase
from frontdesk.support.models import Priority, Status


class OpenApiTests(ApiTestCase):
    def test_the_schema_describes_the_endpoints_and_the_bearer_token(self) -> None:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        self.assertEqual(schema["info"]["title"], "Frontdesk API")
        for path in ("/api/v1/requests", "/api/v1/requests/{task_id}",
                     "/api/v1/requests/{task_id}/posts", "/api/v1/customers",
                     "/api/v1/customers/{customer_id}", "/api/v1/topics"):
            self.assertIn(path, schema["paths"])
        [scheme] = schema["components"]["securitySchemes"].values()
        self.assertEqual((scheme["type"], scheme["scheme"]), ("http", "bearer"))
        self.assertIn("internal", schema["components"]["schemas"]["PostOut"]["properties"])

    def test_the_docs_page_uses_no_cdn(self) -> None:
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", page)
        # Every script and stylesheet comes from our own static files.
        for address in re.findall(r'(?:src|href)="([^"]+)"', page):
            self.assertTrue(address.startswith("/static/"), address)
        # They are django-ninja's, which collectstatic gathers with ours (ninja is an
        # installed app).
        for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css",
                     "ninja/swagger-ui-init.js"):
            self.assertIsNotNone(finders.find(name), name)
        # The validator badge would send the schema to swagger.io.
        self.assertIn('"validatorUrl": null', page)

    def test_the_schemas_literals_are_the_models_choices(self) -> None:
        self.assertEqual(set(StatusValue.__args__), set(Status.values))  # type: ignore[attr-defined]
        self.assertEqual(set(PriorityValue.__args__), set(Priority.values))  # type: ignore[attr-defined]


class CsrfAndSessionTests(ApiTestCase):
    def test_a_token_call_needs_no_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True,
                        headers={"Authorization": f"Bearer {self.token_of(self.agent_a)}"})
        response = client.post("/api/v1/customers", data='{"short_name": "Hooli"}',
                               content_type="application/json")
        self.assertEqual(response.status_code, 201)

    def test_the_staff_pages_still_demand_their_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.agent_a)
        response = client.post("/app/acme-support/settings/api/tokens/", {"name": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.membership(self.agent_a).api_tokens.exists())

    def test_an_api_call_sets_no_session_cookie(self) -> None:
        client = self.api(self.token_of(self.agent_a))
        response = client.get("/api/v1/topics")
        self.assertNotIn("sessionid", response.cookies)
        self.assertNotIn("csrftoken", response.cookies)
