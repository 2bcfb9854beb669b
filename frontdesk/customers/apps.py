from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "frontdesk.customers"
    label = "customers"
