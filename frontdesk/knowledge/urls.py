from django.urls import path

from frontdesk.knowledge.views import staff

app_name = "knowledge"
urlpatterns = [
    path("", staff.article_list, name="articles"),
    path("new/", staff.article_new, name="article_new"),
    path("from-request/<int:task_id>/", staff.article_from_request, name="article_from_request"),
    path("<int:article_id>/", staff.article_edit, name="article_edit"),
    path("<int:article_id>/delete/", staff.article_delete, name="article_delete"),
    path("categories/<int:category_id>/remove/", staff.category_remove, name="category_remove"),
]
