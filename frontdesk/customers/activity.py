"""A customer's activities (SPEC C8): the actions record them (`record`), the pages write
them in the reader's language (`sentence`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from frontdesk.customers.models import Activity, Customer
from frontdesk.lib.inserts import insert
from frontdesk.lib.paging import Page, keyset_query, page_of

Kind = Activity.Kind
ON_CUSTOMER_PAGE = 20


def record(*, customer: Customer | int, organization_id: int, kind: str, by: Any = None,
           by_portal_user: Any = None, **data: Any) -> None:
    """Note that `kind` happened to the customer (inside the action's transaction)."""
    customer_id = customer if isinstance(customer, int) else customer.pk
    insert([Activity(organization_id=organization_id, customer_id=customer_id, kind=kind,
                     actor=by, portal_actor=by_portal_user, data=data)])


def record_many(activities: Iterable[Activity]) -> None:
    insert(list(activities))


def _sentences() -> dict[str, str]:
    return {
        Kind.CREATED: _("Customer created"),
        Kind.UPDATED: _("Details changed: %(fields)s"),
        Kind.IMPORTED: _("Customer imported from a file"),
        Kind.NOTE: _("Note: %(text)s"),
        Kind.CONTACT_ADDED: _("Contact added: %(name)s"),
        Kind.PORTAL_INVITED: _("Invited to the portal: %(email)s"),
        Kind.PORTAL_ACCESS: _("Portal access of %(email)s: %(state)s"),
        Kind.QUOTE_CREATED: _("Quote %(number)s made: %(title)s"),
        Kind.QUOTE_SENT: _("Quote %(number)s sent"),
        Kind.QUOTE_ANSWERED: _("Quote %(number)s %(answer)s"),
        Kind.INVOICE_ISSUED: _("Invoice %(number)s issued"),
        Kind.INVOICE_ANSWERED: _("Invoice %(number)s %(answer)s"),
        Kind.PAYMENT: _("Payment of %(amount)s for invoice %(number)s"),
        Kind.INVOICE_CANCELLED: _("Invoice %(number)s cancelled"),
        Kind.MERGED: _("“%(name)s” merged into this customer: its records moved here"),
        Kind.TASK_LINKED: _("Task #%(task)s tagged with this customer: %(title)s"),
        Kind.TASK_UNLINKED: _("Task #%(task)s moved to another customer: %(title)s"),
        Kind.QUOTE_LINKED: _("Quote %(number)s addressed to this customer: %(title)s"),
        Kind.QUOTE_UNLINKED: _("Quote %(number)s addressed to another customer: %(title)s"),
        Kind.SUPPORT_REMINDED: _("Support-period reminder sent to %(emails)s"),
    }


def _answers() -> dict[str, str]:
    return {"accepted": _("accepted"), "declined": _("declined"), "approved": _("approved"),
            "disputed": _("disputed"), "granted": _("granted"), "revoked": _("revoked")}


def _record_labels() -> dict[str, str]:
    return {name: capfirst(str(getattr(Customer._meta.get_field(name), "verbose_name", name)))
            for name in ("short_name", "full_name", "email", "phone", "support_until")}


def sentence(activity: Activity, field_labels: dict[str, str] | None = None) -> str:
    """The activity as a line, in the active language."""
    data = dict(activity.data)
    answers = _answers()
    for key in ("answer", "state"):
        if key in data:
            data[key] = answers.get(data[key], data[key])
    if "fields" in data:
        labels = field_labels or _record_labels()
        data["fields"] = ", ".join(labels.get(name, name) for name in data["fields"])
    try:
        return _sentences()[activity.kind] % data
    except (KeyError, TypeError, ValueError):
        return str(activity.kind)


def activities(rows: QuerySet[Activity], before: int | None, after: int | None) -> Page[Any]:
    """A page of activities, newest first, with who did it and the customer's name."""
    return page_of(list(keyset_query(
        rows.select_related("actor", "portal_actor", "customer").only(
            "pk", "kind", "data", "created_at", "customer_id", "customer__short_name",
            "actor__full_name", "actor__email", "portal_actor__first_name",
            "portal_actor__last_name", "portal_actor__email"), before, after)), before, after)
