"""The customer list to an Excel file and back (SPEC C12), in the background.

- An export writes every customer of the organization, with its custom fields, to a file the
  worker makes a sheet at a time (openpyxl's write-only mode: the rows are not all kept in
  memory), and tells its page how far it got.
- An import checks the whole file first, every row as the customer form would check it, and
  shows the result: what it would create, and each row's errors. Only a file without errors
  can be imported; then every row is created in one transaction, or none (checked again, as
  other customers may have been added since). Headers are matched in any of Frontdesk's
  languages, so a file exported in Dutch imports in Polish.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_tasks import task
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.customers import announce
from frontdesk.customers.checks import model_errors
from frontdesk.customers.models import (
    Activity,
    Customer,
    CustomField,
    CustomFieldValue,
    Transfer,
)
from frontdesk.lib.background import enqueue_when_committed
from frontdesk.organizations.models import Organization

log = logging.getLogger(__name__)

# The columns of the customer record, in order (then the organization's custom fields).
TEXT_COLUMNS = {
    "short_name": gettext_lazy("Short name"),
    "full_name": pgettext_lazy("company", "Full name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
}
# The end of the support contract (SPEC P18): a date cell, or a date written as 2027-03-31.
COLUMNS = {**TEXT_COLUMNS, "support_until": gettext_lazy("Support contract until")}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000
# Errors kept for the page: enough to mend a file, not a copy of it.
MAX_ERRORS_KEPT = 500
PROGRESS_EVERY = 500
EXPORT_CHUNK = 2_000


def _in_language_of(transfer: Transfer) -> translation.override:
    user = transfer.requested_by
    return translation.override((user.language if user else "") or
                                transfer.organization.language)


# The actions


def start_export(*, organization: Organization, by: User) -> Transfer:
    """Have the worker write the organization's customers to an Excel file."""
    with transaction.atomic():
        transfer = Transfer.objects.create(organization=organization, kind=Transfer.Kind.EXPORT,
                                           requested_by=by)
        enqueue_when_committed(export_customers, transfer.pk)
    return transfer


def start_import(*, organization: Organization, upload: UploadedFile, by: User) -> Transfer:
    """Keep the uploaded file and have the worker check it. Refuses at once what cannot be
    an Excel workbook."""
    if upload.size is None or upload.size > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file must be smaller than %(mb)s MB.")
                               % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}})
    if not zipfile.is_zipfile(upload):
        raise ValidationError({"file": _("This is not an Excel workbook (.xlsx). Save the "
                                         "sheet as an Excel workbook and try again.")})
    upload.seek(0)
    with transaction.atomic():
        transfer = Transfer(organization=organization, kind=Transfer.Kind.IMPORT,
                            requested_by=by, file_name=(upload.name or "")[:200])
        transfer.file.save(f"{organization.pk}-import.xlsx", upload, save=False)
        transfer.save()
        enqueue_when_committed(check_import, transfer.pk)
    return transfer


def confirm_import(*, transfer: Transfer) -> Transfer:
    """Import a checked file without errors: the worker creates its customers."""
    if transfer.kind != Transfer.Kind.IMPORT:
        raise ValidationError(_("This cannot be done in its current state."))
    with transaction.atomic():
        done = Transfer.objects.filter(pk=transfer.pk, state=Transfer.State.CHECKED,
                                       row_errors=[], customers_count__gt=0
                                       ).update(state=Transfer.State.QUEUED, rows_done=0)
        if not done:
            raise ValidationError(_("Only a checked file without errors can be imported."))
        enqueue_when_committed(import_customers, transfer.pk)
    transfer.state = Transfer.State.QUEUED
    return transfer


# The worker's part


