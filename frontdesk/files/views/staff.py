"""A customer's files for staff (SPEC C9): folders, upload, share with the customer, move,
delete. Reading needs the customers area; adding and sharing Contribute; deleting Edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from frontdesk.customers.forms import show_action_errors
from frontdesk.customers.models import Customer
from frontdesk.files import queries, services
from frontdesk.files.forms import FolderForm, UploadForm
from frontdesk.files.models import CustomerFile, Folder
from frontdesk.lib.files import download_response
from frontdesk.lib.paging import keyset_cursors
from frontdesk.organizations.access import StaffRequest, staff_view
from frontdesk.organizations.permissions import Area, Level, has_level
from frontdesk.organizations.querysets import get_for_org


def _customer(request: StaffRequest, customer_id: int) -> Customer:
    return get_for_org(Customer.objects.all(), request.org, pk=customer_id)


def _folder_of(customer: Customer, raw: str | None) -> Folder | None:
    if not raw or not raw.isdigit():
        return None
    return get_object_or_404(Folder, customer=customer, pk=int(raw))


def _page(request: StaffRequest, customer: Customer, upload: UploadForm,
          folder_form: FolderForm, status: int = 200) -> HttpResponse:
    folders = list(queries.folders_of(customer.pk))
    shown = _folder_of(customer, request.GET.get("folder"))
    before, after = keyset_cursors(request)
    return render(request, "files/customer_files.html", {
        "customer": customer, "folders": folders, "folder": shown,
        "folder_names": {folder.pk: folder.name for folder in folders},
        "page": queries.file_page(customer.pk, shown.pk if shown else None, before, after),
        "upload": upload, "folder_form": folder_form,
        "can_contribute": has_level(request.membership, Area.CUSTOMERS, Level.CONTRIBUTE),
        "can_delete": has_level(request.membership, Area.CUSTOMERS, Level.EDIT),
    }, status=status)


@require_GET
@staff_view(Area.CUSTOMERS, Level.VIEW)
def customer_files(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    folders = queries.folders_of(customer.pk)
    return _page(request, customer, UploadForm(folders=folders), FolderForm())


@require_POST
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def upload(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    form = UploadForm(request.POST, request.FILES, folders=queries.folders_of(customer.pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.add_customer_files(customer=customer, folder=data["folder"],
                                               files=data["attachments"], shared=data["shared"],
                                               by=request.user)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Files added: %(names)s.")
                             % {"names": ", ".join(item.name for item in made)})
            return redirect("files:customer_files", request.org.slug, customer.pk)
    return _page(request, customer, form, FolderForm(), status=400)


@require_POST
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def folder_new(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            services.create_folder(customer=customer, name=form.cleaned_data["name"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            return redirect("files:customer_files", request.org.slug, customer.pk)
    return _page(request, customer, UploadForm(folders=queries.folders_of(customer.pk)), form,
                 status=400)


@require_POST
@staff_view(Area.CUSTOMERS, Level.EDIT)
def folder_remove(request: StaffRequest, customer_id: int, folder_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    services.remove_folder(folder=get_object_or_404(Folder, customer=customer, pk=folder_id))
    messages.success(request, _("Folder removed; its files are now at the top."))
    return redirect("files:customer_files", request.org.slug, customer.pk)


def _file(customer: Customer, file_id: int) -> CustomerFile:
    return get_object_or_404(CustomerFile, customer=customer, pk=file_id)


@require_POST
@staff_view(Area.CUSTOMERS, Level.CONTRIBUTE)
def file_change(request: StaffRequest, customer_id: int, file_id: int) -> HttpResponse:
    """Share or unshare a file with the customer, or move it to another folder."""
    customer = _customer(request, customer_id)
    item = _file(customer, file_id)
    what = request.POST.get("do")
    if what in ("share", "unshare"):
        services.share_customer_file(item=item, shared=what == "share")
        messages.success(request, (_("“%(name)s” is shared with the customer.") if what == "share"
                                   else _("“%(name)s” is no longer shared with the customer."))
                         % {"name": item.name})
    elif what == "move":
        folder = _folder_of(customer, request.POST.get("folder"))
        services.move_customer_file(item=item, folder=folder)
    else:
        raise Http404
    return redirect("files:customer_files", request.org.slug, customer.pk)


@require_POST
@staff_view(Area.CUSTOMERS, Level.EDIT)
def file_delete(request: StaffRequest, customer_id: int, file_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    item = _file(customer, file_id)
    services.delete_customer_file(item=item)
    messages.success(request, _("“%(name)s” deleted.") % {"name": item.name})
    return redirect("files:customer_files", request.org.slug, customer.pk)


@require_GET
@staff_view(Area.CUSTOMERS, Level.VIEW)
def file_download(request: StaffRequest, customer_id: int, file_id: int) -> FileResponse:
    item = _file(_customer(request, customer_id), file_id)
    return download_response(item.file.open("rb"), item.name)
