"""The portal's home page (SPEC P14; seed 002, "portal home page layout"): what a signed-in
customer sees first, each part switched on or off by the organization (PortalSettings.home_*).

Everything of the customer's comes through the visibility functions of support, billing and
knowledge, so the home page shows nothing their own pages would not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frontdesk.billing.models import InvoiceStatus
from frontdesk.billing.visibility import (
    invoice_figures_visible_to,
    recent_invoice_rows_visible_to,
    tabs_shown,
)
from frontdesk.knowledge.models import Article
from frontdesk.lib.choices import choice_labels
from frontdesk.lib.prepared import prepared
from frontdesk.portal.auth import PortalViewer
from frontdesk.portal.models import Greeting, PortalSettings
from frontdesk.support.models import Priority
from frontdesk.support.visibility import (
    handlers_visible_to,
    recent_request_rows_visible_to,
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
    return (f"{person.organization_id}:person:{person.pk}:{since}" if viewer.own_requests_only
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


@prepared
def _recent_articles(org_id: int) -> QuerySet[Any]:
    return (Article.objects.for_org(org_id).filter(is_published=True).order_by("-updated_at")
            .values_list("pk", "title", named=True)[:RECENT_FAQ])


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
    if portal_settings.home_recent_requests:
        home.recent_requests = recent_request_rows_visible_to(viewer)
    if portal_settings.home_recent_invoices and invoices_shown:
        home.recent_invoices = recent_invoice_rows_visible_to(viewer)
    if portal_settings.home_recent_faq and portal_settings.show_faq:
        home.recent_faq = list(_recent_articles(portal_settings.organization_id))
    if portal_settings.home_handlers:
        home.handlers = handlers_visible_to(viewer)
    return home
