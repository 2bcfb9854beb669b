from django.urls import path

from frontdesk.api.views import tokens, webhooks

app_name = "api_settings"
urlpatterns = [
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("webhooks/", webhooks.endpoint_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", webhooks.endpoint_detail, name="webhook"),
    path("webhooks/<int:endpoint_id>/delete/", webhooks.endpoint_delete, name="webhook_delete"),
    path("webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/again/",
         webhooks.delivery_again, name="delivery_again"),
]
