"""The customer list, the customer page, and creating and editing customers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.billing.queries import customer_billing
from frontdesk.customers import activity, custom_fields, duplicates, notes, queries, services
from frontdesk.customers.forms import (
    CustomerForm,
    InvitePortalUsersForm,
    ManagersForm,
    NoteForm,
    show_action_errors,
)
from frontdesk.customers.models import Activity, Customer
from frontdesk.lib.jinja_memo import FrozenDict
from frontdesk.lib.json_rows import JSONRows, datetime_of, rows_of
from frontdesk.lib.paging import keyset_cursors, keyset_link
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.models import Organization
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org
from frontdesk.portal.access_links import set_portal_access
from frontdesk.portal.invitations import invite_portal_users
from frontdesk.portal.models import PortalMembership, PortalUser, person_name
from frontdesk.portal.services import set_portal_modules


def posted(request: StaffRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def request_detail_url(organization: Organization, task_id: int) -> str | None:
    """The staff page of a task, or None while the support area has no such page."""
    try:
        return reverse("support:request_detail", args=(organization.slug, task_id))
    except NoReverseMatch:
        return None


def _tabs(quotes: object, invoices: object, balance: object, shared: object
          ) -> dict[str, bool]:
    # A portal person's tabs as the customer page lists them (SPEC P15); 0/1 from SQLite.
    return {"quotes": bool(quotes), "invoices": bool(invoices), "balance": bool(balance),
            "shared": bool(shared)}


def permissions_for(request: StaffRequest) -> dict[str, bool]:
    """What the page may offer: the actions themselves check again."""
    return {
        "can_contribute": has_level(request.membership, Area.CUSTOMERS, Level.CONTRIBUTE),
        "can_delete": has_level(request.membership, Area.CUSTOMERS, Level.EDIT),
        "is_admin": request.membership.is_admin,
    }


def _more_contacts(rows: tuple[Any, ...]) -> FrozenDict:
    """ "+2 more" by number of contacts, for those on the page with more than one (frozen: the
    page keeps its rows' HTML, {% memo %})."""
    counts = {row.contact_count for row in rows if row.contact_count > 1}
    return FrozenDict({count: ngettext("+%(num)s more", "+%(num)s more", count - 1)
                       % {"num": count - 1} for count in counts})


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.VIEW)
def customer_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:services.MAX_QUERY_LENGTH]
    before, after = keyset_cursors(request)
    page = queries.customer_page(request.org, query, before, after)
    return render(request, "customers/customer_list.html", {
        "page": page,
        "more_contacts": _more_contacts(page.object_list),
        "query": query,
        "previous_url": None if page.previous_before is None
        else keyset_link(request, "before", page.previous_before),
        "next_url": None if page.next_after is None
        else keyset_link(request, "after", page.next_after),
        "can_manage": has_level(request.membership, Area.CUSTOMERS, Level.MANAGE),
        **permissions_for(request),
    })


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def customer_new(request: StaffRequest) -> HttpResponse:
    fields = list(queries.custom_fields(request.org))
    form = CustomerForm(posted(request), custom_fields=fields)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = services.create_customer(
                organization=request.org, short_name=data["short_name"],
                full_name=data["full_name"], phone=data["phone"], email=data["email"],
                custom_values=form.custom_values(), support_until=data["support_until"],
                by=request.user,
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Customer “%(name)s” created.")
                             % {"name": customer.short_name})
            return redirect("customers:detail", request.org.slug, customer.pk)
    return render(request, "customers/customer_form.html", {
        "form": form, "customer": None, **permissions_for(request),
    })


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.VIEW)
def customer_detail(request: StaffRequest, customer_id: int) -> HttpResponse:
    # Its portal customer managers (name, e-mail) read with it (lib/json_rows.py).
    managers = JSONRows(Customer.managers.through.objects.filter(customer_id=OuterRef("pk"))
                        .order_by("user__full_name", "user_id"),
                        ("user__full_name", "user__email"))
    # And its portal users, with their last log-in (SPEC P9, P17).
    portal_users = JSONRows(PortalUser.objects.filter(customer_id=OuterRef("pk"))
                            .order_by("email", "pk"),
                            ("pk", "first_name", "last_name", "email", "last_login_at",
                             "is_active", "sees_quotes", "sees_invoices", "sees_balance",
                             "sees_shared"))
    # And the people of other customers acting for it (SPEC X7).
    members = JSONRows(PortalMembership.objects.filter(customer_id=OuterRef("pk"))
                       .order_by("portal_user__email", "pk"),
                       ("pk", "portal_user__first_name", "portal_user__last_name",
                        "portal_user__email", "portal_user__customer__short_name",
                        "portal_user__is_active", "sees_quotes", "sees_invoices",
                        "sees_balance", "sees_shared"))
    customer = get_for_org(Customer.objects.annotate(manager_rows=managers,
                                                     portal_user_rows=portal_users,
                                                     member_rows=members),
                           request.org, pk=customer_id)
    tasks = queries.customer_tasks(customer, request.membership)
    billing = customer_billing(customer, request.membership)
    recent = list(Activity.objects.filter(customer=customer)
                  .select_related("actor", "portal_actor").order_by("-id")
                  [:activity.ON_CUSTOMER_PAGE])
    return render(request, "customers/customer_detail.html", {
        "customer": customer,
        "custom_values": custom_fields.custom_values_of(customer,
                                                        queries.custom_fields(request.org)),
        "contacts": list(customer.contacts.all()),
        "managers": rows_of(customer.manager_rows),  # type: ignore[attr-defined]
        "portal_users": [
            (pk, person_name(first, last, email), email,
             datetime_of(last_login) if last_login else None, bool(active),
             _tabs(quotes, invoices, balance, shared))
            for pk, first, last, email, last_login, active, quotes, invoices, balance, shared
            in rows_of(customer.portal_user_rows)],  # type: ignore[attr-defined]
        "portal_members": [
            (pk, person_name(first, last, email), email, own_customer, bool(active),
             _tabs(quotes, invoices, balance, shared))
            for pk, first, last, email, own_customer, active, quotes, invoices, balance, shared
            in rows_of(customer.member_rows)],  # type: ignore[attr-defined]
        "can_manage": has_level(request.membership, Area.CUSTOMERS, Level.MANAGE),
        # Records that are probably this same company (SPEC C11): one statement.
        "duplicates": duplicates.probable_duplicates(customer),
        "key_labels": duplicates.KINDS,
        "tasks": tasks,
        "billing": billing,
        "activities": [(item, activity.sentence(item)) for item in recent],
        "note_form": NoteForm(),
        "can_bill": {"quotes": has_level(request.membership, Area.OFFERS, Level.CONTRIBUTE),
                     "invoices": has_level(request.membership, Area.LEDGER, Level.CONTRIBUTE)},
        "can_create_task": has_level(request.membership, Area.TASKS, Level.CONTRIBUTE),
        "task_urls": {task.pk: request_detail_url(request.org, task.pk)
                      for task in tasks.open + tasks.closed},
        **permissions_for(request),
    })


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def customer_managers(request: StaffRequest, customer_id: int) -> HttpResponse:
    """The customer's portal customer managers (SPEC C5)."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    form = ManagersForm(posted(request), organization=request.org, initial={
        "managers": list(customer.managers.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_customer_managers(customer=customer,
                                           managers=form.cleaned_data["managers"],
                                           by=request.user)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", request.org.slug, customer.pk)
    return render(request, "core/form_page.html", {
        "form": form, "heading": _("Portal customer managers"), "back_text": customer.short_name,
        "back_url": reverse("customers:detail", args=[request.org.slug, customer.pk])})


@require_POST
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def portal_access(request: StaffRequest, customer_id: int, portal_user_id: int
                  ) -> HttpResponse:
    """Revoke a portal user's access, or grant it again (SPEC P9)."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    portal_user = get_for_org(PortalUser.objects.all(), request.org, pk=portal_user_id,
                              customer=customer)
    active = request.POST.get("active") == "1"
    set_portal_access(portal_user=portal_user, active=active, by=request.user)
    messages.success(request, (_("%(email)s can use the portal again.") if active
                               else _("%(email)s can no longer use the portal."))
                     % {"email": portal_user.email})
    return redirect("customers:detail", request.org.slug, customer.pk)


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def portal_invite(request: StaffRequest, customer_id: int) -> HttpResponse:
    """Give people access to the customer's portal account, by e-mail (SPEC P8)."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    form = InvitePortalUsersForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = invite_portal_users(customer=customer, emails=form.addresses(),
                                       by=request.user)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            if done.invited:
                messages.success(request, _("Invited: %(list)s.")
                                 % {"list": ", ".join(done.invited)})
            if done.elsewhere:
                messages.error(request, _("Portal users of another customer, not invited: "
                                          "%(list)s.") % {"list": ", ".join(done.elsewhere)})
            if done.revoked:
                messages.error(request, _("Their access is revoked; grant it again first: "
                                          "%(list)s.") % {"list": ", ".join(done.revoked)})
            return redirect("customers:detail", request.org.slug, customer.pk)
    return render(request, "core/form_page.html", {
        "form": form, "heading": _("Invite people to the portal"),
        "back_text": customer.short_name,
        "back_url": reverse("customers:detail", args=[request.org.slug, customer.pk])},
        status=400 if form.is_bound else 200)


@require_POST
@staff_view(Area.CUSTOMERS, Level.MANAGE)
def portal_modules(request: StaffRequest, customer_id: int, portal_user_id: int
                   ) -> HttpResponse:
    """Which tabs of the portal a portal user may use (SPEC P15)."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    portal_user = get_for_org(PortalUser.objects.all(), request.org, pk=portal_user_id,
                              customer=customer)
    set_portal_modules(portal_user=portal_user, quotes="quotes" in request.POST,
                       invoices="invoices" in request.POST, balance="balance" in request.POST,
                       shared="shared" in request.POST)
    messages.success(request, _("The portal tabs of %(email)s are saved.")
                     % {"email": portal_user.email})
    return redirect("customers:detail", request.org.slug, customer.pk)


