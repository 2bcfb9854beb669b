"""Probable duplicates and merging two customer records (SPEC C11)."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from frontdesk.customers import duplicates, queries, services
from frontdesk.customers.merging import FILLED_DETAILS, what_moves
from frontdesk.customers.models import DUPLICATE_KEYS, Customer
from frontdesk.lib.paging import keyset_link
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org

# A key cursor longer than any key is no key.
MAX_CURSOR = 120
CHOICES_SHOWN = 10


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.VIEW)
def duplicate_list(request: StaffRequest) -> HttpResponse:
    """The organization's groups of records that are probably one company, by one key."""
    kind = request.GET.get("by", "")
    kind = kind if kind in DUPLICATE_KEYS else "name_key"
    after = request.GET.get("after", "")[:MAX_CURSOR + 1] or None
    if after is not None and (len(after) > MAX_CURSOR or "\x00" in after):
        after = None  # no key is that long or holds a NUL (which PostgreSQL refuses)
    page = duplicates.duplicate_page(request.org.pk, kind, after)
    can_merge = has_level(request.membership, Area.CUSTOMERS, Level.MANAGE)
    return render(request, "customers/duplicate_list.html", {
        "page": page, "groups": _shown(page.groups, can_merge),
        "kinds": duplicates.KINDS, "kind": kind,
        "next_url": None if page.next_after is None
        else keyset_link(request, "after", page.next_after),  # type: ignore[arg-type]
        "can_merge": can_merge,
    })


class _ShownGroup(NamedTuple):
    group: duplicates.DuplicateGroup
    first: duplicates.Member  # the oldest record, which the others may merge into
    count_text: str  # "3 records"
    more_text: str  # "and 1,590 more", or "" when every record is shown
    merge_label: str  # "Merge into Acme", for those who may merge


def _shown(groups: tuple[duplicates.DuplicateGroup, ...], can_merge: bool
           ) -> tuple[_ShownGroup, ...]:
    """The groups with their words, in the reader's language, worked out here: the page's
    list of groups is then plain values, written once and remembered (lib/jinja_memo.py)."""
    return tuple(_ShownGroup(
        group, group.members[0],
        ngettext("%(num)s record", "%(num)s records", group.size) % {"num": group.size},
        ngettext("and %(num)s more", "and %(num)s more", group.size - len(group.members))
        % {"num": group.size - len(group.members)} if group.size > len(group.members) else "",
        _("Merge into %(name)s") % {"name": group.members[0].short_name} if can_merge else "",
    ) for group in groups)


def _target_of(request: StaffRequest, source: Customer, raw: str) -> Customer | None:
    """The record named by `into`: of this organization only (else 404), never the source."""
    if not raw.isdigit() or len(raw) > 18:
        return None
    target = get_for_org(Customer.objects.all(), request.org, pk=int(raw))
    return None if target.pk == source.pk else target


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def customer_merge(request: StaffRequest, customer_id: int) -> HttpResponse:
    """Merge this customer (the source, deleted) into another (`into`, the target): first
    choose the target (suggestions, or a search), then confirm what moves and what stays."""
    source = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    data = request.POST if request.method == "POST" else request.GET
    target = _target_of(request, source, data.get("into", ""))
    if request.method == "POST" and target is not None:
        try:
            merged = services.merge_customers(source=source, target=target, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(source)s” was merged into “%(target)s”.")
                             % {"source": source.short_name, "target": merged.short_name})
            return redirect("customers:detail", request.org.slug, merged.pk)
    query = request.GET.get("q", "").strip()[:services.MAX_QUERY_LENGTH]
    choices = []
    if target is None and query:
        choices = [customer for customer in queries.customer_list(request.org, query)
                   .exclude(pk=source.pk).only("pk", "short_name", "full_name", "email",
                                               "phone")[:CHOICES_SHOWN]]
    return render(request, "customers/merge.html", {
        "source": source, "target": target, "query": query, "choices": choices,
        "suggestions": duplicates.probable_duplicates(source) if target is None else [],
        "moves": what_moves(source) if target is not None else None,
        "details": [(_label(name), getattr(source, name), getattr(target, name),
                     not getattr(target, name) and bool(getattr(source, name)))
                    for name in ("short_name", *FILLED_DETAILS)] if target else [],
        "key_labels": KEY_LABELS,
    })


KEY_LABELS = duplicates.KINDS


def _label(name: str) -> str:
    return capfirst(str(getattr(Customer._meta.get_field(name), "verbose_name", name)))
