"""Reads of probable duplicates (SPEC C11): the records that share a key with a customer,
and the organization's groups of records sharing one, page by page.

Both read the partial indexes (organization, key, id) of the key columns (customers.
duplicate_keys), never comparing records with each other; the list finds the keys shared by two
records or more from their counts (customers.duplicate_counts). A page costs about the same at
100k customers as at 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from frontdesk.customers.models import DUPLICATE_KEYS, Customer, DuplicateCount
from frontdesk.lib.json_rows import JSONRows, rows_of
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


class Member(NamedTuple):
    """A record as the list of groups shows it."""

    pk: int
    short_name: str
    full_name: str
    email: str
    phone: str


MEMBER_COLUMNS = tuple(Member._fields)


class DuplicateGroup(NamedTuple):
    """A key shared by `size` records, and the oldest of them (plain values: the page
    remembers what it wrote of them, lib/jinja_memo.py)."""

    key: str
    size: int
    members: tuple[Member, ...]


@dataclass(frozen=True)
class DuplicatePage:
    kind: str
    groups: tuple[DuplicateGroup, ...]
    next_after: str | None  # give as ?after= for the next page



def _groups_of(kind: str) -> Callable[[int, str | None], list[Any]]:
    """The prepared query of a page of groups by the key `kind` (a column, so one query per
    kind): each group's key, size and oldest SHOWN_PER_GROUP records (JSON), in the key's
    order after `after`, one more than a page (is there a next page?).

    The keys shared by two records or more are read from their counts' index, a page of them
    (customers.duplicate_counts); the records of each group returned are a range of the key's
    index on the customers, SHOWN_PER_GROUP entries long however large the group. One
    statement: on PostgreSQL a second (the members after the groups) cost a round trip."""

    @prepared
    def groups(org_id: int, after: str | None) -> QuerySet[Any, Any]:
        shared = DuplicateCount.objects.filter(organization_id=org_id, kind=kind, is_shared=1)
        if after is not None:
            shared = shared.filter(shared_key__gt=after)
        oldest = (Customer.objects.filter(organization_id=org_id,
                                          **{kind: OuterRef("shared_key")})
                  .order_by("id")[:SHOWN_PER_GROUP])
        return (shared.order_by("shared_key")
                .values("shared_key", "size", members=JSONRows(oldest, MEMBER_COLUMNS))
                [:GROUPS_PER_PAGE + 1])

    return groups


_GROUPS = {kind: _groups_of(kind) for kind in DUPLICATE_KEYS}


def duplicate_page(org_id: int, kind: str, after: str | None) -> DuplicatePage:
    """A page of the groups of records sharing the key `kind`, in the key's order, after the
    key `after`: one prepared statement."""
    found = _GROUPS[kind](org_id, after)
    more = len(found) > GROUPS_PER_PAGE
    found = found[:GROUPS_PER_PAGE]
    groups = tuple(DuplicateGroup(row.shared_key, row.size,
                                  tuple(Member(*member) for member in rows_of(row.members)))
                   for row in found)
    return DuplicatePage(kind, groups, groups[-1].key if more else None)
