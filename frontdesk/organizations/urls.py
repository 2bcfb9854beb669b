from django.urls import path

from frontdesk.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.choose, name="choose"),
    path("<str:org_slug>/", views.home, name="home"),
    path("<str:org_slug>/settings/", views.settings_index, name="settings"),
]
