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


class ProxyAndHttpsSettingsTests(SimpleTestCase):
    """Read from the environment when the settings load: checked in a fresh interpreter."""

    def settings_with(self, **environment: str) -> dict[str, object]:
        import json
        import os
        import subprocess
        import sys

        code = ("import json, frontdesk.settings as s; print(json.dumps({"
                "'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
                "'hsts': s.SECURE_HSTS_SECONDS}))")
        env = {**os.environ, "SECRET_KEY": "x" * 60, **environment}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,  # noqa: S603
                             capture_output=True, text=True).stdout
        result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
        return result

    def test_the_scheme_is_trusted_only_behind_trusted_proxies(self) -> None:
        self.assertEqual(self.settings_with(FRONTDESK_TRUSTED_PROXIES="0"),
                         {"proxy": None, "hsts": 0})
        self.assertEqual(self.settings_with(FRONTDESK_TRUSTED_PROXIES="1",
                                            SECURE_HSTS_SECONDS="31536000"),
                         {"proxy": ["HTTP_X_FORWARDED_PROTO", "https"], "hsts": 31536000})
