from django.urls import path

from frontdesk.mail import inbound_views

app_name = "mail_inbound"
urlpatterns = [
    path("", inbound_views.inbound_settings, name="settings"),
    path("token/", inbound_views.inbound_token, name="token"),
    path("received/", inbound_views.inbound_log, name="log"),
    path("received/<int:inbound_id>/retry/", inbound_views.inbound_retry, name="retry"),
]
