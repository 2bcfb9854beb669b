"""The staff search on PostgreSQL reads tables of words kept by triggers instead of the GIN
indexes of migration 0008 (support/search_index.py: `pg_word_statements`), made from the rows
already there. Nothing on SQLite, whose FTS5 indexes stay."""

from django.db import migrations

from frontdesk.support import search_index


def create_word_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search_index.pg_word_statements():
            schema_editor.execute(statement)


def drop_word_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search_index.pg_drop_word_statements():
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("support", "0013_rating"),
    ]

    operations = [
        migrations.RunPython(create_word_tables, drop_word_tables, elidable=False),
    ]
