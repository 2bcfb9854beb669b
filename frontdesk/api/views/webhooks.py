"""Settings → Webhooks: the organization's endpoints and their deliveries (SPEC X1). They
send support and customer data out: Manage in both areas is needed."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.api.forms import EndpointForm
from frontdesk.api.models import WebhookDelivery, WebhookEndpoint
from frontdesk.api.services import (
    delete_webhook_endpoint,
    save_webhook_endpoint,
    send_delivery_again,
)
from frontdesk.api.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER
from frontdesk.customers.forms import show_action_errors
from frontdesk.lib.paging import keyset_page
from frontdesk.organizations.access import StaffRequest, StaffView, require, staff_view
from frontdesk.organizations.permissions import Area, Level
from frontdesk.organizations.querysets import get_for_org

DELIVERIES_PER_PAGE = 25


def _manage(view: StaffView) -> StaffView:
    """`staff_view` demanding Manage in support (the decorator) and in customers (inside)."""

    @functools.wraps(view)
    def checked(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require(request, Area.CUSTOMERS, Level.MANAGE)
        return view(request, *args, **kwargs)

    return staff_view(Area.SUPPORT, Level.MANAGE)(checked)


def _save(request: StaffRequest, form: EndpointForm, endpoint: WebhookEndpoint | None
          ) -> WebhookEndpoint | None:
    if not form.is_valid():
        return None
    try:
        return save_webhook_endpoint(
            organization=request.org, url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            include_internal_posts=form.cleaned_data["include_internal_posts"],
            is_active=form.cleaned_data["is_active"], endpoint=endpoint)
    except ValidationError as error:
        show_action_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
@_manage
def endpoint_list(request: StaffRequest) -> HttpResponse:
    form = EndpointForm(request.POST if request.method == "POST" else None,
                        initial={"is_active": True})
    if request.method == "POST":
        endpoint = _save(request, form, None)
        if endpoint is not None:
            messages.success(request, _("Endpoint added. Its secret is on its page."))
            return redirect("api_settings:webhook", request.org.slug, endpoint.pk)
    return render(request, "api/webhooks.html", {
        "endpoints": list(WebhookEndpoint.objects.for_org(request.org).order_by("id")),
        "form": form,
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@_manage
def endpoint_detail(request: StaffRequest, endpoint_id: int) -> HttpResponse:
    """An endpoint: its settings and secret, and its deliveries, newest first."""
    endpoint = get_for_org(WebhookEndpoint.objects.all(), request.org, pk=endpoint_id)
    form = EndpointForm(request.POST if request.method == "POST" else None, initial={
        "url": endpoint.url, "events": endpoint.events,
        "include_internal_posts": endpoint.include_internal_posts,
        "is_active": endpoint.is_active})
    if request.method == "POST" and _save(request, form, endpoint) is not None:
        messages.success(request, _("Endpoint saved."))
        return redirect("api_settings:webhook", request.org.slug, endpoint.pk)
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).defer("body")
    return render(request, "api/webhook.html", {
        "endpoint": endpoint, "form": form,
        "page": keyset_page(deliveries, request, per_page=DELIVERIES_PER_PAGE),
        "State": WebhookDelivery.State,
        "signature_header": SIGNATURE_HEADER, "timestamp_header": TIMESTAMP_HEADER,
    }, status=400 if form.is_bound else 200)


@require_POST
@_manage
def endpoint_delete(request: StaffRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_for_org(WebhookEndpoint.objects.all(), request.org, pk=endpoint_id)
    delete_webhook_endpoint(endpoint=endpoint)
    messages.success(request, _("Endpoint deleted."))
    return redirect("api_settings:webhooks", request.org.slug)


@require_POST
@_manage
def delivery_again(request: StaffRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    delivery = get_for_org(WebhookDelivery.objects.filter(endpoint_id=endpoint_id),
                           request.org, pk=delivery_id)
    if send_delivery_again(delivery=delivery):
        messages.success(request, _("The delivery will be sent again in a moment."))
    else:
        messages.error(request, _("This delivery is still being sent."))
    return redirect("api_settings:webhook", request.org.slug, endpoint_id)
