from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _keep_open_flag(using: str, **kwargs: Any) -> None:
    from frontdesk.support import open_flag

    open_flag.ensure(connections[using])


def _keep_search_index(using: str, **kwargs: Any) -> None:
    from frontdesk.support import search_index

    search_index.ensure(connections[using])


class SupportConfig(AppConfig):
    name = "frontdesk.support"
    label = "support"

    def ready(self) -> None:
        from frontdesk.organizations.access import MEMBERSHIP_FIGURES
        from frontdesk.support.queries import unread_notifications_of_member

        MEMBERSHIP_FIGURES["unread_notifications"] = unread_notifications_of_member
        # After every migrate: SQLite drops a table's triggers when it rebuilds the table.
        post_migrate.connect(_keep_open_flag, sender=self,
                             dispatch_uid="support_assignment_open_flag")
        post_migrate.connect(_keep_search_index, sender=self,
                             dispatch_uid="support_search_index")
