"""The customers search reads one folded column per table (lib/search.py) instead of four
fields through `UPPER()`: the column is added, written for the rows there are, and on
PostgreSQL the trigram indexes of migration 0003 are replaced by one over the new column (on
SQLite, a b-tree holding it).

(At 2,000 customers PostgreSQL's planner read every customer and contact rather than use the
trigram indexes, and the `UPPER()` of each of their fields was 12 ms of every search.)
"""

from importlib import import_module

from django.db import migrations

import frontdesk.lib.search
from frontdesk.lib.search import searched_text

BATCH = 2_000


def _write(connection, model, fields, make):
    # executemany of one UPDATE by id: psycopg pipelines it, SQLite runs it in place; a
    # `bulk_update` builds a CASE over the whole batch (2 minutes for 300k rows, not 20 s).
    table = connection.ops.quote_name(model._meta.db_table)
    update = f"UPDATE {table} SET search_text = %s WHERE id = %s"  # noqa: S608 (our table)
    rows = model.objects.order_by("pk").values_list("pk", *fields)
    batch = []
    with connection.cursor() as cursor:
        for pk, *values in rows.iterator(chunk_size=BATCH):
            batch.append((make(*values), pk))
            if len(batch) == BATCH:
                cursor.executemany(update, batch)
                batch = []
        if batch:
            cursor.executemany(update, batch)


def write_search_text(apps, schema_editor):
    # The same fields as Customer.searched_text and Contact.searched_text (historical models
    # have none of the models' methods).
    connection = schema_editor.connection
    _write(connection, apps.get_model("customers", "Customer"),
           ["short_name", "full_name", "email", "phone"],
           lambda short_name, full_name, email, phone: searched_text(
               [short_name, full_name, email, phone], phones=[phone]))
    _write(connection, apps.get_model("customers", "Contact"),
           ["first_name", "last_name", "email", "phone"],
           lambda first_name, last_name, email, phone: searched_text(
               [f"{first_name} {last_name}", email, phone], phones=[phone]))


def drop_old_indexes(apps, schema_editor):
    # Before the rows are written: each update would otherwise go into them too.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_search_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS contact_search_trgm")


def restore_old_indexes(apps, schema_editor):
    import_module("frontdesk.customers.migrations.0003_search_trigram_indexes").create_indexes(
        apps, schema_editor)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # SQLite reads every row of the organization; from these indexes, which hold the
        # text, instead of from the tables (half the time). Not on PostgreSQL: its trigram
        # index answers, and a b-tree entry there may not be longer than a page's third.
        schema_editor.execute("CREATE INDEX IF NOT EXISTS customer_search_text "
                              "ON customers_customer (organization_id, search_text)")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS contact_search_text "
                              "ON customers_contact (organization_id, search_text, customer_id)")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS customer_search_text_trgm "
                              "ON customers_customer USING gin (search_text gin_trgm_ops)")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS contact_search_text_trgm "
                              "ON customers_contact USING gin (search_text gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS customer_search_text")
        schema_editor.execute("DROP INDEX IF EXISTS contact_search_text")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_search_text_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS contact_search_text_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0003_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="search_text",
            field=frontdesk.lib.search.SearchTextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="customer",
            name="search_text",
            field=frontdesk.lib.search.SearchTextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(drop_old_indexes, restore_old_indexes, elidable=False),
        migrations.RunPython(write_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
