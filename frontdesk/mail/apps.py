from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MailConfig(AppConfig):
    name = "frontdesk.mail"
    label = "mail"

    def ready(self) -> None:
        # Each app's emails.py registers the kinds of e-mail it sends.
        autodiscover_modules("emails")
