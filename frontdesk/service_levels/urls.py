from django.urls import path

from frontdesk.service_levels import views

app_name = "service_levels"
urlpatterns = [
    path("", views.service_levels, name="settings"),
    path("hours/", views.business_hours, name="business_hours"),
    path("updates/", views.due_updates, name="due_updates"),
    path("targets/", views.save_target, name="save_target"),
    path("targets/<int:target_id>/delete/", views.delete_target, name="delete_target"),
]
