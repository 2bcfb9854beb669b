from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.portal.models import PortalSettings, PortalUser


def png(size: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "#2456c7").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


class PortalSettingsPageTests(FrontdeskTestCase):
    url = "/app/acme-support/settings/portal/"

    def settings_of_a(self) -> PortalSettings:
        return PortalSettings.objects.get(organization=self.org_a)

    def test_it_shows_the_two_links_to_copy(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="http://127.0.0.1:8000/p/acme-support/"')
        self.assertContains(response, 'value="http://127.0.0.1:8000/p/acme-support/support/"')

    def test_an_admin_switches_the_form_on_and_brands_it(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url, {
            "public_form_enabled": "on", "display_name": "Acme Help", "form_title": "Ask us",
            "form_description": "We answer fast.", "brand_color": "#aa3300",
            "logo": png(240)})
        self.assertRedirects(response, self.url)
        saved = self.settings_of_a()
        self.assertTrue(saved.public_form_enabled)
        self.assertEqual(saved.display_name, "Acme Help")
        form_page = self.client.get("/p/acme-support/support/")
        self.assertContains(form_page, "Ask us")
        self.assertContains(form_page, "--brand: #aa3300")
        logo = self.client.get("/p/acme-support/logo/")
        self.assertEqual(logo.status_code, 200)
        self.assertEqual(logo["Content-Type"], "image/png")

    def test_customers_see_the_organizations_own_stage_names(self) -> None:
        """SPEC X4: the portal names the stages as the organization says; staff keep the usual
        names, and a stage left empty keeps its usual name, in the reader's language."""
        from frontdesk.support.models import Status, Task, Topic
        from frontdesk.support.services import create_request

        task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                              requester=self.portal_a1, title="Printer", description="...")
        Task.objects.filter(pk=task.pk).update(status=Status.WAITING)
        # The list seen (and its rows remembered, lib/jinja_memo.py) before the names change.
        self.login_portal(self.portal_a1)
        self.assertContains(self.client.get("/p/acme-support/requests/"), "Waiting for reply")
        self.login_staff(self.admin_a)
        self.client.post(self.url, {"stage_waiting": "Your turn", "stage_open": ""})
        self.assertEqual(self.settings_of_a().stage_waiting, "Your turn")
        self.assertContains(self.client.get(f"/app/acme-support/requests/{task.pk}/"),
                            "Waiting for reply")
        self.login_portal(self.portal_a1)
        for path in ("/p/acme-support/requests/", f"/p/acme-support/requests/{task.pk}/"):
            with self.subTest(path=path):
                page = self.client.get(path).content.decode()
                self.assertIn(">Your turn</span>", page)
                self.assertNotIn("Waiting for reply", page)
        Task.objects.filter(pk=task.pk).update(status=Status.IN_PROGRESS)
        PortalUser.objects.filter(pk=self.portal_a1.pk).update(language="nl")
        self.assertContains(self.client.get(f"/p/acme-support/requests/{task.pk}/"),
                            '<span class="pill pill-in_progress">In behandeling</span>',
                            html=False)
        # Another organization's portal keeps the usual names.
        self.assertEqual(PortalSettings.objects.get(organization=self.org_b).stage_waiting, "")

    def test_a_small_logo_or_a_bad_colour_is_refused_and_nothing_saved(self) -> None:
        self.login_staff(self.admin_a)
        response = self.client.post(self.url, {"display_name": "X", "logo": png(50),
                                               "brand_color": "red; background: url(x)"})
        self.assertContains(response, "at least 200×200 pixels")
        self.assertContains(response, "Use a colour like")
        self.assertEqual(self.settings_of_a().display_name, "")
        self.assertFalse(self.settings_of_a().logo)

    def test_a_file_that_is_not_an_image_is_refused(self) -> None:
        self.login_staff(self.admin_a)
        fake = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>",
                                  content_type="image/svg+xml")
        response = self.client.post(self.url, {"logo": fake})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.settings_of_a().logo)

    def test_only_admins_change_the_portal(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.url, {"public_form_enabled": "on"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.settings_of_a().public_form_enabled)
