"""Staff permission levels per area (SPEC O3) and the one check used everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from frontdesk.organizations.models import Membership


class Area(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    OFFERS = "offers", _("Offers")
    LEDGER = "ledger", _("Ledger")
    SUPPORT = "support", _("Support")
    TASKS = "tasks", _("Tasks")


class Level(models.IntegerChoices):
    NONE = 0, pgettext_lazy("permission level", "None")
    VIEW = 1, pgettext_lazy("permission level", "View")
    CONTRIBUTE = 2, pgettext_lazy("permission level", "Contribute")  # create, edit, add notes
    EDIT = 3, pgettext_lazy("permission level", "Edit")  # also delete
    MANAGE = 4, pgettext_lazy("permission level", "Manage")  # also export, set permissions


DEFAULT_LEVEL = Level.VIEW


def level_of(membership: Membership, area: Area | str) -> Level:
    """The effective level of a staff member in an area: admins always Manage."""
    if membership.is_admin:
        return Level.MANAGE
    return Level(getattr(membership, f"level_{Area(area).value}"))


def has_level(membership: Membership | None, area: Area | str, level: Level) -> bool:
    """The permission check. Every view, action and template asks this, nothing else."""
    if membership is None:
        return False
    return level_of(membership, area) >= level


def can_manage_permissions(membership: Membership) -> bool:
    """Admins, and staff with Manage in at least one area, may open the permissions page."""
    return membership.is_admin or any(
        level_of(membership, area) >= Level.MANAGE for area in Area
    )
