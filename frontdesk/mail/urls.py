from django.urls import path

from frontdesk.mail import views

app_name = "mail"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:message_id>/retry/", views.retry, name="retry"),
]
