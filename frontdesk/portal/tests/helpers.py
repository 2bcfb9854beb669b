from __future__ import annotations

import re
from email.message import EmailMessage

from django.core.files.uploadedfile import SimpleUploadedFile

from frontdesk.core.testing import FrontdeskTestCase, text_of
from frontdesk.portal.models import PortalSettings
from frontdesk.support.models import Task


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Rita", "last_name": "Requester", "email": "rita@newco.test",
        "title": "Printer on fire", "description": "It smokes since this morning.",
        "website": "",
    }
    data.update(overrides)
    return data


def upload(name: str = "log.txt", content: bytes = b"some log lines\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def link_in(message: EmailMessage) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/p/[\w-]+/link/[\w-]+/)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


class PortalTestCase(FrontdeskTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        PortalSettings.objects.filter(organization=cls.org_a).update(
            public_form_enabled=True, form_title="Acme help desk",
            form_description="Tell us what happened.")

    def submit(self, **overrides: object) -> Task:
        """Send the public form as a visitor and return the request it created."""
        with self.sending():
            response = self.client.post("/p/acme-support/support/", form_data(**overrides))
        self.assertRedirects(response, "/p/acme-support/support/thanks/")
        return Task.objects.for_org(self.org_a).latest("id")

    def open_link_of(self, message: EmailMessage) -> None:
        response = self.client.get(link_in(message))
        self.assertRedirects(response, "/p/acme-support/requests/")
