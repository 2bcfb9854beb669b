"""The reads of a customer's files (SPEC C9, P16)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from frontdesk.files.models import CustomerFile, Folder
from frontdesk.lib.paging import Page, keyset_query, page_of
from frontdesk.lib.prepared import prepared

FILE_ROW = ("pk", "name", "size", "shared_with_customer", "created_at", "folder_id")


def folders_of(customer_id: int) -> QuerySet[Folder]:
    return Folder.objects.filter(customer_id=customer_id).order_by("name", "pk")


def file_page(customer_id: int, folder_id: int | None, before: int | None,
              after: int | None) -> Page[Any]:
    """A page of the customer's files (of one folder), newest first, with who uploaded each."""
    files = CustomerFile.objects.filter(customer_id=customer_id)
    if folder_id is not None:
        files = files.filter(folder_id=folder_id)
    rows = files.values_list(*FILE_ROW, "uploaded_by__full_name", "uploaded_by__email",
                             named=True)
    return page_of(list(keyset_query(rows, before, after)), before, after)


@prepared
def _shared_rows(org_id: int, customer_id: int, before: int | None, after: int | None
                 ) -> QuerySet[Any]:
    files = CustomerFile.objects.for_org(org_id).filter(customer_id=customer_id).shared()
    return keyset_query(files.values_list("pk", "name", "size", "created_at",
                                          "folder__name", named=True), before, after)


def shared_file_page(org_id: int, customer_id: int, before: int | None, after: int | None
                     ) -> Page[Any]:
    """A page of the files shared with the customer (SPEC P16), newest first."""
    return page_of(_shared_rows(org_id, customer_id, before, after), before, after)


RECENT_SHARED = 5


def recent_shared_of(org_id: int, customer_id: int) -> QuerySet[CustomerFile]:
    """The files newest shared with the customer, as a query to read along with others (the
    portal's home page)."""
    return (CustomerFile.objects.for_org(org_id).filter(customer_id=customer_id).shared()
            .order_by("-pk")[:RECENT_SHARED])
