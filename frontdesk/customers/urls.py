from django.urls import path

from frontdesk.customers.views import contacts, customers, fields, merge, preview, transfers

app_name = "customers"
urlpatterns = [
    path("", customers.customer_list, name="list"),
    path("new/", customers.customer_new, name="new"),
    path("duplicates/", merge.duplicate_list, name="duplicates"),
    path("<int:customer_id>/merge/", merge.customer_merge, name="merge"),
    path("<int:customer_id>/preview/", preview.customer_preview, name="preview"),
    path("<int:customer_id>/", customers.customer_detail, name="detail"),
    path("<int:customer_id>/edit/", customers.customer_edit, name="edit"),
    path("<int:customer_id>/managers/", customers.customer_managers, name="managers"),
    path("<int:customer_id>/portal-users/<int:portal_user_id>/access/",
         customers.portal_access, name="portal_access"),
    path("<int:customer_id>/portal-users/invite/", customers.portal_invite,
         name="portal_invite"),
    path("<int:customer_id>/portal-users/<int:portal_user_id>/tabs/",
         customers.portal_modules, name="portal_modules"),
    path("<int:customer_id>/contacts/new/", contacts.contact_new, name="contact_new"),
    path("<int:customer_id>/contacts/<int:contact_id>/edit/", contacts.contact_edit,
         name="contact_edit"),
    path("<int:customer_id>/contacts/<int:contact_id>/remove/", contacts.contact_remove,
         name="contact_remove"),
    path("export/", transfers.export_start, name="export"),
    path("import/", transfers.import_start, name="import"),
    path("transfers/<int:transfer_id>/", transfers.transfer_page, name="transfer"),
    path("transfers/<int:transfer_id>/import/", transfers.import_confirm, name="import_confirm"),
    path("transfers/<int:transfer_id>/download/", transfers.export_download, name="download"),
    path("activity/", customers.activity_list, name="activity"),
    path("<int:customer_id>/notes/", customers.note_add, name="note_add"),
    path("<int:customer_id>/delete/", customers.customer_delete, name="delete"),
    path("fields/", fields.custom_fields, name="fields"),
    path("fields/<int:field_id>/rename/", fields.custom_field_rename, name="field_rename"),
    path("fields/<int:field_id>/remove/", fields.custom_field_remove, name="field_remove"),
]
