"""What the customer register tells other systems: the `customer.created` webhook (api.webhooks)
for every customer record made, whoever made it (SPEC X1): staff and the API
(services.create_customer), a requester's new record (the public form, incoming e-mail, the
portal's sign-up, a request through the API: portal.services), the Excel import (transfers)."""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.api import payloads, webhooks
from frontdesk.api.models import Event
from frontdesk.customers.models import Customer


def customer_created(customer: Customer) -> None:
    """Inside the action that saved `customer`: its event, as it was saved."""
    webhooks.emit(organization_id=customer.organization_id, event=Event.CUSTOMER_CREATED,
                  data=lambda: {"customer": payloads.customer_json(customer.pk)})


def customers_created(organization_id: int, customers: Sequence[Customer]) -> None:
    """Inside an action that inserted many customers (an import): an event for each, made
    from the instances, with one read of the endpoints and the deliveries written in bulk."""
    webhooks.emit_each(organization_id=organization_id, event=Event.CUSTOMER_CREATED,
                       data=lambda: [{"customer": payloads.customer_json_of(customer)}
                                     for customer in customers])


def requester_customer_created(organization_id: int, customer_id: int) -> None:
    """From the worker's job about a new request whose requester's customer record was made
    with it (the public form, incoming e-mail): there, so that the form's submission does no
    webhook work (not even the look-up of the endpoints). Nothing when the record is gone in
    the meantime (merged into another)."""
    webhooks.emit_each(organization_id=organization_id, event=Event.CUSTOMER_CREATED,
                       data=lambda: [{"customer": payloads.customer_json_of(customer)}
                                     for customer in Customer.objects.filter(
                                         pk=customer_id, organization_id=organization_id)])
