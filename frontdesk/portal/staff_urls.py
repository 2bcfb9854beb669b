from django.urls import path

from frontdesk.portal import settings_views, terms_views

app_name = "portal_settings"
urlpatterns = [
    path("", settings_views.portal_settings, name="settings"),
    path("customers/<int:customer_id>/", terms_views.customer_terms, name="customer_terms"),
]
