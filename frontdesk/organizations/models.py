from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.permissions import DEFAULT_LEVEL, Area, Level, has_level, level_of
from frontdesk.organizations.querysets import OrgQuerySet

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    _("Use 1–50 lowercase letters, digits and hyphens, starting and ending with a "
      "letter or digit."),
)


class Organization(models.Model):
    """A business using Frontdesk. Everything it owns carries a foreign key to it (SPEC O1)."""

    slug = models.CharField(_("address name"), max_length=50, unique=True,
                            validators=[slug_validator])
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("default language"), max_length=8,
                                choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name


def _level_field(area: Area) -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(area.label, choices=Level.choices,
                                            default=DEFAULT_LEVEL)


class Membership(models.Model):
    """A staff user's place in one organization: admin flag and a level per area (SPEC O2, O3)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="memberships",
                                     db_index=False)  # membership_unique leads with it
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    is_admin = models.BooleanField(_("administrator"), default=False)
    level_customers = _level_field(Area.CUSTOMERS)
    level_offers = _level_field(Area.OFFERS)
    level_ledger = _level_field(Area.LEDGER)
    level_support = _level_field(Area.SUPPORT)
    level_tasks = _level_field(Area.TASKS)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Membership"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organization_id}"

    def level(self, area: Area | str) -> Level:
        return level_of(self, area)

    def has(self, area: Area | str, level: Level) -> bool:
        return has_level(self, area, level)


class Group(models.Model):
    """A group (project) of staff; tasks live in groups (SPEC O4)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # group_name_unique leads with it
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="staff_groups", verbose_name=_("members"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Group"].as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="group_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
