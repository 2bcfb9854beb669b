"""The actions on a customer's files and folders (SPEC C9, P16)."""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.customers.models import Customer
from frontdesk.files.models import CustomerFile, Folder


def _check_folder(customer_id: int, folder: Folder | None) -> None:
    if folder is not None and folder.customer_id != customer_id:
        raise ValidationError(_("That folder belongs to another customer."))


def create_folder(*, customer: Customer, name: str) -> Folder:
    """A new folder of the customer's files; names are unique per customer."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the folder a name."))
    try:
        with transaction.atomic():
            return Folder.objects.create(organization_id=customer.organization_id,
                                         customer=customer, name=name)
    except IntegrityError:
        raise ValidationError(_("There is already a folder named “%(name)s”.")
                              % {"name": name}) from None


def remove_folder(*, folder: Folder) -> None:
    """Remove a folder; its files stay, at the top (the key is set to NULL)."""
    folder.delete()


def add_customer_files(*, customer: Customer, folder: Folder | None,
                       files: Sequence[UploadedFile], shared: bool, by: User
                       ) -> list[CustomerFile]:
    """Store uploaded files with the customer, in `folder`, shared with its people in the
    portal or not. The rows are written together; a file stored for a row that was not (the
    transaction failed) is removed."""
    _check_folder(customer.pk, folder)
    made: list[CustomerFile] = []
    try:
        with transaction.atomic():
            for upload in files:
                name = ((upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
                        or "file")
                item = CustomerFile(
                    organization_id=customer.organization_id, customer=customer,
                    folder=folder, token=secrets.token_hex(16), name=name,
                    size=upload.size or 0,
                    content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                    shared_with_customer=shared, uploaded_by=by)
                # Stored under a random name (customer_file_path), through the storage API.
                item.file.save(item.token, upload, save=False)
                made.append(item)
                item.save()
    except Exception:
        for item in made:
            if item.file.name:
                item.file.storage.delete(item.file.name)
        raise
    return made


def share_customer_file(*, item: CustomerFile, shared: bool) -> None:
    """Show the file to the customer's people in the portal, or stop showing it."""
    CustomerFile.objects.filter(pk=item.pk).update(shared_with_customer=shared)


def move_customer_file(*, item: CustomerFile, folder: Folder | None) -> None:
    _check_folder(item.customer_id, folder)
    CustomerFile.objects.filter(pk=item.pk).update(folder=folder)


def delete_customer_file(*, item: CustomerFile) -> None:
    """Delete the file: its row now, what is stored once that is committed."""
    storage: Storage = item.file.storage
    stored = item.file.name
    with transaction.atomic():
        CustomerFile.objects.filter(pk=item.pk).delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


def forget_stored_files_of(customer_id: int) -> None:
    """Inside the transaction that deletes a customer (customers.services.delete_customer,
    SPEC C10): what is stored of its files is deleted once that commits (their rows go with
    the customer). Nothing is deleted if the deletion is rolled back."""
    stored = [name for name in CustomerFile.objects.filter(customer_id=customer_id)
              .values_list("file", flat=True) if name]
    if stored:
        storage: Storage = CustomerFile._meta.get_field("file").storage

        def delete_stored() -> None:
            for name in stored:
                storage.delete(name)

        transaction.on_commit(delete_stored)
