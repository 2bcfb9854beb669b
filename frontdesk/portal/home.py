"""The portal's home page (SPEC P14; seed 002, "portal home page layout"): what a signed-in
customer sees first, each part switched on or off by the organization (PortalSettings.home_*).

Everything of the customer's comes through the visibility functions of support, billing and
knowledge, so the home page shows nothing their own pages would not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import QuerySet, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frontdesk.billing.models import InvoiceStatus
from frontdesk.billing.visibility import (
    invoice_figures_visible_to,
    recent_invoices_of,
    tabs_shown,
)
from frontdesk.customers.models import Customer
from frontdesk.files.queries import recent_shared_of
from frontdesk.files.views.portal import documents_shown
from frontdesk.knowledge.models import Article
from frontdesk.lib.choices import choice_labels
from frontdesk.lib.json_rows import JSONRows, datetime_of, rows_of
from frontdesk.lib.prepared import prepared
from frontdesk.portal.auth import PortalViewer
from frontdesk.portal.models import Greeting, PortalSettings
from frontdesk.support.models import Priority
from frontdesk.support.visibility import (
    handlers_of,
    recent_requests_of,
    request_figures_visible_to,
)

RECENT_FAQ = 5
# The charts' "time to close" looks at the requests closed this past year.
CLOSE_TIME_WINDOW = dt.timedelta(days=365)
FIGURES_SECONDS = 60


@dataclass(frozen=True)
class Bar:
    """One line of a chart: its label, its figure (shown as text) and the bar's length as a
    percentage of the longest."""

    label: str
    value: int
    shown: str
    percent: int


@dataclass
class Home:
    greetings: dict[str, str] = field(default_factory=dict)  # by part of the day
    greeting_now: str = ""
    announcement: str = ""
    open_by_priority: list[Bar] = field(default_factory=list)
    close_time_by_priority: list[Bar] = field(default_factory=list)
    invoices_by_status: list[Bar] = field(default_factory=list)
    recent_requests: list[Any] = field(default_factory=list)
    recent_invoices: list[Any] | None = None
    recent_faq: list[Any] | None = None
    recent_documents: list[Any] | None = None
    handlers: list[str] | None = None


def _part_of_day(hour: int) -> str:
    return "morning" if 5 <= hour < 12 else "afternoon" if 12 <= hour < 18 else "evening"


def _greetings(viewer: PortalViewer, portal_settings: PortalSettings) -> dict[str, str]:
    if portal_settings.greeting == Greeting.FIXED:
        text = portal_settings.greeting_text
        return {"morning": text, "afternoon": text, "evening": text} if text else {}
    if portal_settings.greeting != Greeting.BY_TIME:
        return {}
    name = viewer.portal_user.first_name
    if name:
        return {"morning": _("Good morning, %(name)s") % {"name": name},
                "afternoon": _("Good afternoon, %(name)s") % {"name": name},
                "evening": _("Good evening, %(name)s") % {"name": name}}
    return {"morning": _("Good morning"), "afternoon": _("Good afternoon"),
            "evening": _("Good evening")}


def duration_text(duration: dt.timedelta) -> str:
    """A duration as people say it: minutes below an hour, hours below two days, else days."""
    minutes = int(duration.total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    days = round(hours / 24)
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def _bars(lines: list[tuple[str, int, str]]) -> list[Bar]:
    longest = max((value for _, value, _ in lines), default=0)
    return [Bar(label, value, shown, round(100 * value / longest) if longest else 0)
            for label, value, shown in lines]


def _scope(viewer: PortalViewer) -> str:
    person = viewer.portal_user
    since = viewer.since.timestamp() if viewer.since else ""
    # A person's own requests are those of the customer they act for (SPEC X7).
    return (f"{person.organization_id}:person:{person.pk}:{person.customer_id}:{since}"
            if viewer.own_requests_only
            else f"{person.organization_id}:customer:{person.customer_id}:{since}")


def _figures(name: str, viewer: PortalViewer, count: Callable[[], list[tuple[Any, ...]]]
             ) -> list[tuple[Any, ...]]:
    """The charts' figures of the viewer's requests or invoices, counted at most once a
    minute per customer (or per person, for a link). Counting reads every request of the
    customer: 18 ms for one with 5,000, where each other portal page costs about 1 ms."""
    key = f"portal-home:{name}:{_scope(viewer)}"
    figures: list[tuple[Any, ...]] | None = cache.get(key)
    if figures is None:
        figures = count()
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def _request_charts(home: Home, viewer: PortalViewer) -> None:
    rows = _figures("requests", viewer, lambda: [
        tuple(row) for row in request_figures_visible_to(
            viewer, timezone.now() - CLOSE_TIME_WINDOW)])
    figures = {priority: (open_count, close_time)
               for priority, open_count, _closed, close_time in rows}
    labels = choice_labels(Priority)
    ordered = [(p, *figures[p]) for p in Priority.values if p in figures]
    home.open_by_priority = _bars([(labels[priority], open_count, str(open_count))
                                   for priority, open_count, _ in ordered if open_count])
    home.close_time_by_priority = _bars([
        (labels[priority], int(close_time.total_seconds()), duration_text(close_time))
        for priority, _, close_time in ordered if close_time is not None])


def _invoice_chart(home: Home, viewer: PortalViewer) -> None:
    labels = choice_labels(InvoiceStatus)
    counts: dict[str, int] = {}
    rows = _figures("invoices", viewer, lambda: [
        (row.status, row.count) for row in invoice_figures_visible_to(viewer)])
    for status, number in rows:
        counts[status] = counts.get(status, 0) + number
    home.invoices_by_status = _bars([(labels[status], counts[status], str(counts[status]))
                                     for status in InvoiceStatus.values if status in counts])


def _articles_of(org_id: int) -> QuerySet[Article]:
    return (Article.objects.for_org(org_id).filter(is_published=True)
            .order_by("-updated_at")[:RECENT_FAQ])


def _handlers(home: Home, viewer: PortalViewer) -> None:
    """Who handles the viewer's open requests, by name, kept a minute as the charts' figures:
    grouping their assignments cost the page a third of its time on PostgreSQL (0.3 ms of
    1.5), for a list that changes when staff reassign, not when the customer looks."""
    person = viewer.portal_user
    scope = person.pk if viewer.own_requests_only else person.customer_id
    rows = _figures("handlers", viewer, lambda: [
        (name,) for name in handlers_of(person.organization_id, person.customer_id, scope,
                                        viewer.own_requests_only, viewer.since)
        .values_list("user__full_name", flat=True)])
    home.handlers = [name for (name,) in rows]


@prepared
def _lists(org_id: int, customer_id: int, request_scope_id: int | None, own_only: bool,
           since: dt.datetime | None, invoices: bool, documents: bool, faq: bool
           ) -> QuerySet[Any]:
    """The home page's short lists, each a JSON column of the viewer's customer's row: one
    statement, where each would cost its own (on PostgreSQL a round trip each, the better part
    of such a query's cost). Each comes from the function that decides what the viewer may see
    of it; a list switched off is not read."""
    none = Value(None, output_field=TextField())
    return Customer.objects.filter(pk=customer_id, organization_id=org_id).annotate(
        requests=JSONRows(recent_requests_of(org_id, customer_id, request_scope_id, own_only,
                                             since),
                          ("pk", "title", "status"))
        if request_scope_id is not None else none,
        invoices=JSONRows(recent_invoices_of(org_id, customer_id),
                          ("pk", "number", "title", "status", "total_text", "currency"))
        if invoices else none,
        documents=JSONRows(recent_shared_of(org_id, customer_id), ("pk", "name", "created_at"))
        if documents else none,
        faq=JSONRows(_articles_of(org_id), ("pk", "title")) if faq else none,
    ).values_list("requests", "invoices", "documents", "faq")


class _Request(NamedTuple):
    pk: int
    title: str
    status: str


class _Invoice(NamedTuple):
    pk: int
    number: int
    title: str
    status: str
    total: Decimal
    currency: str


class _Document(NamedTuple):
    pk: int
    name: str
    created_at: dt.datetime


class _Article(NamedTuple):
    pk: int
    title: str


def _read_lists(home: Home, viewer: PortalViewer, *, requests: bool, invoices: bool,
                documents: bool, faq: bool) -> None:
    if not (requests or invoices or documents or faq):
        return
    person = viewer.portal_user
    # The requests are the viewer's: the person's own, or the customer's.
    scope = person.pk if viewer.own_requests_only else person.customer_id
    found = _lists(person.organization_id, person.customer_id, scope if requests else None,
                   viewer.own_requests_only, viewer.since, invoices, documents, faq)
    if not found:
        return
    request_rows, invoice_rows, document_rows, faq_rows = found[0]
    if requests:
        home.recent_requests = [_Request(*row) for row in rows_of(request_rows)]
    if invoices:
        home.recent_invoices = [
            _Invoice(pk, number, title, status, Decimal(total), currency)
            for pk, number, title, status, total, currency in rows_of(invoice_rows)]
    if documents:
        home.recent_documents = [_Document(pk, name, datetime_of(created))
                                 for pk, name, created in rows_of(document_rows)]
    if faq:
        home.recent_faq = [_Article(pk, title) for pk, title in rows_of(faq_rows)]


def home_of(viewer: PortalViewer, portal_settings: PortalSettings) -> Home:
    """What the viewer's home page shows: only the parts switched on, and of billing only
    what their own tabs show (billing.visibility.tabs_shown)."""
    home = Home(announcement=portal_settings.announcement)
    home.greetings = _greetings(viewer, portal_settings)
    if home.greetings:
        home.greeting_now = home.greetings[_part_of_day(timezone.localtime().hour)]
    invoices_shown = tabs_shown(viewer, portal_settings)["invoices"]
    if portal_settings.home_charts:
        _request_charts(home, viewer)
        if invoices_shown:
            _invoice_chart(home, viewer)
    if portal_settings.home_handlers:
        _handlers(home, viewer)
    _read_lists(home, viewer, requests=portal_settings.home_recent_requests,
                invoices=portal_settings.home_recent_invoices and invoices_shown,
                documents=(portal_settings.home_recent_documents
                           and documents_shown(viewer, portal_settings)),
                faq=portal_settings.home_recent_faq and portal_settings.show_faq)
    return home
