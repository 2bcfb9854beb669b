"""lib/migration_ops.AddColumnInPlace: the column is added to the table as it is (what only
the database knows of it stays: a table copied by SQLite's schema editor loses it), and the
rows there have its default."""

# The SQL names only this module's scratch table.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection, models
from django.db.migrations.state import ModelState, ProjectState
from django.test import TransactionTestCase

from frontdesk.lib.migration_ops import AddColumnInPlace

TABLE = "core_columnscratch"


class AddColumnInPlaceTests(TransactionTestCase):
    def setUp(self) -> None:
        self.state = ProjectState()
        self.state.add_model(ModelState("core", "ColumnScratch", [
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=20)),
        ]))
        with connection.schema_editor() as editor:
            editor.create_model(self.state.apps.get_model("core", "ColumnScratch"))
        with connection.cursor() as cursor:
            # Something of the table's that Django's models do not know of.
            cursor.execute(f"CREATE INDEX scratch_by_hand ON {TABLE} (name)")
            cursor.execute(f"INSERT INTO {TABLE} (name) VALUES ('before')")

    def tearDown(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {TABLE}")

    def add(self, operation: AddColumnInPlace) -> None:
        after = self.state.clone()
        operation.state_forwards("core", after)
        with connection.schema_editor() as editor:
            operation.database_forwards("core", editor, self.state, after)

    def test_the_column_is_added_with_its_default_and_the_table_keeps_the_rest(self) -> None:
        self.add(AddColumnInPlace("columnscratch", "severity",
                                  models.CharField(max_length=10, blank=True, default="")))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name, severity FROM {TABLE}")
            self.assertEqual(cursor.fetchall(), [("before", "")])
            constraints = connection.introspection.get_constraints(cursor, TABLE)
            columns = {column.name: column for column in
                       connection.introspection.get_table_description(cursor, TABLE)}
        self.assertIn("scratch_by_hand", constraints)
        self.assertFalse(columns["severity"].null_ok)

    def test_a_column_it_cannot_add_so_is_refused_before_anything_changes(self) -> None:
        if connection.vendor != "sqlite":
            # Elsewhere it is the usual AddField, which adds any column.
            self.add(AddColumnInPlace("columnscratch", "code",
                                      models.CharField(max_length=10, unique=True, null=True)))
            with connection.cursor() as cursor:
                names = [column.name for column in
                         connection.introspection.get_table_description(cursor, TABLE)]
            self.assertIn("code", names)
            return
        for field in (models.CharField(max_length=10, unique=True, default="x"),
                      models.CharField(max_length=10, null=True),
                      models.CharField(max_length=10, default=str)):
            with self.subTest(field=field), self.assertRaisesMessage(ValueError, "constant"):
                self.add(AddColumnInPlace("columnscratch", "code", field))
        with connection.cursor() as cursor:
            self.assertNotIn("code", [column.name for column in
                                      connection.introspection.get_table_description(
                                          cursor, TABLE)])
