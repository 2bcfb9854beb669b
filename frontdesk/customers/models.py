from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frontdesk.customers.duplicate_keys import (
    KEY_LENGTH,
    DuplicateKeyField,
    email_domain_key,
    name_key,
    phone_key,
)
from frontdesk.lib.search import SearchTextField, searched_text
from frontdesk.organizations.models import Organization
from frontdesk.organizations.querysets import OrgQuerySet

# The customer's columns that say two records are probably one company (SPEC C11).
DUPLICATE_KEYS = ("name_key", "email_domain", "phone_key")


class Customer(models.Model):
    """A customer record, usually a company (SPEC C3)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # (organization, email) leads with it
    short_name = models.CharField(_("short name"), max_length=120)
    full_name = models.CharField(_("full name"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # Stored lower-cased (see accounts.models.normalize_email_address) so matching is exact.
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the customers search looks at (lib/search.py), written on every save.
    search_text = SearchTextField()
    # What says two records are probably the same company (SPEC C11; customers.duplicate_keys),
    # written on every save: NULL when the record has no such key.
    name_key = DuplicateKeyField()
    email_domain = DuplicateKeyField()
    phone_key = DuplicateKeyField()
    # Portal customer managers (SPEC C5): staff who look after this customer. A topic may send
    # the customer's requests to them alone (Topic.to_customer_managers).
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                      verbose_name=_("portal customer managers"))
    # The end of the customer's support contract (SPEC P18; seed 002): the customer's people
    # are reminded before it (portal.reminders), once per date: `support_reminded_for` is the
    # date a reminder went out for, so a retried or doubled task sends nothing more.
    support_until = models.DateField(_("support contract until"), null=True, blank=True)
    support_reminded_for = models.DateField(null=True, blank=True, editable=False)

    objects = OrgQuerySet["Customer"].as_manager()

    class Meta:
        verbose_name = _("customer")
        indexes = [
            # The customer list: one organization, by name, then id so pages never overlap
            # (SPEC C1). Ordered case-insensitively, so "acme" and "Acme" sort together.
            models.Index(F("organization"), Lower("short_name"), F("id"),
                         name="customer_org_name"),
            models.Index(fields=["organization", "email"]),
            # Duplicates (SPEC C11): the records sharing a key are found by grouping on it.
            # Partial: a record without a key costs the index nothing.
            *[models.Index(fields=["organization", key, "id"], name=f"customer_dup_{key}",
                           condition=Q(**{f"{key}__isnull": False}))
              for key in DUPLICATE_KEYS],
        ]

    def __str__(self) -> str:
        return self.short_name

    def duplicate_key(self, attname: str) -> str | None:
        if attname == "name_key":
            return name_key(self.short_name)
        if attname == "email_domain":
            return email_domain_key(self.email)
        return phone_key(self.phone)

    @property
    def display_name(self) -> str:
        return self.full_name or self.short_name

    def searched_text(self) -> str:
        return searched_text([self.short_name, self.full_name, self.email, self.phone],
                             phones=[self.phone])


class DuplicateCount(models.Model):
    """How many of an organization's customers share one duplicate key (SPEC C11): written by
    database triggers only (customers.duplicate_counts), so every way a record is written
    counts. The list of probable duplicates reads the keys shared twice or more from
    `duplicate_count_shared`, a page at a time, however many customers there are."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # both indexes lead with it
    kind = models.CharField(max_length=12)  # the key's column, one of DUPLICATE_KEYS
    shared_key = models.CharField(max_length=KEY_LENGTH)
    # Not a PositiveIntegerField: its CHECK could make a trigger, and so the write of a
    # customer, fail.
    size = models.IntegerField()
    # 1 when two records or more share the key: an equality the index serves in order (SQLite
    # cannot match a partial index to a bound parameter such as "size > %s").
    is_shared = models.GeneratedField(
        expression=Case(When(size__gt=1, then=Value(1)), default=Value(0)),
        output_field=models.PositiveSmallIntegerField(), db_persist=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "kind", "shared_key"],
                                               name="duplicate_count_key")]
        indexes = [models.Index(fields=["organization", "kind", "is_shared", "shared_key"],
                                name="duplicate_count_shared")]

    def __str__(self) -> str:
        return f"{self.kind} {self.shared_key}: {self.size}"


