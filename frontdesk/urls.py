from django.contrib import admin
from django.urls import include, path

from frontdesk.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("frontdesk.accounts.urls")),
    # Staff side: everything of an organization lives under /app/<org-slug>/.
    path("app/", include("frontdesk.organizations.urls")),
    path("app/<str:org_slug>/requests/", include("frontdesk.support.urls")),
    path("app/<str:org_slug>/customers/", include("frontdesk.customers.urls")),
    path("app/<str:org_slug>/outbox/", include("frontdesk.mail.urls")),
    path("app/<str:org_slug>/settings/portal/", include("frontdesk.portal.staff_urls")),
    path("app/<str:org_slug>/settings/topics/", include("frontdesk.support.topic_urls")),
    # Customer side: the portal and the public support form (links customers keep: stable).
    path("p/<str:org_slug>/", include("frontdesk.portal.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "frontdesk.core.views.bad_request"
handler403 = "frontdesk.core.views.permission_denied"
handler404 = "frontdesk.core.views.page_not_found"
handler500 = "frontdesk.core.views.server_error"
