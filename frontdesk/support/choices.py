"""The choices of the support models: a request's status, priority, severity, category,
rating and source, and a topic's way of assigning (SPEC T3, T6, X2, X6). Imported by
models.py, which the rest of the code reads them from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentMode(models.TextChoices):
    """Who of a topic's assignees gets a new request (SPEC X6)."""

    ALL = "all", _("All of them")
    ROUND_ROBIN = "round_robin", _("One at a time, in turn (round-robin)")
    LEAST_LOADED = "least_loaded", _("The one with the fewest open requests")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for reply")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Severity(models.TextChoices):
    """How much the problem weighs (SPEC T6), set by staff."""

    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    FEATURE = "feature", _("Feature")
    CRITICAL = "critical", _("Critical")


class Category(models.TextChoices):
    """What kind of problem it is (SPEC T6), set by staff."""

    BIG = "big", _("Big problem")
    SMALL = "small", _("Small problem")
    OTHER = "other", _("Other problem")


class Rating(models.TextChoices):
    """How the customer found the handling of their closed request (SPEC X2)."""

    GOOD = "good", _("Good")
    BAD = "bad", _("Bad")


class Source(models.TextChoices):
    STAFF = "staff", _("Staff")
    FORM = "form", _("Public support form")
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")


OPEN_STATUSES = [Status.OPEN, Status.IN_PROGRESS, Status.WAITING]
