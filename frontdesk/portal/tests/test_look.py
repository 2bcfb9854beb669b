"""The portal's own style sheet and log-in text (SPEC P13): served apart and versioned, and
nothing in it may load from another address."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponseBase

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.portal.look import check_css
from frontdesk.portal.models import PortalSettings

SETTINGS = "/app/acme-support/settings/portal/"
CSS = "/p/acme-support/brand.css"


class PortalLookTests(FrontdeskTestCase):
    def settings_of_a(self) -> PortalSettings:
        return PortalSettings.objects.get(organization=self.org_a)

    def save(self, **fields: str) -> HttpResponseBase:
        self.login_staff(self.admin_a)
        return self.client.post(SETTINGS, fields)

    def test_an_admin_gives_the_portal_a_style_sheet_and_customers_get_it(self) -> None:
        sheet = ".portal-header { background: #123456; } h1 { font-size: 2rem; }"
        self.assertRedirects(self.save(custom_css=sheet), SETTINGS)
        version = self.settings_of_a().css_version
        self.assertEqual(len(version), 12)
        login_page = self.client.get("/p/acme-support/login/")
        self.assertContains(login_page, f'href="{CSS}?v={version}"')
        served = self.client.get(f"{CSS}?v={version}")
        self.assertEqual(served["Content-Type"], "text/css; charset=utf-8")
        self.assertEqual(served.content.decode(), sheet)
        self.assertIn("immutable", served["Cache-Control"])
        self.assertEqual(served["X-Content-Type-Options"], "nosniff")
        # An old address is not kept for long: it may name a sheet that changed since.
        self.assertEqual(self.client.get(f"{CSS}?v=old")["Cache-Control"], "no-cache")
        # A new sheet, a new address.
        self.save(custom_css="h1 { color: red; }")
        self.assertNotEqual(self.settings_of_a().css_version, version)

    def test_without_a_sheet_there_is_no_link_and_no_sheet(self) -> None:
        self.assertNotContains(self.client.get("/p/acme-support/login/"), "brand.css")
        self.assertEqual(self.client.get(CSS).status_code, 404)

    def test_one_organizations_sheet_never_reaches_another_portal(self) -> None:
        self.save(custom_css="h1 { color: #abcdef; }")
        self.assertEqual(self.client.get("/p/other-org/brand.css").status_code, 404)
        self.assertNotContains(self.client.get("/p/other-org/login/"), "brand.css")
        self.assertEqual(self.client.get("/p/no-such-org/brand.css").status_code, 404)

    def test_a_sheet_that_loads_from_elsewhere_is_refused_and_nothing_changes(self) -> None:
        self.save(custom_css="h1 { color: red; }")
        before = self.settings_of_a()
        remote = "images of this site or inline images only, not "
        for sheet, message in (
                ("input[value^=a] { background: url(https://evil.test/a) }",
                 remote + "https://evil.test/a."),
                ("h1 { background: url('//evil.test/a') }", remote + "//evil.test/a."),
                ('h1 { background-image: image-set("https://evil.test/a" 1x) }',
                 remote + "https://evil.test/a."),
                ("@import 'x.css';", "“@import” is not allowed"),
                ("h1 { background: url(javascript:alert(1)) }", "“javascript:” is not allowed"),
                ("h1 { background: url(data:text/html,hi) }", remote + "data:text/html,hi."),
                ("h1 { background: \\75rl(x) }", "Escapes with a backslash are not allowed"),
                ("h1 { color: red } </style><script>", "“&lt;/” is not allowed")):
            response = self.save(custom_css=sheet)
            self.assertEqual(response.status_code, 200, sheet)
            self.assertContains(response, message, msg_prefix=sheet)
            after = self.settings_of_a()
            self.assertEqual((after.custom_css, after.css_version),
                             (before.custom_css, before.css_version), sheet)

    def test_images_of_this_site_and_inline_images_are_allowed(self) -> None:
        check_css("h1 { background: url(/static/frontdesk/bg.png) }")
        check_css("h1 { background: url('data:image/png;base64,iVBORw0KGgo=') }")
        check_css("a:hover { color: #fff } /* a comment */")
        with self.assertRaises(ValidationError):
            check_css("h1 {}" * 20_000)

    def test_the_log_in_page_shows_the_organizations_text(self) -> None:
        self.save(login_message="Customers of Acme only.\nCall 555-0100 for help.")
        response = self.client.get("/p/acme-support/login/")
        self.assertContains(response, "Customers of Acme only.\nCall 555-0100 for help.")
        self.assertNotContains(self.client.get("/p/other-org/login/"), "Customers of Acme")

    def test_view_only_staff_cannot_change_the_look(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.post(SETTINGS, {"custom_css": "h1 { color: red }"})
        self.assertIn(response.status_code, (403, 404))
        self.assertEqual(self.settings_of_a().custom_css, "")
