"""Merging two customer records into one (SPEC C11): `merge_customers`, called as
`customers.services.merge_customers`, and what a merge would move (`what_moves`).

Every table with a foreign key to the customer is named in `MOVED` or `LEFT_TO_DELETE`; a test
(tests/test_merge_relations.py) fails when a new one is neither, so a new kind of record is
never lost silently with the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.customers import activity
from frontdesk.customers.models import (
    Activity,
    Contact,
    Customer,
    CustomFieldValue,
    Note,
)

# Tables whose rows of the source become the target's (by model label).
MOVED = frozenset({
    "customers.Contact", "customers.CustomFieldValue", "customers.Note", "customers.Activity",
    "customers.Customer_managers", "support.Task", "portal.PortalUser",
    "portal.CustomerAccess", "portal.PortalMembership", "portal.AccessLink",
    "billing.Quote", "billing.Invoice", "billing.LedgerEntry",
    "billing.Balance", "files.Folder", "files.CustomerFile",
})
# None for now: every kind of record moves (a contact or custom value the target already has
# is merged into the target's and the rest deleted with the source).
LEFT_TO_DELETE: frozenset[str] = frozenset()

# The details the target keeps, unless it has none and the source has.
FILLED_DETAILS = ("full_name", "phone", "email")
# A contact's details filled from the source's contact of the same e-mail address.
FILLED_CONTACT_DETAILS = ("last_name", "phone", "position")


@dataclass(frozen=True)
class Moves:
    """How many records of each kind a merge moves from the source to the target."""

    contacts: int
    tasks: int
    quotes: int
    invoices: int
    ledger_entries: int
    portal_users: int
    notes: int
    activities: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _counted(queryset: object) -> Coalesce:
    rows = (queryset.filter(customer_id=OuterRef("pk")).order_by()  # type: ignore[attr-defined]
            .values("customer_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def what_moves(source: Customer) -> Moves:
    """The source's records of each kind, counted in one statement (the merge page)."""
    from frontdesk.billing.models import Invoice, LedgerEntry, Quote
    from frontdesk.portal.models import PortalUser
    from frontdesk.support.models import Task

    kinds = {"contacts": Contact, "tasks": Task, "quotes": Quote, "invoices": Invoice,
             "ledger_entries": LedgerEntry, "portal_users": PortalUser, "notes": Note,
             "activities": Activity}
    # Under names of their own: "contacts", "tasks"… are the customer's relations.
    counted: dict[str, Any] = {f"n_{name}": _counted(model.objects.all())  # type: ignore[attr-defined]
                               for name, model in kinds.items()}
    counts: dict[str, Any] = dict(Customer.objects.filter(pk=source.pk).values(**counted)
                                  .get())
    return Moves(**{name: counts[f"n_{name}"] for name in kinds})


def _filled_details(target: Customer, source: Customer) -> list[str]:
    filled = []
    for name in FILLED_DETAILS:
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
            filled.append(name)
    return filled


def _move_custom_values(source: Customer, target: Customer) -> None:
    """The source's values of fields the target has no value for; the target's win."""
    kept = CustomFieldValue.objects.filter(customer=target).values("field_id")
    (CustomFieldValue.objects.filter(customer=source).exclude(field_id__in=kept)
     .update(customer=target))


def _move_contacts(source: Customer, target: Customer) -> None:
    """A contact whose e-mail address the target already has a contact with is one person:
    the target's keeps its details and takes the ones it lacks; the others move."""
    theirs = {contact.email: contact for contact in Contact.objects.filter(customer=target)
              .exclude(email="")}
    twins = [contact for contact in Contact.objects.filter(customer=source).exclude(email="")
             if contact.email in theirs]
    for twin in twins:
        kept = theirs[twin.email]
        filled = [name for name in FILLED_CONTACT_DETAILS
                  if not getattr(kept, name) and getattr(twin, name)]
        if filled:
            for name in filled:
                setattr(kept, name, getattr(twin, name))
            kept.save(update_fields=filled)
    # The twins stay with the source and go with it.
    (Contact.objects.filter(customer=source).exclude(pk__in=[twin.pk for twin in twins])
     .update(customer=target))


