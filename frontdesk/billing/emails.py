"""E-mails of billing (SPEC E1): to the customer's people when a quote is sent or an invoice
issued, and to the staff member who made it when the customer answers. Built at delivery:
nothing goes out about a document its reader may no longer see."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from frontdesk.billing import visibility
from frontdesk.billing.models import Invoice, Quote
from frontdesk.lib.jinja import absolute_url, url
from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage
from frontdesk.organizations.queries import active_staff_member
from frontdesk.portal.auth import PortalViewer, viewer_outside_a_page
from frontdesk.portal.models import PortalSettings, PortalUser


def _reader(message: OutboxMessage) -> tuple[PortalViewer, PortalSettings] | None:
    """The portal user the e-mail is for, as a password viewer of their portal, if they
    still have access."""
    portal_user = (PortalUser.objects.select_related("organization")
                   .filter(pk=message.context["portal_user_id"], is_active=True,
                           organization_id=message.organization_id or 0)
                   .exclude(password="").first())
    portal_settings = PortalSettings.objects.filter(
        organization_id=message.organization_id or 0).first()
    if portal_user is None or portal_settings is None:
        return None
    # Not to a customer the portal is not open to (SPEC P10): the e-mail is a way into it;
    # for the customer the e-mail is about, where the person acts for several (SPEC X7).
    viewer = viewer_outside_a_page(portal_user, portal_settings=portal_settings,
                                   customer_id=message.context.get("customer_id"))
    if viewer is None:
        return None
    return viewer, portal_settings


def _to_customer(template: str, viewer: PortalViewer, portal_settings: PortalSettings,
                 page: str, document: Any, message: OutboxMessage) -> RenderedEmail:
    organization = viewer.portal_user.organization
    target = url(page, organization.slug, document.pk)
    query = {"next": target}
    if message.context.get("customer_id"):
        # To someone acting for this customer besides their own: log in acting for it (X7).
        query["customer"] = str(viewer.customer_id)
    login = absolute_url("portal:login", organization.slug) + "?" + urlencode(query)
    org_name = portal_settings.shown_name()
    return render_templates(template, {"portal_user": viewer.portal_user, "org_name": org_name,
                                       "document": document, "link": login},
                            from_name=org_name)


@email_kind("billing.quote_sent")
def quote_sent(message: OutboxMessage) -> RenderedEmail | None:
    """A quote to answer in the portal, to one of the customer's people."""
    reader = _reader(message)
    if reader is None or not visibility.tabs_shown(*reader)["quotes"]:
        return None
    quote = visibility.quotes_visible_to(reader[0]).filter(pk=message.context["quote_id"]).first()
    if quote is None:
        return None
    return _to_customer("billing_quote_sent", *reader, "billing_portal:quote", quote,
                        message)


@email_kind("billing.invoice_issued")
def invoice_issued(message: OutboxMessage) -> RenderedEmail | None:
    """A new invoice in the portal, to one of the customer's people."""
    reader = _reader(message)
    if reader is None or not visibility.tabs_shown(*reader)["invoices"]:
        return None
    invoice = (visibility.invoices_visible_to(reader[0])
               .filter(pk=message.context["invoice_id"]).first())
    if invoice is None:
        return None
    return _to_customer("billing_invoice_issued", *reader, "billing_portal:invoice", invoice,
                        message)


@email_kind("billing.customer_answered")
def customer_answered(message: OutboxMessage) -> RenderedEmail | None:
    """To the staff member who made a quote or an invoice: the customer accepted or declined
    it, approved or disputed it (with their reason)."""
    user = active_staff_member(message.organization_id, message.context["user_id"])
    if user is None:
        return None
    model: type[Quote] | type[Invoice] = (Quote if "quote_id" in message.context
                                          else Invoice)
    document = (model.objects.select_related("customer", "decided_by", "organization")
                .filter(pk=message.context.get("quote_id") or message.context.get("invoice_id"),
                        organization_id=message.organization_id or 0).first())
    if document is None:
        return None
    answer = message.context["answer"]
    names = {"customer": document.customer.short_name, "number": document.number,
             "title": document.title}
    sentence = {
        "accepted": _("%(customer)s accepted quote %(number)s, “%(title)s”."),
        "declined": _("%(customer)s declined quote %(number)s, “%(title)s”."),
        "approved": _("%(customer)s approved invoice %(number)s, “%(title)s”."),
        "disputed": _("%(customer)s disputes invoice %(number)s, “%(title)s”."),
    }[answer] % names
    reason = (document.dispute_reason if isinstance(document, Invoice) and answer == "disputed"
              else "")
    return render_templates("billing_customer_answered", {
        "user": user, "sentence": sentence, "reason": reason,
        "who": document.decided_by.full_name or document.decided_by.email
        if document.decided_by else "",
        "link": absolute_url("billing:quote" if isinstance(document, Quote)
                             else "billing:invoice", document.organization.slug, document.pk),
    })
