"""Every page starts with a link past its menus to its content (keyboard and screen-reader
users), which leads to the page's one `main`."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase


class SkipLinkTests(FrontdeskTestCase):
    def assert_skip_link(self, path: str) -> None:
        with self.subTest(path=path):
            html = self.client.get(path).content.decode()
            self.assertIn('<a class="skip-link" href="#main">Skip to content</a>', html)
            self.assertEqual(html.count('id="main"'), 1)

    def test_staff_portal_and_plain_pages_have_it(self) -> None:
        for path in ("/login/", f"/p/{self.org_a.slug}/login/", "/nowhere/"):
            self.assert_skip_link(path)
        self.login_staff(self.admin_a)
        self.assert_skip_link(f"/app/{self.org_a.slug}/requests/")
        self.client.logout()
        self.login_portal(self.portal_a1)
        self.assert_skip_link(f"/p/{self.org_a.slug}/requests/")