def _progress(transfer: Transfer, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(transfer, name, value)
    Transfer.objects.filter(pk=transfer.pk).update(**changes)


def _fail(transfer: Transfer, message: str) -> None:
    _progress(transfer, state=Transfer.State.FAILED, failure=message,
              finished_at=timezone.now())


def _claim(transfer_id: int) -> Transfer | None:
    """The transfer, marked as worked on, if it waits for the worker (a task run twice finds
    it taken)."""
    if not Transfer.objects.filter(pk=transfer_id, state=Transfer.State.QUEUED).update(
            state=Transfer.State.WORKING):
        return None
    return Transfer.objects.select_related("organization", "requested_by").get(pk=transfer_id)


@task()
def export_customers(transfer_id: int) -> str:
    transfer = _claim(transfer_id)
    if transfer is None:
        return "taken"
    with _in_language_of(transfer):
        try:
            _write_export(transfer)
        except Exception:
            log.exception("export %s failed", transfer_id)
            _fail(transfer, _("The export failed. Try again; if it fails again, tell us."))
            return "failed"
    return "done"


def _write_export(transfer: Transfer) -> None:
    organization = transfer.organization
    fields = list(CustomField.objects.for_org(organization))
    customers = Customer.objects.for_org(organization)
    _progress(transfer, rows_total=customers.count())
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Customers"))[:31])
    sheet.append([str(label) for label in COLUMNS.values()] + [field.name for field in fields])
    done = 0
    rows = customers.order_by("pk").values_list("pk", *COLUMNS)
    for chunk in _chunks(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        values: dict[tuple[int, int], str] = {
            (customer_id, field_id): value for customer_id, field_id, value in
            CustomFieldValue.objects.filter(customer_id__in=[row[0] for row in chunk])
            .values_list("customer_id", "field_id", "value")}
        for pk, *record in chunk:
            sheet.append([*record, *(values.get((pk, field.pk), "") for field in fields)])
        done += len(chunk)
        _progress(transfer, rows_done=done)
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    transfer.file_name = f"{organization.slug}-customers-{stamp}.xlsx"
    transfer.file.save(f"{organization.pk}-export.xlsx", ContentFile(buffer.getvalue()),
                       save=False)
    _progress(transfer, file=transfer.file.name, file_name=transfer.file_name,
              state=Transfer.State.DONE, finished_at=timezone.now())


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Checked:
    customers: list[tuple[Customer, dict[CustomField, str]]]
    errors: list[tuple[int, list[str]]]
    rows: int


class _Unreadable(Exception):
    """The file as a whole cannot be imported; the message says why."""


def _header_names(organization: Organization) -> dict[str, str | CustomField]:
    """Each column a header may name, by its folded header: the record's columns in every
    language, and the organization's custom fields."""
    names: dict[str, str | CustomField] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column, label in COLUMNS.items():
                names[str(label).strip().casefold()] = column
    for field in CustomField.objects.for_org(organization):
        names.setdefault(field.name.strip().casefold(), field)
    return names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    return str(value).strip()


def _date_cell(value: Any) -> dt.date | None:
    """A date cell as a date (Excel's dates come as datetimes); a text as an ISO date; an
    empty cell as none. ValueError for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell(value)
    return dt.date.fromisoformat(text) if text else None


def _check_file(transfer: Transfer, on_row: Any = None) -> _Checked:
    """Every row of the import's file, checked as the customer form checks a customer."""
    organization = transfer.organization
    try:
        with transfer.file.open("rb") as handle:
            book = load_workbook(handle, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = list(sheet.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2))
            book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _Unreadable(_("This file could not be read as an Excel workbook.")) from error
    if not rows:
        raise _Unreadable(_("The first sheet of the file is empty."))
    if len(rows) > MAX_IMPORT_ROWS + 1:
        raise _Unreadable(_("A file may hold at most %(num)s customers.")
                          % {"num": f"{MAX_IMPORT_ROWS:,}"})
    known = _header_names(organization)
    columns = [known.get(_cell(header).casefold()) for header in rows[0]]
    if "short_name" not in columns:
        raise _Unreadable(_("The first row must name the columns, with one called “%(name)s”.")
                          % {"name": COLUMNS["short_name"]})
    checked = _Checked(customers=[], errors=[], rows=0)
    emails: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: value for column, value in zip(columns, row, strict=False)
                 if column is not None}
        if not any(_cell(value) for value in cells.values()):
            continue  # a blank line
        checked.rows += 1
        customer = Customer(organization=organization,
                            **{name: _cell(cells.get(name)) for name in TEXT_COLUMNS})
        customer.email = normalize_email_address(customer.email)
        messages = [f"{_label(key)}: {message}" for key, found in
                    model_errors(customer, exclude=["organization", "support_until"]).items()
                    for message in found]
        try:
            customer.support_until = _date_cell(cells.get("support_until"))
        except ValueError:
            messages.append(_("%(column)s: enter a date, such as %(example)s.")
                            % {"column": _label("support_until"), "example": "2027-03-31"})
        if customer.email:
            if customer.email in emails:
                messages.append(_("E-mail: the same as row %(row)s.")
                                % {"row": emails[customer.email]})
            else:
                emails[customer.email] = number
        custom = {column: _cell(value) for column, value in cells.items()
                  if isinstance(column, CustomField) and _cell(value)}
        for field, value in custom.items():
            if len(value) > 500:
                messages.append(_("%(field)s: at most 500 characters.") % {"field": field.name})
        if messages:
            checked.errors.append((number, messages))
        else:
            checked.customers.append((customer, custom))
        if on_row is not None and checked.rows % PROGRESS_EVERY == 0:
            on_row(checked.rows)
    taken = set(Customer.objects.for_org(organization).filter(email__in=list(emails))
                .values_list("email", flat=True))
    for email in sorted(taken, key=lambda address: emails[address]):
        checked.errors.append((emails[email], [_("E-mail: another customer has it already.")]))
        checked.customers = [(c, v) for c, v in checked.customers if c.email != email]
    checked.errors.sort()
    return checked


def _label(key: str) -> str:
    return str(COLUMNS[key]) if key in COLUMNS else key


@task()
def check_import(transfer_id: int) -> str:
    transfer = _claim(transfer_id)
    if transfer is None:
        return "taken"
    with _in_language_of(transfer):
        try:
            checked = _check_file(transfer, lambda rows: _progress(transfer, rows_done=rows))
        except _Unreadable as error:
            _fail(transfer, str(error))
            return "unreadable"
        _progress(transfer, state=Transfer.State.CHECKED, rows_total=checked.rows,
                  rows_done=checked.rows, customers_count=len(checked.customers),
                  row_errors=[[row, messages] for row, messages in
                              checked.errors[:MAX_ERRORS_KEPT]],
                  finished_at=timezone.now())
    return "checked"


@task()
def import_customers(transfer_id: int) -> str:
    """Create the customers of a checked file, all in one transaction, after checking it
    again: nothing half-imported."""
    transfer = _claim(transfer_id)
    if transfer is None:
        return "taken"
    with _in_language_of(transfer):
        try:
            checked = _check_file(transfer)
        except _Unreadable as error:
            _fail(transfer, str(error))
            return "unreadable"
        if checked.errors:
            _progress(transfer, state=Transfer.State.CHECKED,
                      customers_count=len(checked.customers),
                      row_errors=[[row, messages] for row, messages in
                                  checked.errors[:MAX_ERRORS_KEPT]])
            return "changed"
        with transaction.atomic():
            made = Customer.objects.bulk_create([customer for customer, _values in
                                                 checked.customers], batch_size=500)
            CustomFieldValue.objects.bulk_create([
                CustomFieldValue(organization=transfer.organization, customer=customer,
                                 field=field, value=value)
                for customer, (_same, values) in zip(made, checked.customers, strict=True)
                for field, value in values.items()], batch_size=500)
            Activity.objects.bulk_create([
                Activity(organization=transfer.organization, customer=customer,
                         kind=Activity.Kind.IMPORTED, actor=transfer.requested_by)
                for customer in made], batch_size=500)
            _schedule_reminders(transfer.organization_id, made)
            announce.customers_created(transfer.organization_id, made)
            _progress(transfer, state=Transfer.State.DONE, rows_done=len(made),
                      customers_count=len(made), finished_at=timezone.now())
    return "imported"


def _schedule_reminders(organization_id: int, made: list[Customer]) -> None:
    """The support-period reminders of the imported customers with a date (SPEC P18), as the
    customer form schedules one: a worker task each, once the import commits."""
    from frontdesk.portal.reminders import reminder_days, schedule_customer

    dated = [customer for customer in made if customer.support_until is not None]
    if dated:
        days = reminder_days(organization_id)
        for customer in dated:
            schedule_customer(customer=customer, days=days)
