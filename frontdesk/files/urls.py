from django.urls import path

from frontdesk.files.views import staff

app_name = "files"
urlpatterns = [
    path("customers/<int:customer_id>/", staff.customer_files, name="customer_files"),
    path("customers/<int:customer_id>/upload/", staff.upload, name="upload"),
    path("customers/<int:customer_id>/folders/", staff.folder_new, name="folder_new"),
    path("customers/<int:customer_id>/folders/<int:folder_id>/remove/", staff.folder_remove,
         name="folder_remove"),
    path("customers/<int:customer_id>/<int:file_id>/", staff.file_download, name="download"),
    path("customers/<int:customer_id>/<int:file_id>/change/", staff.file_change,
         name="file_change"),
    path("customers/<int:customer_id>/<int:file_id>/delete/", staff.file_delete,
         name="file_delete"),
]
