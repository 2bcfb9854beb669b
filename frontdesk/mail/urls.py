from django.urls import path

from frontdesk.mail import views

app_name = "mail"
urlpatterns = [
    path("", views.outbox, name="outbox"),
]
