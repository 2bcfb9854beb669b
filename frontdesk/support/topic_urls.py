from django.urls import path

from frontdesk.support import topic_views

app_name = "topics"
urlpatterns = [
    path("new/", topic_views.topic_form, name="new"),
    path("<int:topic_id>/", topic_views.topic_form, name="edit"),
    path("<int:topic_id>/delete/", topic_views.topic_delete, name="delete"),
]
