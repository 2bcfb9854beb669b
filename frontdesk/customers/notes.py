"""Notes staff keep on a customer (SPEC C7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User
from frontdesk.customers import activity
from frontdesk.customers.models import Activity, Customer, Note


@transaction.atomic
@transaction.atomic
def add_note(*, customer: Customer, body: str, by: User | None) -> Note:
    """A note staff keep on the customer (SPEC C7); it shows among its activities."""
    if not body.strip():
        raise ValidationError({"body": _("Write the note first.")})
    note = Note.objects.create(organization_id=customer.organization_id, customer=customer,
                               author=by, body=body.strip())
    activity.record(customer=customer, organization_id=customer.organization_id,
                    kind=Activity.Kind.NOTE, by=by, text=note.body[:NOTE_SHOWN])
    return note


# What the activity line shows of a note; the note itself is kept whole.
NOTE_SHOWN = 500
