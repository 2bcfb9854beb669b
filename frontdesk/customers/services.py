"""Actions on customers and their contacts."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from frontdesk.accounts.models import normalize_email_address
from frontdesk.customers.models import Contact, Customer
from frontdesk.organizations.models import Organization


def find_customer_by_email(*, organization: Organization, email: str) -> Customer | None:
    """The customer whose own e-mail, or one of whose contacts' e-mail, is `email` (SPEC P6).

    When several match, the customer's own address wins over a contact's, then the oldest
    record (the one staff have been working with longest).
    """
    email = normalize_email_address(email)
    if not email:
        return None
    own = Customer.objects.for_org(organization).filter(email=email).order_by("id").first()
    if own is not None:
        return own
    contact = (Contact.objects.for_org(organization).filter(email=email)
               .select_related("customer").order_by("customer_id").first())
    return contact.customer if contact is not None else None


@transaction.atomic
def create_customer(*, organization: Organization, short_name: str, full_name: str = "",
                    email: str = "", phone: str = "") -> Customer:
    return Customer.objects.create(
        organization=organization, short_name=short_name.strip(), full_name=full_name.strip(),
        email=normalize_email_address(email), phone=phone.strip(),
    )


@transaction.atomic
def add_contact(*, customer: Customer, first_name: str, last_name: str = "", email: str = "",
                phone: str = "", position: str = "") -> Contact:
    return Contact.objects.create(
        organization_id=customer.organization_id, customer=customer,
        first_name=first_name.strip(), last_name=last_name.strip(),
        email=normalize_email_address(email), phone=phone.strip(), position=position.strip(),
    )


def customers_matching(organization: Organization, query: str) -> Q:
    """Search by company name, contact name, phone and e-mail (SPEC C1)."""
    query = query.strip()
    return (Q(short_name__icontains=query) | Q(full_name__icontains=query)
            | Q(email__icontains=query) | Q(phone__icontains=query)
            | Q(contacts__first_name__icontains=query) | Q(contacts__last_name__icontains=query)
            | Q(contacts__email__icontains=query))
