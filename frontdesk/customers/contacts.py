"""Actions on the people of a customer record (SPEC C4): add, change and remove contacts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.customers import activity
from frontdesk.customers.checks import model_errors, raise_if
from frontdesk.customers.models import Activity, Contact, Customer


def _check_contact(contact: Contact) -> dict[str, list[str]]:
    errors = model_errors(contact, exclude=["organization", "customer"])
    if contact.email and "email" not in errors:
        other = (Contact.objects.filter(customer_id=contact.customer_id, email=contact.email)
                 .exclude(pk=contact.pk).first())
        if other is not None:
            errors["email"] = [_("%(name)s already has this e-mail address on this customer.")
                               % {"name": other.full_name}]
    return errors


@transaction.atomic
def add_contact(*, customer: Customer, first_name: str, last_name: str = "", email: str = "",
                phone: str = "", position: str = "", by: User | None = None) -> Contact:
    """A new person on a customer record (SPEC C4); e-mail stored lower-cased and unique
    among the customer's contacts."""
    contact = Contact(
        organization_id=customer.organization_id, customer=customer,
        first_name=first_name.strip(), last_name=last_name.strip(),
        email=normalize_email_address(email), phone=phone.strip(), position=position.strip(),
    )
    raise_if(_check_contact(contact))
    contact.save()
    activity.record(customer=customer, organization_id=customer.organization_id,
                    kind=Activity.Kind.CONTACT_ADDED, by=by, name=contact.full_name)
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, first_name: str | None = None,
                   last_name: str | None = None, email: str | None = None,
                   phone: str | None = None, position: str | None = None) -> Contact:
    """Change a contact; what is not given (None) stays. Returns the updated record and leaves
    the instance passed in untouched."""
    updated = Contact.objects.select_for_update().get(pk=contact.pk)
    changes = {"first_name": first_name, "last_name": last_name, "phone": phone,
               "position": position}
    for name, value in changes.items():
        if value is not None:
            setattr(updated, name, value.strip())
    if email is not None:
        updated.email = normalize_email_address(email)
    raise_if(_check_contact(updated))
    updated.save()
    return updated


def remove_contact(*, contact: Contact) -> None:
    """Delete a person from a customer record (an Edit-level change)."""
    contact.delete()
