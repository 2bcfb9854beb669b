"""On SQLite, trigram (FTS5) indexes of the customers' and contacts' searched text, kept by
triggers (customers/search_index.py). Nothing on PostgreSQL, whose trigram indexes come from
0004."""

from django.db import migrations

from frontdesk.customers import search_index


def create_indexes(apps, schema_editor):
    search_index.ensure(schema_editor.connection)


def drop_indexes(apps, schema_editor):
    search_index.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0004_search_text"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
