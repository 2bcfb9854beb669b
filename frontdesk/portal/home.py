"""The portal's home page (SPEC P14; seed 002, "portal home page layout"): what a signed-in
customer sees first, each part switched on or off by the organization (PortalSettings.home_*).

Everything of the customer's comes through the visibility functions of support, billing and
knowledge, so the home page shows nothing their own pages would not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

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
from frontdesk.portal.auth import PortalViewer
from frontdesk.portal.models import Greeting, PortalSettings
from frontdesk.support.models import Priority
from frontdesk.support.visibility import (
    handlers_visible_to,
    recent_request_rows_visible_to,
    request_figures_visible_to,
)

RECENT = 5
HANDLERS = 6
# The charts' "time to close" looks at the requests closed this past year.
CLOSE_TIME_WINDOW = dt.timedelta(days=365)


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


def _request_charts(home: Home, viewer: PortalViewer) -> None:
    figures = {row.priority: row for row in request_figures_visible_to(
        viewer, timezone.now() - CLOSE_TIME_WINDOW)}
    labels = choice_labels(Priority)
    ordered = [figures[p] for p in Priority.values if p in figures]
    home.open_by_priority = _bars([(labels[row.priority], row.open, str(row.open))
                                   for row in ordered if row.open])
    home.close_time_by_priority = _bars([
        (labels[row.priority], int(row.close_time.total_seconds()),
         duration_text(row.close_time)) for row in ordered if row.close_time is not None])


def _invoice_chart(home: Home, viewer: PortalViewer) -> None:
    labels = choice_labels(InvoiceStatus)
    counts: dict[str, int] = {}
    for row in invoice_figures_visible_to(viewer):
        counts[row.status] = counts.get(row.status, 0) + row.count
    home.invoices_by_status = _bars([(labels[status], counts[status], str(counts[status]))
                                     for status in InvoiceStatus.values if status in counts])


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
        home.recent_requests = recent_request_rows_visible_to(viewer, RECENT)
    if portal_settings.home_recent_invoices and invoices_shown:
        home.recent_invoices = recent_invoice_rows_visible_to(viewer, RECENT)
    if portal_settings.home_recent_faq and portal_settings.show_faq:
        home.recent_faq = list(
            Article.objects.for_org(portal_settings.organization_id).filter(is_published=True)
            .order_by("-updated_at").values_list("pk", "title", named=True)[:RECENT])
    if portal_settings.home_handlers:
        home.handlers = handlers_visible_to(viewer, HANDLERS)
    return home
