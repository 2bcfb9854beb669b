from django.urls import path

from frontdesk.portal import settings_views

app_name = "portal_settings"
urlpatterns = [
    path("", settings_views.portal_settings, name="settings"),
]
