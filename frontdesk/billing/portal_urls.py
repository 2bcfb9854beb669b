"""The portal's billing tabs, under /p/<org_slug>/ (after the portal's own addresses)."""

from django.urls import path

from frontdesk.billing.views import portal

app_name = "billing_portal"
urlpatterns = [
    path("quotes/", portal.quote_list, name="quotes"),
    path("quotes/<int:quote_id>/", portal.quote_detail, name="quote"),
    path("quotes/<int:quote_id>/answer/", portal.quote_answer, name="quote_answer"),
    path("invoices/", portal.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", portal.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/approve/", portal.invoice_approve, name="invoice_approve"),
    path("invoices/<int:invoice_id>/dispute/", portal.invoice_dispute, name="invoice_dispute"),
    path("balance/", portal.balance, name="balance"),
]
