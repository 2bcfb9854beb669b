"""A customer's files, in folders (SPEC C9), and those shared with the customer in the portal
(SPEC P16). The files of its requests are the requests' own (support.Attachment), not these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frontdesk.customers.models import Customer
from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet


class Folder(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)  # folder_customer_name leads with it
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Folder"].as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "name"],
                                               name="folder_customer_name")]

    def __str__(self) -> str:
        return self.name


def customer_file_path(instance: CustomerFile, filename: str) -> str:
    # The original name is kept in the row; the stored name carries no user input.
    return f"customer-files/{instance.organization_id}/{instance.customer_id}/{instance.token}"


class CustomerFileQuerySet(OrgQuerySet["CustomerFile"]):
    def shared(self) -> CustomerFileQuerySet:
        return self.filter(shared_with_customer=True)


class CustomerFile(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)  # the indexes below lead with it
    # None: at the top, in no folder. A folder removed leaves its files at the top.
    folder = models.ForeignKey(Folder, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="files", verbose_name=_("folder"))
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=customer_file_path, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120, blank=True)
    # Shown to the customer's people in the portal (SPEC P16).
    shared_with_customer = models.BooleanField(_("shared with the customer"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CustomerFileQuerySet.as_manager()

    class Meta:
        indexes = [
            # Staff's page: a customer's files, newest first; the portal's: its shared ones.
            models.Index(fields=["customer", "-id"], name="customer_file_customer_id"),
            models.Index(fields=["customer", "shared_with_customer", "-id"],
                         name="customer_file_shared_id"),
        ]

    def __str__(self) -> str:
        return self.name
