from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "frontdesk.billing"
    label = "billing"
