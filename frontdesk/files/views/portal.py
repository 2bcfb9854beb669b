"""The files staff shared with the customer, in its portal (SPEC P16): for its people signed in
with a password (a link reaches only its person's requests), where the organization shows
them."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from frontdesk.files.models import CustomerFile
from frontdesk.files.queries import shared_file_page
from frontdesk.lib.files import download_response
from frontdesk.lib.paging import keyset_cursors
from frontdesk.portal.access import SignedInPortalRequest, portal_view
from frontdesk.portal.auth import PortalViewer, shared_work_shown
from frontdesk.portal.models import PortalSettings


def documents_shown(viewer: PortalViewer | None, portal_settings: PortalSettings) -> bool:
    """Whether the viewer has the tab of shared files: the module of shared work."""
    return shared_work_shown(viewer, portal_settings)


def _check(request: SignedInPortalRequest) -> None:
    if not documents_shown(request.viewer, request.portal_settings):
        raise Http404


@require_GET
@portal_view()
def documents(request: SignedInPortalRequest) -> HttpResponse:
    _check(request)
    person = request.viewer.portal_user
    before, after = keyset_cursors(request)
    return render(request, "files/portal_documents.html", {
        "page": shared_file_page(person.organization_id, person.customer_id, before, after)})


@require_GET
@portal_view()
def document_download(request: SignedInPortalRequest, file_id: int) -> FileResponse:
    _check(request)
    person = request.viewer.portal_user
    item = get_object_or_404(CustomerFile.objects.for_org(person.organization_id).shared(),
                             customer_id=person.customer_id, pk=file_id)
    return download_response(item.file.open("rb"), item.name)
