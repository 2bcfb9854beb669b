"""Actions on customer records and finding customers (SPEC C1, C3, C5, C10). Their contacts'
actions are in contacts.py (C4), the custom fields' in custom_fields.py (C3), notes in notes.py
(C7), merging in merging.py (C11).

Views, the portal, imports and the API change customers only through these functions. Each one
validates its input the same way for every caller and raises `ValidationError` keyed by field
name (the names of the customer and contact forms; `CustomField.form_key` for custom values),
so a form can show every error next to its field, and nothing is saved (checks.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import EllipsisType

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.api import payloads, webhooks
from frontdesk.api.models import Event
from frontdesk.customers import activity, announce, search_index
from frontdesk.customers.checks import model_errors, raise_if
from frontdesk.customers.custom_fields import clean_custom_values, save_custom_values
from frontdesk.customers.merging import merge_customers as merge_customers
from frontdesk.customers.models import (
    Activity,
    Contact,
    Customer,
    CustomFieldValue,
)
from frontdesk.lib.inserts import new
from frontdesk.lib.prepared import prepared
from frontdesk.lib.search import search_terms
from frontdesk.mail.services import Email, queue_emails
from frontdesk.organizations.models import Organization
from frontdesk.organizations.queries import are_active_staff

# A search longer than this is cut: no name, phone or e-mail is longer, and the database
# should not be asked to match pages of pasted text.
MAX_QUERY_LENGTH = 100


def find_customer_by_email(*, organization: Organization, email: str) -> Customer | None:
    """The customer whose own e-mail, or one of whose contacts' e-mail, is `email` (SPEC P6).

    When several match, the customer's own address wins over a contact's, then the oldest
    record (the one staff have been working with longest).
    """
    email = normalize_email_address(email)
    if not email:
        return None
    found = _customer_with_email(organization.pk, email)
    return found[0] if found else None


# Asked on every public form submission from someone new: one statement, prepared once per
# process (lib/prepared.py). Each subquery is one look-up in its (organization, e-mail) index.
@prepared
def _customer_with_email(org_id: int, email: str) -> QuerySet[Customer]:
    own = (Customer.objects.for_org(org_id).filter(email=email)
           .order_by("id").values("pk")[:1])
    through_contact = (Contact.objects.for_org(org_id).filter(email=email)
                       .order_by("customer_id").values("customer_id")[:1])
    return Customer.objects.for_org(org_id).filter(
        pk=Coalesce(Subquery(own), Subquery(through_contact)))[:1]


def customers_matching(organization: Organization, query: str) -> Q:
    """Search by company name, contact name, phone and e-mail (SPEC C1), ignoring case and
    accents (lib/search.py)."""
    term, digits = search_terms(query, MAX_QUERY_LENGTH)
    return matching_customers(organization.pk, term, *search_shape(term, digits), digits)


def search_shape(term: str, digits: str | None) -> tuple[bool, bool]:
    """The shape of a search, `matching_customers`' `short` and `indexed`, worked out from the
    values outside the (prepared) query builder."""
    return len(term) < 3, search_index.covers(term, digits)


def matching_customers(org_id: int, term: str, short: bool, indexed: bool,
                       digits: str | None) -> Q:
    """The customers whose searched text, or one of whose contacts' searched text, contains
    the folded `term` (or the phone number's `digits`; see `search_terms`). Its shape is given
    (`short`: the term is under three characters; `indexed`: SQLite's trigram index answers it,
    see `search_index.covers`; whether there are `digits`) and it never looks at the values, so
    a prepared query can be built from it (customers.queries).

    A customer with several matching contacts is listed once. How the search is shaped is a
    matter of speed at 100k customers (the results are the same):
    - on PostgreSQL, from three characters on, each customer's text with its contacts' is one
      column (`search_all`, kept by triggers: migration 0008) with one trigram index;
    - on SQLite, from three characters on, the ids come from a UNION of the customers that
      match and the customers of the contacts that match. An `Exists` OR'd with the
      customer's own text cannot use an index and reads every customer of the organization;
    - shorter terms have no trigram to look up and tend to match many customers: there
      `Exists` is cheaper, because the first page fills after a few rows;
    - on SQLite, the ids of each half come from its FTS5 trigram index (customers.search_index)
      when it can answer the term, instead of a LIKE over every row.
    """
    connection = connections["default"]
    like = connection.ops.prep_for_like_query
    patterns = [f"%{like(term)}%"] + ([f"%{like(digits)}%"] if digits is not None else [])
    if indexed:
        # The SQL is fixed (search_index.ids_sql); the values are parameters.
        customer_ids = RawSQL(search_index.ids_sql("customers_customer",  # noqa: S611
                                                   len(patterns)), patterns)
        contact_ids = RawSQL(search_index.ids_sql("customers_contact",  # noqa: S611
                                                  len(patterns)), patterns)
        return Q(pk__in=Customer.objects.for_org(org_id).filter(pk__in=customer_ids)
                 .order_by().values("pk")
                 .union(Contact.objects.for_org(org_id).filter(pk__in=contact_ids)
                        .order_by().values("customer_id")))
    if not short and connection.vendor == "postgresql":
        # Each customer's text with its contacts', in one column with one trigram index
        # (migration 0008): one index scan, no union. The column is named with the table's
        # own name: the customers are read unaliased (the list's query). The SQL is fixed; the
        # values are parameters.
        column = f'{connection.ops.quote_name(Customer._meta.db_table)}."search_all"'
        return Q(RawSQL(" OR ".join([f"{column} LIKE %s"] * len(patterns)),  # noqa: S611
                        patterns, output_field=BooleanField()))
    found = Q(search_text__contains=term)
    if digits is not None:
        found |= Q(search_text__contains=digits)
    contacts = Contact.objects.for_org(org_id).filter(found).order_by()
    if short:
        return found | Q(Exists(contacts.filter(customer_id=OuterRef("pk"))))
    ids = (Customer.objects.for_org(org_id).filter(found).order_by().values("pk")
           .union(contacts.values("customer_id")))
    return Q(pk__in=ids)


def _check_customer(customer: Customer) -> dict[str, list[str]]:
    errors = model_errors(customer, exclude=["organization"])
    if customer.email and "email" not in errors:
        # P6 matches portal users to customers by e-mail: two customers with one address
        # would make that a guess.
        other = (Customer.objects.for_org(customer.organization).filter(email=customer.email)
                 .exclude(pk=customer.pk).order_by("id").first())
        if other is not None:
            errors["email"] = [_("The customer “%(name)s” already has this e-mail address.")
                               % {"name": other.short_name}]
    return errors


@transaction.atomic
def create_customer(*, organization: Organization, short_name: str, full_name: str = "",
                    email: str = "", phone: str = "",
                    custom_values: Mapping[int, str] | None = None,
                    support_until: dt.date | None = None,
                    by: User | None = None) -> Customer:
    """A new customer record (SPEC C3). `custom_values` maps custom field ids to values;
    `support_until` is the end of its support contract (SPEC P18), reminded before.

    The e-mail is stored lower-cased and may not be another customer's of the organization.
    """
    customer = Customer(
        organization=organization, short_name=short_name.strip(), full_name=full_name.strip(),
        email=normalize_email_address(email), phone=phone.strip(), support_until=support_until,
    )
    errors = _check_customer(customer)
    custom, custom_errors = clean_custom_values(organization, custom_values or {})
    raise_if(errors | custom_errors)
    with transaction.atomic():
        customer.save()
        save_custom_values(customer, custom)
        activity.record(customer=customer, organization_id=organization.pk,
                        kind=Activity.Kind.CREATED, by=by)
        _schedule_support_reminder(customer)
        announce.customer_created(customer)
    return customer


def new_requester_customer(*, organization: Organization, name: str, email: str) -> Customer:
    """The customer record for someone who writes in with an e-mail no customer has (SPEC
    P6), checked like `create_customer` but not saved: the public form does its reads and
    checks before its write transaction and saves the record inside it. The caller has just
    looked the e-mail up (`find_customer_by_email`), so it is not looked up again."""
    customer = new(Customer, organization=organization, short_name=name.strip()[:120],
                   email=normalize_email_address(email))
    raise_if(model_errors(customer, exclude=["organization"]))
    return customer


@transaction.atomic
def update_customer(*, customer: Customer, short_name: str | None = None,
                    full_name: str | None = None, email: str | None = None,
                    phone: str | None = None,
                    custom_values: Mapping[int, str] | None = None,
                    support_until: dt.date | EllipsisType | None = ...,
                    by: User | None = None) -> Customer:
    """Change a customer's details; what is not given (None) stays as it is, and so do custom
    fields missing from `custom_values` (an empty value clears one). `support_until` stays
    when not given (`...`); None clears it.

    Returns the updated record; the instance passed in is left untouched, so a page that
    shows errors still shows the saved name.
    """
    updated = (Customer.objects.select_related("organization").select_for_update(of=("self",))
               .get(pk=customer.pk))
    changes = {"short_name": short_name, "full_name": full_name, "phone": phone}
    for name, value in changes.items():
        if value is not None:
            setattr(updated, name, value.strip())
    if email is not None:
        updated.email = normalize_email_address(email)
    before_support = updated.support_until
    if not isinstance(support_until, EllipsisType):
        updated.support_until = support_until
    errors = _check_customer(updated)
    custom, custom_errors = clean_custom_values(updated.organization, custom_values or {})
    raise_if(errors | custom_errors)
    changed = [name for name in ("short_name", "full_name", "email", "phone")
               if getattr(updated, name) != getattr(customer, name)]
    if updated.support_until != before_support:
        changed.append("support_until")
        _schedule_support_reminder(updated)
    before = dict(CustomFieldValue.objects.filter(customer=updated)
                  .values_list("field_id", "value"))
    updated.save()
    save_custom_values(updated, custom)
    changed += [field.name for field, value in custom.items()
                if value != before.get(field.pk, "")]
    if changed:
        activity.record(customer=updated, organization_id=updated.organization_id,
                        kind=Activity.Kind.UPDATED, by=by, fields=changed)
        webhooks.emit(organization_id=updated.organization_id, event=Event.CUSTOMER_UPDATED,
                      data=lambda: {"customer": payloads.customer_json(updated.pk),
                                    "changes": changed})
    return updated


def _schedule_support_reminder(customer: Customer) -> None:
    """The support-period reminder for the customer's (new) date (SPEC P18), due when the
    organization's portal settings say."""
    from frontdesk.portal.reminders import schedule_customer

    schedule_customer(customer=customer)


class CustomerHasAccounts(ValidationError):
    pass


@transaction.atomic
def delete_customer(*, customer: Customer) -> None:
    """Delete a customer record for good (SPEC C10): its contacts, notes, activities, custom
    values, portal users and quotes go with it; its requests stay, without a customer. A
    customer with issued invoices or ledger entries stays: those are books that must add up
    (cancel and credit instead)."""
    from frontdesk.billing.models import Invoice, LedgerEntry

    if (LedgerEntry.objects.filter(customer=customer).exists()
            or Invoice.objects.filter(customer=customer, number__isnull=False).exists()):
        raise CustomerHasAccounts(_("This customer has invoices or an account: their books "
                                    "must stay, so the customer cannot be deleted."))
    from frontdesk.files.services import forget_stored_files_of

    with transaction.atomic():
        # Its files' rows go with it; what is stored of them, once that is committed.
        forget_stored_files_of(customer.pk)
        customer.delete()


@transaction.atomic
def set_customer_managers(*, customer: Customer, managers: Iterable[User],
                          by: User | None = None) -> None:
    """The customer's portal customer managers (SPEC C5). Everyone in `managers` must be
    active staff of the customer's organization, or nothing changes (ValidationError). Those
    newly named (but `by`) are told by e-mail."""
    wanted = {user.pk for user in managers}
    if not are_active_staff(customer.organization_id, wanted):
        raise ValidationError(_("Managers must be staff of this organization."))
    current = set(customer.managers.values_list("pk", flat=True))
    customer.managers.set(wanted)
    named = User.objects.filter(pk__in=wanted - current - {by.pk if by else 0})
    queue_emails([Email(kind="customers.manager_named", to=user.email,
                        organization=customer.organization,
                        language=user.language or customer.organization.language,
                        context={"customer_id": customer.pk, "user_id": user.pk})
                  for user in named.order_by("pk")])
