"""Exporting customers to Excel and importing them (SPEC C12): real files, written and read by
the worker, the whole path a user takes; nothing half-imported; Manage for the export; another
organization's customers never in a file, its transfers never reachable."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from frontdesk.core.testing import FrontdeskTestCase, make_staff, run_worker
from frontdesk.customers.custom_fields import add_custom_field
from frontdesk.customers.models import Customer, CustomFieldValue, Transfer
from frontdesk.customers.services import create_customer
from frontdesk.organizations.permissions import Level

BASE = "/app/acme-support/customers"


def workbook(*rows: list[Any]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue())


class ExportTests(FrontdeskTestCase):
    def test_a_manager_exports_every_customer_with_custom_fields(self) -> None:
        field = add_custom_field(organization=self.org_a, name="VAT no.")
        customer = create_customer(organization=self.org_a, short_name="Hooli",
                                   email="it@hooli.test", phone="+1 555 0100",
                                   custom_values={field.pk: "US-123"},
                                   support_until=dt.date(2027, 3, 31))
        Customer.objects.create(organization=self.org_b, short_name="Not ours")
        self.login_staff(self.admin_a)
        response = self.client.post(f"{BASE}/export/")
        transfer = Transfer.objects.get()
        self.assertRedirects(response, f"{BASE}/transfers/{transfer.pk}/")
        self.assertContains(self.client.get(response["Location"]), 'http-equiv="refresh"')
        run_worker()
        page = self.client.get(f"{BASE}/transfers/{transfer.pk}/")
        self.assertContains(page, "3 customers written.")
        self.assertNotContains(page, 'http-equiv="refresh"')
        download = self.client.get(f"{BASE}/transfers/{transfer.pk}/download/")
        self.assertEqual(download.status_code, 200)
        book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Short name", "Full name", "Phone", "E-mail",
                                   "Support contract until", "VAT no."))
        self.assertIn(("Hooli", None, "+1 555 0100", "it@hooli.test",
                       dt.datetime(2027, 3, 31), "US-123"), rows)  # a date cell
        self.assertEqual(len(rows), 4)  # Initech, Globex, Hooli: never another organization's
        self.assertEqual(customer.pk, Customer.objects.get(short_name="Hooli").pk)

    def test_only_managers_export_and_download(self) -> None:
        self.login_staff(self.agent_a)  # Contribute in customers
        self.assertEqual(self.client.post(f"{BASE}/export/").status_code, 403)
        self.assertNotContains(self.client.get(f"{BASE}/"), f"{BASE}/export/")
        manager = make_staff("manager@acme.test", "Mia Manager", self.org_a,
                             customers=Level.MANAGE)
        self.login_staff(manager)
        self.client.post(f"{BASE}/export/")
        run_worker()
        transfer = Transfer.objects.get()
        self.login_staff(self.agent_a)
        self.assertEqual(self.client.get(f"{BASE}/transfers/{transfer.pk}/download/")
                         .status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(f"/app/other-org/customers/transfers/{transfer.pk}/"
                                         "download/").status_code, 404)


class ImportTests(FrontdeskTestCase):
    def test_a_checked_file_is_imported_whole(self) -> None:
        field = add_custom_field(organization=self.org_a, name="VAT no.")
        self.login_staff(self.agent_a)
        response = self.client.post(f"{BASE}/import/", {"file": workbook(
            ["Short name", "E-mail", "Phone", "VAT no.", "Something else"],
            ["Hooli", "IT@Hooli.test", 5550100, "US-1", "ignored"],
            [None, None, None, None, None],
            ["Pied Piper", "", "", "", ""])})
        transfer = Transfer.objects.get()
        self.assertRedirects(response, f"{BASE}/transfers/{transfer.pk}/")
        run_worker()
        page = self.client.get(f"{BASE}/transfers/{transfer.pk}/")
        self.assertContains(page, "2 customers can be imported.")
        self.assertFalse(Customer.objects.filter(short_name="Hooli").exists())
        self.client.post(f"{BASE}/transfers/{transfer.pk}/import/")
        run_worker()
        self.assertContains(self.client.get(f"{BASE}/transfers/{transfer.pk}/"),
                            "2 customers imported.")
        hooli = Customer.objects.get(organization=self.org_a, short_name="Hooli")
        self.assertEqual((hooli.email, hooli.phone), ("it@hooli.test", "5550100"))
        self.assertEqual(CustomFieldValue.objects.get(customer=hooli, field=field).value, "US-1")
        # With the keys of probable duplicates (SPEC C11).
        self.assertEqual((hooli.name_key, hooli.email_domain, hooli.phone_key),
                         ("hooli", "hooli.test", "5550100"))
        # The search finds what was imported.
        self.assertContains(self.client.get(f"{BASE}/", {"q": "pied"}), "Pied Piper")

    def test_support_contract_dates_are_imported_and_their_reminders_scheduled(self) -> None:
        self.login_staff(self.agent_a)
        soon = timezone.localdate() + dt.timedelta(days=400)
        self.client.post(f"{BASE}/import/", {"file": workbook(
            ["Short name", "Support contract until"],
            ["Hooli", dt.datetime.combine(soon, dt.time())],  # a date cell
            ["Pied Piper", soon.isoformat()],  # a date written as text
            ["Raviga", None])})
        transfer = Transfer.objects.get()
        run_worker()
        self.client.post(f"{BASE}/transfers/{transfer.pk}/import/")
        run_worker()
        self.assertEqual(dict(Customer.objects.filter(short_name__in=[
            "Hooli", "Pied Piper", "Raviga"]).values_list("short_name", "support_until")),
            {"Hooli": soon, "Pied Piper": soon, "Raviga": None})
        # Each dated customer's reminder waits for its day, as when staff set the date.
        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path="frontdesk.portal.reminders.send_support_reminder")
        self.assertEqual(sorted(result.args_kwargs["args"][0] for result in waiting),
                         sorted(Customer.objects.filter(short_name__in=["Hooli", "Pied Piper"])
                                .values_list("pk", flat=True)))

    def test_a_date_that_is_no_date_is_a_rows_error(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/import/", {"file": workbook(
            ["Short name", "Support contract until"], ["Hooli", "next spring"])})
        transfer = Transfer.objects.get()
        run_worker()
        page = self.client.get(f"{BASE}/transfers/{transfer.pk}/")
        self.assertContains(page, "Support contract until: enter a date, such as 2027-03-31.")
        self.assertContains(page, "1 row has errors")

    def test_a_file_with_errors_shows_them_and_imports_nothing(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/import/", {"file": workbook(
            ["Short name", "E-mail"],
            ["Hooli", "not an address"],
            ["", "nobody@x.test"],
            ["Dupe", "office@initech.test"],
            ["Twin", "twin@x.test"],
            ["Twin again", "twin@x.test"],
            ["Fine", "fine@x.test"])})
        transfer = Transfer.objects.get()
        run_worker()
        page = self.client.get(f"{BASE}/transfers/{transfer.pk}/")
        self.assertContains(page, "4 rows have errors")
        self.assertContains(page, "E-mail: Enter a valid email address.")
        self.assertContains(page, "Short name: This field cannot be blank.")
        self.assertContains(page, "E-mail: another customer has it already.")
        self.assertContains(page, "E-mail: the same as row 5.")
        self.assertNotContains(page, "/import/\" method")
        response = self.client.post(f"{BASE}/transfers/{transfer.pk}/import/", follow=True)
        self.assertContains(response, "Only a checked file without errors can be imported.")
        run_worker()
        self.assertFalse(Customer.objects.filter(short_name__in=["Fine", "Twin"]).exists())

    def test_a_file_that_is_no_workbook_is_refused_at_once(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(f"{BASE}/import/", {
            "file": SimpleUploadedFile("customers.xlsx", b"name,email\nHooli,a@b.c\n")})
        self.assertContains(response, "This is not an Excel workbook", status_code=400)
        self.assertFalse(Transfer.objects.exists())

    def test_headers_are_read_in_any_language(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/import/", {"file": workbook(
            ["Kısa ad", "E-posta"], ["Yıldız Ltd.", "info@yildiz.test"])})
        run_worker()
        transfer = Transfer.objects.get()
        self.assertEqual((transfer.state, transfer.customers_count), ("checked", 1))

    def test_a_sheet_without_the_name_column_fails_with_a_reason(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/import/", {"file": workbook(["Company", "Mail"],
                                                              ["Hooli", "a@b.test"])})
        run_worker()
        transfer = Transfer.objects.get()
        self.assertEqual(transfer.state, "failed")
        self.assertContains(self.client.get(f"{BASE}/transfers/{transfer.pk}/"),
                            "with one called “Short name”")

    def test_a_customer_added_meanwhile_stops_the_whole_import(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/import/", {"file": workbook(
            ["Short name", "E-mail"], ["Hooli", "it@hooli.test"], ["Fine", "fine@x.test"])})
        run_worker()
        transfer = Transfer.objects.get()
        create_customer(organization=self.org_a, short_name="Hooli Inc", email="it@hooli.test")
        self.client.post(f"{BASE}/transfers/{transfer.pk}/import/")
        run_worker()
        transfer.refresh_from_db()
        self.assertEqual(transfer.state, "checked")
        self.assertTrue(transfer.row_errors)
        self.assertFalse(Customer.objects.filter(short_name="Fine").exists())

    def test_viewers_and_other_organizations_cannot_import(self) -> None:
        self.login_staff(self.viewer_a)
        response = self.client.post(f"{BASE}/import/", {"file": workbook(["Short name"],
                                                                        ["Hooli"])})
        self.assertEqual(response.status_code, 403)
        self.login_staff(self.agent_a)
        self.client.post(f"{BASE}/import/", {"file": workbook(["Short name"], ["Hooli"])})
        run_worker()
        transfer = Transfer.objects.get()
        self.login_staff(self.staff_b)
        page = f"/app/other-org/customers/transfers/{transfer.pk}/"
        self.assertEqual(self.client.get(page).status_code, 404)
        self.assertEqual(self.client.post(f"{page}import/").status_code, 404)
        run_worker()
        self.assertFalse(Customer.objects.filter(short_name="Hooli").exists())
