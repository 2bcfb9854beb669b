"""A customer's files (SPEC C9) and those shared with it in the portal (SPEC P16): stored for
real, in folders, shown to staff of the organization only and to the customer's people only when
shared."""

from __future__ import annotations

import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.customers.models import Customer
from frontdesk.customers.services import delete_customer
from frontdesk.files.models import CustomerFile, Folder
from frontdesk.files.services import add_customer_files, create_folder
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.models import PortalSettings


def upload(name: str = "contract.pdf", content: bytes = b"%PDF-1.4 contract") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CustomerFilesTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        setting = override_settings(MEDIA_ROOT=media.name)
        setting.enable()
        self.addCleanup(setting.disable)

    def page(self, customer: Customer | None = None, org: str = "acme-support") -> str:
        return f"/app/{org}/files/customers/{(customer or self.customer_a1).pk}/"

    def add(self, name: str = "contract.pdf", *, shared: bool = False,
            customer: Customer | None = None, folder: Folder | None = None) -> CustomerFile:
        return add_customer_files(customer=customer or self.customer_a1, folder=folder,
                                  files=[upload(name)], shared=shared, by=self.admin_a)[0]


class StaffFilesTests(CustomerFilesTestCase):
    def test_staff_upload_files_into_a_folder_and_download_them(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(self.page() + "folders/", {"name": "Contracts"})
        folder = Folder.objects.get(customer=self.customer_a1)
        response = self.client.post(self.page() + "upload/", {
            "attachments": [upload("a.pdf", b"first"), upload("b.pdf", b"second")],
            "folder": folder.pk, "shared": "on"})
        self.assertRedirects(response, self.page())
        stored = CustomerFile.objects.filter(customer=self.customer_a1).order_by("name")
        self.assertEqual([(f.name, f.folder_id, f.shared_with_customer) for f in stored],
                         [("a.pdf", folder.pk, True), ("b.pdf", folder.pk, True)])
        listing = self.client.get(self.page() + f"?folder={folder.pk}")
        self.assertContains(listing, "a.pdf")
        download = self.client.get(self.page() + f"{stored[0].pk}/")
        content = download.streaming_content  # type: ignore[attr-defined]
        self.assertEqual(b"".join(content), b"first")
        self.assertEqual(download["Content-Security-Policy"], "sandbox; default-src 'none'")

    def test_an_empty_upload_or_a_duplicate_folder_is_refused_and_nothing_changes(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(self.page() + "upload/",
                                    {"attachments": [upload("empty.txt", b"")]})
        self.assertContains(response, "is empty", status_code=400)
        create_folder(customer=self.customer_a1, name="Contracts")
        response = self.client.post(self.page() + "folders/", {"name": "Contracts"})
        self.assertContains(response, "There is already a folder", status_code=400)
        self.assertEqual(CustomerFile.objects.count(), 0)
        self.assertEqual(Folder.objects.count(), 1)

    def test_sharing_moving_and_deleting(self) -> None:
        item = self.add()
        folder = create_folder(customer=self.customer_a1, name="Offers")
        self.login_staff(self.agent_a)
        self.client.post(self.page() + f"{item.pk}/change/", {"do": "share"})
        self.client.post(self.page() + f"{item.pk}/change/", {"do": "move",
                                                              "folder": folder.pk})
        item.refresh_from_db()
        self.assertEqual((item.shared_with_customer, item.folder_id), (True, folder.pk))
        # Deleting needs Edit: the agent (Contribute) may not.
        self.assertIn(self.client.post(self.page() + f"{item.pk}/delete/").status_code,
                      (403, 404))
        self.login_staff(self.admin_a)
        stored = str(item.file.name)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.page() + f"{item.pk}/delete/")
        self.assertFalse(CustomerFile.objects.filter(pk=item.pk).exists())
        self.assertFalse(item.file.storage.exists(stored))

    def test_deleting_the_customer_deletes_what_is_stored_of_its_files(self) -> None:
        gone = Customer.objects.create(organization=self.org_a, short_name="Hooli")
        theirs, kept = self.add("theirs.pdf", customer=gone), self.add("kept.pdf")
        stored = str(theirs.file.name)
        self.assertTrue(theirs.file.storage.exists(stored))
        with self.captureOnCommitCallbacks(execute=True):
            delete_customer(customer=gone)
        self.assertFalse(theirs.file.storage.exists(stored))
        self.assertTrue(kept.file.storage.exists(str(kept.file.name)))  # another customer's

    def test_a_folder_of_another_customer_cannot_be_used(self) -> None:
        item = self.add()
        theirs = create_folder(customer=self.customer_a2, name="Globex only")
        self.login_staff(self.agent_a)
        response = self.client.post(self.page() + f"{item.pk}/change/",
                                    {"do": "move", "folder": theirs.pk})
        self.assertEqual(response.status_code, 404)
        response = self.client.post(self.page() + "upload/",
                                    {"attachments": [upload()], "folder": theirs.pk})
        self.assertEqual(response.status_code, 400)
        item.refresh_from_db()
        self.assertIsNone(item.folder_id)

    def test_outsiders_get_404(self) -> None:
        item = self.add()
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(self.page()).status_code, 404)
        self.assertEqual(self.client.get(self.page(org="other-org")).status_code, 404)
        self.assertEqual(self.client.get(self.page(org="other-org") + f"{item.pk}/").status_code,
                         404)
        # Another customer's address does not reach this customer's file.
        self.login_staff(self.admin_a)
        self.assertEqual(self.client.get(self.page(self.customer_a2) + f"{item.pk}/").status_code,
                         404)

    def test_the_page_costs_the_same_with_many_files(self) -> None:
        self.login_staff(self.agent_a)
        self.add()
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.page())
        folder = create_folder(customer=self.customer_a1, name="Many")
        for index in range(30):
            self.add(f"file-{index}.txt", folder=folder)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.page())
        self.assertContains(response, "file-29.txt")
        self.assertEqual(len(many), len(few))


