"""E-mails to staff about customers."""

from __future__ import annotations

from frontdesk.customers.models import Customer
from frontdesk.lib.jinja import absolute_url
from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.queries import active_staff_member


@email_kind("customers.manager_named")
def manager_named(message: OutboxMessage) -> RenderedEmail | None:
    """To a staff member named portal customer manager (SPEC C5), while they still are one
    and still staff."""
    user = active_staff_member(message.organization_id, message.context["user_id"])
    if user is None:
        return None
    customer = (Customer.objects.select_related("organization")
                .filter(pk=message.context["customer_id"], managers=user,
                        organization_id=message.organization_id or 0).first())
    if customer is None:
        return None
    return render_templates("customer_manager_named", {
        "user": user, "customer": customer, "organization": customer.organization,
        "link": absolute_url("customers:detail", customer.organization.slug, customer.pk),
    })
