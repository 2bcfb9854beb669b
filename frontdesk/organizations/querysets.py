"""The tenancy mechanism: every organization-owned row is reached through `for_org`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from frontdesk.organizations.models import Organization

M = TypeVar("M", bound=models.Model)


class OrgQuerySet(models.QuerySet[M]):
    def for_org(self, organization: Organization | int | str) -> Self:
        """The rows of `organization`, given as the object, as its id (the prepared queries
        of lib/prepared.py are built from ids) or as its slug (a page's query read along with
        the membership, `staff_view(read_along=…)`, knows only the address)."""
        if isinstance(organization, int):
            return self.filter(organization_id=organization)
        if isinstance(organization, str):
            return self.filter(organization__slug=organization)
        return self.filter(organization=organization)


def get_for_org(queryset: models.QuerySet[M], organization: Organization, **lookup: Any) -> M:
    """One object of `organization`, or 404 — the same answer for "missing" and "not yours"."""
    return get_object_or_404(queryset.filter(organization=organization), **lookup)