class Contact(models.Model):
    """A person on a customer record (SPEC C4)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # (organization, email) leads with it
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts",
                                 db_index=False)  # contact_customer_name leads with it
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=100,
                                blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the customers search looks at in a contact (lib/search.py): "Ada Lov" finds Ada
    # Lovelace, as the name is kept whole.
    search_text = SearchTextField()

    objects = OrgQuerySet["Contact"].as_manager()

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        indexes = [
            models.Index(fields=["organization", "email"]),
            # A customer's contacts in name order: the customers list reads each customer's
            # first one and counts them from it.
            models.Index(fields=["customer", "first_name", "last_name", "id"],
                         name="contact_customer_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def searched_text(self) -> str:
        return searched_text([self.full_name, self.email, self.phone], phones=[self.phone])


class CustomField(models.Model):
    """A detail an organization adds to every customer record, e.g. "Invoice no." (SPEC C3).

    Values live in `CustomFieldValue`, one row per customer and field, rather than in a JSON
    column on the customer: removing a field then removes its values with it (a cascade, not a
    rewrite of every customer row), a value is always of a field of the customer's own
    organization, and a field's values can be indexed and searched on their own later (import,
    merge, filters). The price is one query for the values when a customer is shown or edited;
    the list does not show them.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveIntegerField(pgettext_lazy("sort order", "position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["CustomField"].as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(F("organization"), Lower("name"),
                                    name="customfield_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def form_key(self) -> str:
        """The name of this field in forms and in validation errors of the actions."""
        return f"custom_{self.pk}"


class CustomFieldValue(models.Model):
    """One customer's value of one custom field; an empty value has no row."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE,
                                 related_name="custom_values",
                                 db_index=False)  # customfieldvalue_unique leads with it
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(_("value"), max_length=500)

    objects = OrgQuerySet["CustomFieldValue"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "field"],
                                    name="customfieldvalue_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.field_id}={self.value!r} on {self.customer_id}"


class Transfer(models.Model):
    """A customer list exported to an Excel file, or a file imported into it (SPEC C12), done
    by the worker while its page shows how far it got.

    An import is checked first, whole (every row, as the customer form would check it), and
    shown: only a file without errors can be imported, and then every row at once, in one
    transaction, or none."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        WORKING = "working", _("In progress")
        CHECKED = "checked", _("Checked")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # transfer_org_id leads with it
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # An import's uploaded file, or an export's file once written.
    file = models.FileField(upload_to="transfers/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # An import: how many customers it makes (or made); the rows' errors, [[row, [messages]]];
    # why it failed, if it did.
    customers_count = models.PositiveIntegerField(default=0)
    row_errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet["Transfer"].as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "-id"], name="transfer_org_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} of {self.organization_id}: {self.state}"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.WORKING)


class Note(models.Model):
    """A note staff keep on a customer (SPEC C7): it shows among the customer's activities,
    never on a task or to the customer."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes",
                                 db_index=False)  # note_customer_id leads with it
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", db_index=False)
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Note"].as_manager()

    class Meta:
        indexes = [models.Index(fields=["customer", "-id"], name="note_customer_id")]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.customer_id}"


class Activity(models.Model):
    """Something that happened to a customer (SPEC C8), written by the action that did it:
    the customer's page and the organization's activity page list them, newest first.
    `data` holds what the line names (a number, the fields changed), so the line is written
    in the reader's language (customers.activity)."""

    class Kind(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        IMPORTED = "imported"
        NOTE = "note"
        CONTACT_ADDED = "contact_added"
        PORTAL_INVITED = "portal_invited"
        PORTAL_ACCESS = "portal_access"
        QUOTE_CREATED = "quote_created"
        QUOTE_SENT = "quote_sent"
        QUOTE_ANSWERED = "quote_answered"
        INVOICE_ISSUED = "invoice_issued"
        INVOICE_ANSWERED = "invoice_answered"
        PAYMENT = "payment"
        INVOICE_CANCELLED = "invoice_cancelled"
        MERGED = "merged"
        TASK_LINKED = "task_linked"
        TASK_UNLINKED = "task_unlinked"
        QUOTE_LINKED = "quote_linked"
        QUOTE_UNLINKED = "quote_unlinked"
        SUPPORT_REMINDED = "support_reminded"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # activity_org_id leads with it
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)  # activity_customer_id leads with it
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Who did it: a staff member, or one of the customer's people in the portal, or neither
    # (the public form, an import).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+", db_index=False)
    portal_actor = models.ForeignKey("portal.PortalUser", on_delete=models.SET_NULL,
                                     null=True, related_name="+", db_index=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet["Activity"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "-id"], name="activity_org_id"),
            models.Index(fields=["customer", "-id"], name="activity_customer_id"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.customer_id}"

