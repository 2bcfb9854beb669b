"""No index repeats the start of another one: every index is written on each insert (on
SQLite a page of the write-ahead log each), and one whose columns begin another index serves
no query that the longer one does not."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.test import TestCase


def _indexes(table: str) -> list[tuple[str, tuple[str, ...], bool]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = []
    for name, info in constraints.items():
        if not info["index"] and not info["unique"]:
            continue  # checks and foreign keys
        if info["primary_key"] or not info["columns"] or None in info["columns"]:
            continue  # the table's own key, or an index on an expression
        if connection.vendor == "postgresql" and name.endswith("_like"):
            continue  # Django's pattern_ops index for LIKE 'abc%', which no other one serves
        found.append((name, tuple(info["columns"]), bool(info["unique"])))
    return found


class RedundantIndexTests(TestCase):
    def test_no_index_is_the_start_of_another(self) -> None:
        redundant = []
        # Our models; not the link tables Django makes for a many-to-many field without a
        # model of its own (it indexes their columns as it likes; they hold a few rows).
        tables = sorted({model._meta.db_table for model in apps.get_models()
                         if model.__module__.startswith("frontdesk.")
                         and not model._meta.proxy and model._meta.managed})
        self.assertIn("support_task", tables)
        for table in tables:
            indexes = _indexes(table)
            for name, columns, unique in indexes:
                if unique:
                    continue  # it enforces something
                for other, other_columns, _ in indexes:
                    if other != name and other_columns[:len(columns)] == columns \
                            and len(other_columns) >= len(columns):
                        redundant.append(f"{table}.{name} {columns} begins {other}")
                        break
        self.assertEqual(redundant, [], "\n".join(redundant))


class PartialPersonIndexTests(TestCase):
    """A post or event has a staff person or a portal user, never both, and the requests
    customers make have no creator: each of these columns is indexed only where it is set.
    Deleting the person (SET_NULL) must still find their rows through that index."""

    def test_the_set_null_of_a_deleted_person_reads_the_partial_index(self) -> None:
        from frontdesk.core.testing import query_plan
        from frontdesk.support.models import Post, Task, TaskEvent

        cases = [(Task, "creator", "task_creator"), (Post, "author", "post_author"),
                 (Post, "portal_author", "post_portal_author"),
                 (TaskEvent, "actor", "event_actor"),
                 (TaskEvent, "portal_actor", "event_portal_actor")]
        for model, field, index in cases:
            with self.subTest(index=index):
                # What Django's deletion collector asks for the rows to update.
                one = query_plan(model._default_manager.filter(**{f"{field}__in": [7]}))
                many = query_plan(model._default_manager.filter(**{f"{field}__in": [7, 8, 9]}))
                self.assertIn(index, one)
                self.assertIn(index, many)

    def test_each_index_holds_only_rows_that_have_the_person(self) -> None:
        # (table, column, its index: partial, or none at all)
        cases = [("support_task", "creator_id", "task_creator"),
                 ("support_post", "author_id", "post_author"),
                 ("support_post", "portal_author_id", "post_portal_author"),
                 ("support_post", "organization_id", None),
                 ("support_taskevent", "actor_id", "event_actor"),
                 ("support_taskevent", "portal_actor_id", "event_portal_actor"),
                 ("support_taskevent", "organization_id", None)]
        for table, column, index in cases:
            with self.subTest(table=table, column=column):
                on_column = {name for name, columns, _ in _indexes(table)
                             if columns == (column,)}
                self.assertEqual(on_column, {index} if index else set())
                if index is None:
                    continue
                with connection.cursor() as cursor:
                    if connection.vendor == "sqlite":
                        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [index])
                    else:
                        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                                       [index])
                    definition = cursor.fetchone()[0].replace('"', "").replace("(", "")
                self.assertIn(f"WHERE {column} IS NOT NULL", definition)
