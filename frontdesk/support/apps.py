from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "frontdesk.support"
    label = "support"
