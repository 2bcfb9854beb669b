"""Reads of probable duplicates (SPEC C11): the records that share a key with a customer,
and the organization's groups of records sharing one, page by page.

Both read the partial indexes (organization, key, id) of the key columns (customers.
duplicate_keys): grouping on a column in index order, never comparing records with each other,
so a page costs about the same at 100k customers as at 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Count, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from frontdesk.customers.models import DUPLICATE_KEYS, Customer
from frontdesk.lib.prepared import prepared

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


def _groups_of(kind: str) -> Callable[[int, str | None], list[Any]]:
    """The prepared query of a page of groups by the key `kind` (a column, so one query per
    kind): each group's key and size, in the key's order after `after`, one more than a page
    (is there a next page?). One pass over the key's partial index, grouped as it is read."""

    @prepared
    def groups(org_id: int, after: str | None) -> QuerySet[Any, Any]:
        rows = Customer.objects.for_org(org_id).filter(**{f"{kind}__isnull": False})
        if after is not None:
            rows = rows.filter(**{f"{kind}__gt": after})
        # COUNT(*), not COUNT(id): SQLite reads no column to count a row.
        return (rows.values(kind).annotate(size=Count("*")).filter(size__gt=1)
                .order_by(kind)[:GROUPS_PER_PAGE + 1])

    return groups


def _members_of(kind: str) -> Callable[..., list[Customer]]:
    """The prepared query of the oldest SHOWN_PER_GROUP records of each group, called with the
    organization and the groups' keys (one statement compiled per number of keys).

    Each group is a range of the key's index, (organization, key, id) up to the id of its
    SHOWN_PER_GROUP-th record (a scalar subquery that steps SHOWN_PER_GROUP entries of the
    index; none in a smaller group, so no bound): the database reads only the records shown,
    however large a group is, where a window function over the groups' records read all of
    them (1,600 for one large group, 2 ms)."""

    @prepared
    def members(org_id: int, *keys: str) -> QuerySet[Customer]:
        shown = Q()
        for key in keys:
            in_group = Customer.objects.filter(organization_id=org_id, **{kind: key})
            last_shown = Subquery(in_group.order_by("id").values("id")
                                  [SHOWN_PER_GROUP - 1:SHOWN_PER_GROUP])
            shown |= Q(organization_id=org_id, **{kind: key},
                       id__lte=Coalesce(last_shown, Value(_NO_BOUND, BigIntegerField())))
        return (Customer.objects.for_org(org_id).filter(shown).order_by(kind, "id")
                .only(*MEMBER_ROW))

    return members


# Above every id; a bigint (psycopg would send an int4 of an IntegerField's value).
_NO_BOUND = 2**63 - 1
_GROUPS = {kind: _groups_of(kind) for kind in DUPLICATE_KEYS}
_MEMBERS = {kind: _members_of(kind) for kind in DUPLICATE_KEYS}


def duplicate_page(org_id: int, kind: str, after: str | None) -> DuplicatePage:
    """A page of the groups of records sharing the key `kind`, in the key's order, after the
    key `after`. Two prepared statements: the groups, then the oldest records of each."""
    found = _GROUPS[kind](org_id, after)
    more = len(found) > GROUPS_PER_PAGE
    found = found[:GROUPS_PER_PAGE]
    if not found:
        return DuplicatePage(kind, (), None)
    keys = [getattr(row, kind) for row in found]
    members: dict[str, list[Customer]] = {key: [] for key in keys}
    for customer in _MEMBERS[kind](org_id, *keys):
        members[getattr(customer, kind)].append(customer)
    groups = tuple(DuplicateGroup(key, row.size, tuple(members[key]))
                   for key, row in zip(keys, found, strict=True))
    return DuplicatePage(kind, groups, keys[-1] if more else None)
