from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _keep_search_index(using: str, **kwargs: Any) -> None:
    from frontdesk.customers import search_index

    search_index.ensure(connections[using])


def _keep_duplicate_counts(using: str, **kwargs: Any) -> None:
    from frontdesk.customers import duplicate_counts

    duplicate_counts.ensure(connections[using])


class CustomersConfig(AppConfig):
    name = "frontdesk.customers"
    label = "customers"

    def ready(self) -> None:
        # After every migrate: SQLite drops a table's triggers when it rebuilds the table.
        post_migrate.connect(_keep_search_index, sender=self,
                             dispatch_uid="customers_search_index")
        post_migrate.connect(_keep_duplicate_counts, sender=self,
                             dispatch_uid="customers_duplicate_counts")
