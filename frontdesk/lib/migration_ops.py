"""Migration operations of our own."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState
from django.db.models import Field, Model


class DropForeignKeyIndex(migrations.AlterField):
    """`AlterField` for a foreign key whose only change is `db_index=False`: drops the
    column's own index, as PostgreSQL's schema editor does.

    SQLite's schema editor answers any altered field by copying the whole table into a new
    one: every row rewritten (minutes at a million rows) and the table's triggers lost (the
    assignments' open flag and the customers' search index are kept by triggers).
    """

    def _fields(self, app_label: str, from_state: ProjectState,
                to_state: ProjectState) -> tuple[type[Model], Field[Any, Any], Field[Any, Any]]:
        model = to_state.apps.get_model(app_label, self.model_name)
        old = from_state.apps.get_model(app_label, self.model_name)._meta.get_field(self.name)
        new = model._meta.get_field(self.name)
        if not (old.remote_field and old.db_index and not new.db_index
                and old.column == new.column):
            raise ValueError(f"{self.model_name}.{self.name}: only a foreign key's "
                             "db_index going False can be altered this way")
        return model, old, new

    def database_forwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor,
                          from_state: ProjectState, to_state: ProjectState) -> None:
        model, _, new = self._fields(app_label, from_state, to_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        table = model._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if (info["index"] and not info["unique"] and not info["primary_key"]
                    and info["columns"] == [new.column]):
                schema_editor.execute(
                    schema_editor._delete_index_sql(model, name))  # type: ignore[attr-defined]

    def database_backwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor,
                           from_state: ProjectState, to_state: ProjectState) -> None:
        model, old, _ = self._fields(app_label, to_state, from_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        schema_editor.execute(
            schema_editor._create_index_sql(model, fields=[old]))  # type: ignore[attr-defined]


class AddColumnInPlace(migrations.AddField):
    """`AddField` for a column with a constant default, neither unique nor a key: on SQLite an
    `ALTER TABLE … ADD COLUMN` that keeps the default in the schema (SQLite cannot drop it;
    Django always writes the column's value), where SQLite's schema editor would copy the
    whole table into a new one, with the cost and the lost triggers `DropForeignKeyIndex`
    tells of. Elsewhere the usual `AddField`."""

    def database_forwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor,
                          from_state: ProjectState, to_state: ProjectState) -> None:
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        field = model._meta.get_field(self.name)
        if (field.primary_key or field.unique or field.remote_field
                or schema_editor.effective_default(field) is None
                or callable(field.default)):
            raise ValueError(f"{self.model_name}.{self.name}: only a column with a constant "
                             "default, neither unique nor a key, is added this way")
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} ADD COLUMN "
            f"{schema_editor.quote_name(field.column)} {definition}", params or None)
