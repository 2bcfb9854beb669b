from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # django-helpdesk's staff pages link to the admin (e.g. the submitter's user record).
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
