from django.contrib import admin
from django.urls import include, path

from frontdesk.api import rest
from frontdesk.core import views as core_views
from frontdesk.mail import inbound_views

# Django tries the patterns in order, and each one tried before the match costs its test (an
# include that does not match raises and catches an exception): the pages of an organization,
# portal and staff, come first; no two patterns take one address (core/tests/test_urls.py).
urlpatterns = [
    path("", core_views.home, name="home"),
    # Customer side: the portal and the public support form (links customers keep: stable).
    path("p/<str:org_slug>/", include("frontdesk.portal.urls")),
    # Staff side: everything of an organization lives under /app/<org-slug>/.
    path("app/<str:org_slug>/requests/", include("frontdesk.support.urls")),
    path("app/<str:org_slug>/customers/", include("frontdesk.customers.urls")),
    path("app/<str:org_slug>/outbox/", include("frontdesk.mail.urls")),
    path("app/<str:org_slug>/settings/email/", include("frontdesk.mail.inbound_urls")),
    path("app/<str:org_slug>/settings/portal/", include("frontdesk.portal.staff_urls")),
    path("app/<str:org_slug>/settings/topics/", include("frontdesk.support.topic_urls")),
    path("app/<str:org_slug>/billing/", include("frontdesk.billing.urls")),
    path("p/<str:org_slug>/", include("frontdesk.billing.portal_urls")),
    path("app/<str:org_slug>/knowledge/", include("frontdesk.knowledge.urls")),
    path("app/<str:org_slug>/files/", include("frontdesk.files.urls")),
    path("p/<str:org_slug>/", include("frontdesk.knowledge.portal_urls")),
    path("p/<str:org_slug>/", include("frontdesk.files.portal_urls")),
    path("app/<str:org_slug>/settings/api/", include("frontdesk.api.staff_urls")),
    path("app/<str:org_slug>/settings/service-levels/",
         include("frontdesk.service_levels.urls")),
    path("app/", include("frontdesk.organizations.urls")),
    # Mail services post incoming e-mail here (SPEC E2), with the organization's secret.
    path("mail/inbound/<str:org_slug>/", inbound_views.receive, name="mail_inbound_receive"),
    path("", include("frontdesk.accounts.urls")),
    path("api/v1/", rest.api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]

handler400 = "frontdesk.core.views.bad_request"
handler403 = "frontdesk.core.views.permission_denied"
handler404 = "frontdesk.core.views.page_not_found"
handler500 = "frontdesk.core.views.server_error"
