"""The portal's shared files, under /p/<org_slug>/ (after the portal's own addresses)."""

from django.urls import path

from frontdesk.files.views import portal

app_name = "files_portal"
urlpatterns = [
    path("documents/", portal.documents, name="documents"),
    path("documents/<int:file_id>/", portal.document_download, name="download"),
]
