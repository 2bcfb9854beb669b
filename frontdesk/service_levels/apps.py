from django.apps import AppConfig


class ServiceLevelsConfig(AppConfig):
    name = "frontdesk.service_levels"
    label = "service_levels"
