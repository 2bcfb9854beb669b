"""The words of the service-level markers (SPEC X8), as the staff pages show them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from frontdesk.lib.jinja_memo import FrozenDict


def sla_labels() -> FrozenDict:
    """The markers by state (service_levels.queries.sla_state), in the active language: a
    FrozenDict, so that the list's remembered rows may read it."""
    return FrozenDict({"breached": _("Target missed"), "at_risk": _("At risk")})
