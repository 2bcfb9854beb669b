"""The outbox page: what the organization's e-mails became, and sending a failed one again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from frontdesk.lib.paging import keyset_page
from frontdesk.mail.models import OutboxMessage
from frontdesk.mail.services import retry_now
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.querysets import get_for_org

PER_PAGE = 25


@require_GET
@staff_view(admin_only=True)
def outbox(request: StaffRequest) -> HttpResponse:
    """The organization's e-mails, newest first (keyset pages over the (organization, -id)
    index). The context column is left out: it is for the worker, not for this page."""
    queryset = OutboxMessage.objects.for_org(request.org).defer("context")
    return render(request, "mail/outbox.html", {
        "page": keyset_page(queryset, request, per_page=PER_PAGE),
        "State": OutboxMessage.State,
    })


@require_POST
@staff_view(admin_only=True)
def retry(request: StaffRequest, message_id: int) -> HttpResponse:
    message = get_for_org(OutboxMessage.objects.all(), request.org, pk=message_id)
    if message.state != OutboxMessage.State.FAILED:
        messages.error(request, _("Only an e-mail that failed can be sent again."))
    else:
        retry_now(message)
        messages.success(request, _("The e-mail to %(to)s will be sent again in a moment.")
                         % {"to": message.to})
    return redirect("mail:outbox", request.org.slug)