def _move_files(source: Customer, target: Customer) -> None:
    """The source's files and folders (SPEC C9); a folder named like one of the target's is
    the same folder: its files join the target's, and it goes with the source."""
    from frontdesk.files.models import CustomerFile, Folder

    theirs = dict(Folder.objects.filter(customer=target).values_list("name", "pk"))
    for folder_id, name in Folder.objects.filter(customer=source).values_list("pk", "name"):
        if name in theirs:
            CustomerFile.objects.filter(folder_id=folder_id).update(folder_id=theirs[name])
        else:
            Folder.objects.filter(pk=folder_id).update(customer=target)
    CustomerFile.objects.filter(customer=source).update(customer=target)


@transaction.atomic
def merge_customers(*, source: Customer, target: Customer, by: User | None) -> Customer:
    """Merge the customer `source` into `target` and delete the source for good (SPEC C11).

    The target keeps its details and takes those it lacks from the source; it takes the
    source's contacts, custom values, notes, activities, tasks, quotes, invoices, ledger (with
    its balances), portal users (with their access links, so they see the target's requests
    from now on), customer managers, files and folders, and its portal terms if the target has
    none. An
    activity on the target records the merge. Both must be records of one organization, and
    two records (ValidationError).
    """
    from frontdesk.billing.ledger import move_account
    from frontdesk.billing.models import Invoice, Quote
    from frontdesk.portal.models import CustomerAccess, PortalUser
    from frontdesk.support.models import Task

    if source.organization_id != target.organization_id:
        raise ValidationError(_("Only customers of one organization can be merged."))
    if source.pk == target.pk:
        raise ValidationError(_("Choose another customer to merge with."))
    # Both rows locked, in the order of their ids (two merges of the same pair at once wait
    # for each other instead of deadlocking); read again, as they are now.
    locked = (Customer.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
              .order_by("pk").in_bulk())
    if len(locked) != 2:
        raise ValidationError(_("One of the customers no longer exists."))
    source, target = locked[source.pk], locked[target.pk]
    moves = what_moves(source)
    filled = _filled_details(target, source)
    _move_custom_values(source, target)
    _move_contacts(source, target)
    for model in (Note, Activity, Task, Quote, Invoice, PortalUser):
        model.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
    _move_portal_memberships(source, target)
    # The portal's terms (SPEC P10): the target's, or the source's where it has none.
    if not CustomerAccess.objects.filter(customer_id=target.pk).exists():
        CustomerAccess.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
    move_account(source_id=source.pk, target_id=target.pk)
    _move_files(source, target)
    target.managers.add(*source.managers.all())
    activity.record(customer=target, organization_id=target.organization_id,
                    kind=Activity.Kind.MERGED, by=by, name=source.short_name,
                    fields=filled, **moves.as_dict())
    source.delete()
    # Saved after the source is gone: its e-mail address may now be the target's.
    target.save()
    return target


def _move_portal_memberships(source: Customer, target: Customer) -> None:
    """The people acting for the source act for the target (SPEC X7), unless they do already
    (as a member, or as the target's own people, moved above); the links sent for the source
    land on the target."""
    from frontdesk.portal.models import AccessLink, PortalMembership, PortalUser

    PortalMembership.objects.filter(customer_id=source.pk).filter(
        portal_user_id__in=PortalMembership.objects.filter(customer_id=target.pk)
        .values("portal_user_id")).delete()
    PortalMembership.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
    PortalMembership.objects.filter(
        customer_id=target.pk,
        portal_user_id__in=PortalUser.objects.filter(customer_id=target.pk).values("pk"),
    ).delete()
    AccessLink.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