@require_POST
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def note_add(request: StaffRequest, customer_id: int) -> HttpResponse:
    """A note on the customer (SPEC C7)."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            notes.add_note(customer=customer, body=form.cleaned_data["body"],
                           by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note first."))
    return redirect("customers:detail", request.org.slug, customer.pk)


@require_POST
@staff_view(Area.CUSTOMERS, Level.EDIT)
def customer_delete(request: StaffRequest, customer_id: int) -> HttpResponse:
    """Delete a customer for good (SPEC C10); its requests stay."""
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    try:
        services.delete_customer(customer=customer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("customers:edit", request.org.slug, customer.pk)
    messages.success(request, _("The customer “%(name)s” is deleted.")
                     % {"name": customer.short_name})
    return redirect("customers:list", request.org.slug)


@require_http_methods(["GET"])
@staff_view(Area.CUSTOMERS, Level.VIEW)
def activity_list(request: StaffRequest) -> HttpResponse:
    """What happened to the organization's customers, newest first (SPEC C8)."""
    before, after = keyset_cursors(request)
    page = activity.activities(Activity.objects.for_org(request.org), before, after)
    return render(request, "customers/activity_list.html", {
        "page": page, "lines": {item.pk: activity.sentence(item) for item in page.items}})


@require_http_methods(["GET", "POST"])
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def customer_edit(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_for_org(Customer.objects.all(), request.org, pk=customer_id)
    fields = list(queries.custom_fields(request.org))
    initial = CustomerForm.initial_for(customer, custom_fields.custom_values_of(customer, fields))
    form = CustomerForm(posted(request), initial=initial, custom_fields=fields)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_customer(
                customer=customer, short_name=data["short_name"], full_name=data["full_name"],
                phone=data["phone"], email=data["email"], custom_values=form.custom_values(),
                support_until=data["support_until"], by=request.user,
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", request.org.slug, customer.pk)
    return render(request, "customers/customer_form.html", {
        "form": form, "customer": customer, **permissions_for(request),
    })
