from django.urls import path

from frontdesk.billing.views import invoices, ledger, quotes

app_name = "billing"
urlpatterns = [
    path("quotes/", quotes.quote_list, name="quotes"),
    path("quotes/new/", quotes.quote_new, name="quote_new"),
    path("quotes/<int:quote_id>/", quotes.quote_detail, name="quote"),
    path("quotes/<int:quote_id>/edit/", quotes.quote_edit, name="quote_edit"),
    path("quotes/<int:quote_id>/customer/", quotes.quote_customer, name="quote_customer"),
    path("quotes/<int:quote_id>/send/", quotes.quote_send, name="quote_send"),
    path("quotes/<int:quote_id>/decide/", quotes.quote_decide, name="quote_decide"),
    path("quotes/<int:quote_id>/invoice/", quotes.quote_invoice, name="quote_invoice"),
    path("invoices/", invoices.invoice_list, name="invoices"),
    path("invoices/new/", invoices.invoice_new, name="invoice_new"),
    path("invoices/<int:invoice_id>/", invoices.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/edit/", invoices.invoice_edit, name="invoice_edit"),
    path("invoices/<int:invoice_id>/issue/", invoices.invoice_issue, name="invoice_issue"),
    path("invoices/<int:invoice_id>/payment/", invoices.invoice_payment,
         name="invoice_payment"),
    path("invoices/<int:invoice_id>/cancel/", invoices.invoice_cancel, name="invoice_cancel"),
    path("accounts/<int:customer_id>/", ledger.customer_account, name="account"),
    path("accounts/<int:customer_id>/entry/", ledger.account_entry, name="account_entry"),
    path("settings/", ledger.billing_settings, name="settings"),
]
