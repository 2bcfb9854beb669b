"""Reads of probable duplicates (SPEC C11): the records that share a key with a customer,
and the organization's groups of records sharing one, page by page.

Both read the partial indexes (organization, key, id) of the key columns (customers.
duplicate_keys): grouping on a column in index order, never comparing records with each other,
so a page costs about the same at 100k customers as at 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from frontdesk.customers.models import DUPLICATE_KEYS, Customer

SUGGESTED_ON_CUSTOMER = 5
GROUPS_PER_PAGE = 25
# A group shows its oldest records; a domain shared by hundreds of records is still a group.
SHOWN_PER_GROUP = 10

# The list's tabs, by key column.
KINDS = {
    "name_key": _("Same name"),
    "email_domain": _("Same e-mail domain"),
    "phone_key": _("Same phone number"),
}
MEMBER_ROW = ("pk", "short_name", "full_name", "email", "phone", *DUPLICATE_KEYS)


def suggestions_query(customer: Customer, limit: int = SUGGESTED_ON_CUSTOMER
                      ) -> QuerySet[Customer]:
    """The other records of the customer's organization that share a key with it, oldest
    first: each key is an equality its partial index answers."""
    matches = Q()
    for key in DUPLICATE_KEYS:
        value = getattr(customer, key)
        if value is not None:
            matches |= Q(**{key: value})
    if not matches:
        return Customer.objects.none()
    return (Customer.objects.for_org(customer.organization_id).filter(matches)
            .exclude(pk=customer.pk).order_by("id").only(*MEMBER_ROW)[:limit])


def probable_duplicates(customer: Customer, limit: int = SUGGESTED_ON_CUSTOMER
                        ) -> list[tuple[Customer, list[str]]]:
    """The records that are probably the same company as `customer`, each with the keys it
    shares with it (names of DUPLICATE_KEYS). One statement (none without keys)."""
    found = suggestions_query(customer, limit)
    return [(other, [key for key in DUPLICATE_KEYS
                     if getattr(other, key) is not None
                     and getattr(other, key) == getattr(customer, key)])
            for other in found]


@dataclass(frozen=True)
class DuplicateGroup:
    key: str
    size: int
    members: tuple[Customer, ...]


@dataclass(frozen=True)
class DuplicatePage:
    kind: str
    groups: tuple[DuplicateGroup, ...]
    next_after: str | None  # give as ?after= for the next page


def _groups(org_id: int, kind: str, after: str | None) -> QuerySet[Any, dict[str, Any]]:
    rows = Customer.objects.for_org(org_id).filter(**{f"{kind}__isnull": False})
    if after is not None:
        rows = rows.filter(**{f"{kind}__gt": after})
    return (rows.values(kind).annotate(size=Count("pk")).filter(size__gt=1)
            .order_by(kind)[:GROUPS_PER_PAGE + 1])


def duplicate_page(org_id: int, kind: str, after: str | None) -> DuplicatePage:
    """A page of the groups of records sharing the key `kind`, in the key's order, after the
    key `after`. Two statements: the groups (one pass over the key's index, grouped as it is
    read), then the oldest records of each."""
    assert kind in DUPLICATE_KEYS
    found = list(_groups(org_id, kind, after))
    more = len(found) > GROUPS_PER_PAGE
    found = found[:GROUPS_PER_PAGE]
    if not found:
        return DuplicatePage(kind, (), None)
    keys = [row[kind] for row in found]
    numbered = (Customer.objects.for_org(org_id).filter(**{f"{kind}__in": keys})
                .annotate(place=Window(RowNumber(), partition_by=[F(kind)],
                                       order_by=F("id").asc()))
                .only(*MEMBER_ROW))
    members: dict[str, list[Customer]] = {key: [] for key in keys}
    for customer in numbered.filter(place__lte=SHOWN_PER_GROUP).order_by(kind, "id"):
        members[getattr(customer, kind)].append(customer)
    groups = tuple(DuplicateGroup(row[kind], row["size"], tuple(members[row[kind]]))
                   for row in found)
    return DuplicatePage(kind, groups, keys[-1] if more else None)
