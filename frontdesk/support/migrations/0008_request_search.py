"""The staff search over requests (SPEC T7; support/search_index.py): on SQLite, FTS5 indexes
kept by triggers; on PostgreSQL, GIN indexes of the text under a configuration that ignores
accents (the `unaccent` extension, which ships with PostgreSQL and is trusted since 13: the
database owner may create it)."""

from django.db import migrations

from frontdesk.support import search_index


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in search_index.pg_index_statements():
            schema_editor.execute(statement)
    else:
        search_index.ensure(connection)


def drop_indexes(apps, schema_editor):
    search_index.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("support", "0007_partial_person_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
