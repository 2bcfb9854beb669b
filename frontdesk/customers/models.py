from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


class Customer(models.Model):
    """A customer record, usually a company (SPEC C3)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    short_name = models.CharField(_("short name"), max_length=120)
    full_name = models.CharField(_("full name"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # Stored lower-cased (see accounts.models.normalize_email_address) so matching is exact.
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet["Customer"].as_manager()

    class Meta:
        verbose_name = _("customer")
        indexes = [
            models.Index(fields=["organization", "short_name"]),
            models.Index(fields=["organization", "email"]),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.short_name


class Contact(models.Model):
    """A person on a customer record (SPEC C4)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Contact"].as_manager()

    class Meta:
        ordering = ["first_name", "last_name"]
        indexes = [models.Index(fields=["organization", "email"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
