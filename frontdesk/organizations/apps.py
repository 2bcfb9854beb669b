from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "frontdesk.organizations"
    label = "organizations"
