"""A visitor nobody knows yet (the staff login page) gets the language of their browser or
their cookie: `core.middleware.LocaleMiddleware`."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from frontdesk.core.testing import FrontdeskTestCase

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class VisitorLanguageTests(FrontdeskTestCase):
    """A visitor nobody knows yet gets the language of their browser, or of their cookie."""

    def tearDown(self) -> None:
        translation.deactivate()
        super().tearDown()

    def test_the_staff_login_page_follows_the_browser_and_says_so(self) -> None:
        for language in LANGUAGES:
            response = self.client.get("/login/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
            prefix = f"[{language}]"
            self.assertEqual(response["Content-Language"], language, prefix)
            self.assertContains(response, f'<html lang="{language}"', msg_prefix=prefix)
            self.assertIn("Accept-Language", response["Vary"], prefix)

    def test_the_language_cookie_wins_over_the_browser(self) -> None:
        self.client.cookies["django_language"] = "tr"
        response = self.client.get("/login/", HTTP_ACCEPT_LANGUAGE="nl")
        self.assertEqual(response["Content-Language"], "tr")

    def test_an_unknown_language_gives_the_default(self) -> None:
        response = self.client.get("/login/", HTTP_ACCEPT_LANGUAGE="xx-YY")
        self.assertEqual(response["Content-Language"], "en")

    def test_the_urls_have_no_language_prefix(self) -> None:
        # core.middleware.LocaleMiddleware leaves out Django's handling of such prefixes.
        from django.conf.urls.i18n import is_language_prefix_patterns_used

        self.assertEqual(is_language_prefix_patterns_used(settings.ROOT_URLCONF),
                         (False, False))
