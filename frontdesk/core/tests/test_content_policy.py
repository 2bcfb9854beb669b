"""Every response carries the content security policy (core.middleware); one with a policy of
its own (a download's sandbox) keeps it; the setting can replace or drop it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from frontdesk.core.middleware import ContentSecurityPolicyMiddleware


class ContentSecurityPolicyTests(SimpleTestCase):
    def respond(self, response: HttpResponse) -> HttpResponse:
        def view(request: HttpRequest) -> HttpResponse:
            return response

        result = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
        assert isinstance(result, HttpResponse)
        return result

    def test_pages_get_the_policy(self) -> None:
        for path in ("/login/", "/nowhere/"):  # a page; a 404
            with self.subTest(path=path):
                policy = self.client.get(path)["Content-Security-Policy"]
                self.assertIn("script-src 'self';", policy)
                self.assertIn("object-src 'none'", policy)
                self.assertIn("form-action 'self'", policy)
                self.assertNotIn("unsafe-eval", policy)
                self.assertNotIn("script-src 'self' 'unsafe-inline'", policy)

    def test_a_response_with_its_own_keeps_it(self) -> None:
        own = HttpResponse("file")
        own["Content-Security-Policy"] = "sandbox; default-src 'none'"
        self.assertEqual(self.respond(own)["Content-Security-Policy"],
                         "sandbox; default-src 'none'")

    def test_the_setting_replaces_or_drops_it(self) -> None:
        with override_settings(FRONTDESK_CONTENT_SECURITY_POLICY="default-src 'none'"):
            self.assertEqual(self.respond(HttpResponse())["Content-Security-Policy"],
                             "default-src 'none'")
        with override_settings(FRONTDESK_CONTENT_SECURITY_POLICY=""):
            self.assertNotIn("Content-Security-Policy", self.respond(HttpResponse()))
