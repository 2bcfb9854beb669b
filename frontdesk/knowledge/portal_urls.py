"""The portal's FAQ, under /p/<org_slug>/ (after the portal's own addresses)."""

from django.urls import path

from frontdesk.knowledge.views import portal

app_name = "knowledge_portal"
urlpatterns = [
    path("faq/", portal.faq, name="faq"),
    path("faq/<int:article_id>/", portal.faq_article, name="article"),
]