class PortalDocumentsTests(CustomerFilesTestCase):
    def test_the_customers_people_see_and_download_only_its_shared_files(self) -> None:
        shared = self.add("price-list.pdf", shared=True)
        self.add("internal-notes.pdf")
        other = self.add("globex-contract.pdf", shared=True, customer=self.customer_a2)
        self.login_portal(self.portal_a1)
        listing = self.client.get("/p/acme-support/documents/")
        self.assertContains(listing, "price-list.pdf")
        self.assertNotContains(listing, "internal-notes.pdf")
        self.assertNotContains(listing, "globex-contract.pdf")
        self.assertContains(self.client.get("/p/acme-support/"), "price-list.pdf")
        download = self.client.get(f"/p/acme-support/documents/{shared.pk}/")
        content = download.streaming_content  # type: ignore[attr-defined]
        self.assertEqual(b"".join(content), b"%PDF-1.4 contract")
        self.assertEqual(self.client.get(f"/p/acme-support/documents/{other.pk}/").status_code,
                         404)

    def test_unshared_files_and_other_organizations_stay_out_of_reach(self) -> None:
        item = self.add("draft.pdf")
        self.login_portal(self.portal_a1)
        self.assertEqual(self.client.get(f"/p/acme-support/documents/{item.pk}/").status_code,
                         404)
        self.assertEqual(self.client.get(f"/p/other-org/documents/{item.pk}/").status_code, 302)

    def test_a_link_session_and_a_portal_without_the_tab_see_no_documents(self) -> None:
        item = self.add("price-list.pdf", shared=True)
        token = mint_access_link(self.portal_a1)
        self.client.get(f"/p/acme-support/link/{token}/")
        self.assertEqual(self.client.get("/p/acme-support/documents/").status_code, 404)
        self.assertEqual(self.client.get(f"/p/acme-support/documents/{item.pk}/").status_code,
                         404)
        self.login_portal(self.portal_a1)
        PortalSettings.objects.filter(organization=self.org_a).update(show_documents=False)
        self.assertEqual(self.client.get("/p/acme-support/documents/").status_code, 404)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"), "Documents")
