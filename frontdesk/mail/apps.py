from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


def _keep_inbound_sweep(using: str, **kwargs: Any) -> None:
    from frontdesk.mail import inbound_sweep

    inbound_sweep.start_after_migrate(using=using)


class MailConfig(AppConfig):
    name = "frontdesk.mail"
    label = "mail"

    def ready(self) -> None:
        # Each app's emails.py registers the kinds of e-mail it sends.
        autodiscover_modules("emails")
        # After every migrate (each start of `make serve`): the daily sweep of old incoming
        # e-mails runs where there is something to sweep (mail.inbound_sweep).
        post_migrate.connect(_keep_inbound_sweep, sender=self, dispatch_uid="mail_inbound_sweep")
