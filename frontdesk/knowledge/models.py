"""The knowledge base (SPEC K1): FAQ articles by category, published to the portal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


class Category(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # category_name_unique leads with it
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(pgettext_lazy("sort order", "position"), default=0)

    objects = OrgQuerySet["Category"].as_manager()

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"],
                                    name="category_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """An answer to a question customers ask. A draft is for staff only; published, anyone
    who opens the organization's portal reads it (no log-in: an answer found there is a
    request not written)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # article_org_published leads with it
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="articles", verbose_name=_("category"))
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("answer"))
    is_published = models.BooleanField(_("published in the portal"), default=False)
    # The request it was written from, if any (staff turn a solved request into an article).
    source_task = models.ForeignKey("support.Task", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet["Article"].as_manager()

    class Meta:
        indexes = [
            # The portal's FAQ: the published articles, newest first; staff's list: all.
            models.Index(fields=["organization", "is_published", "-updated_at"],
                         name="article_org_published"),
        ]

    def __str__(self) -> str:
        return self.title
