from django.urls import path

from frontdesk.support import views

app_name = "support"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("notifications/", views.notifications, name="notifications"),
]
