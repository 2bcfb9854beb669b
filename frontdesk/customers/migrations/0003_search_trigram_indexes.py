"""Trigram indexes for the customer search (SPEC C1), on PostgreSQL only.

`customers.services.customers_matching` searches with case-insensitive "contains"
(`UPPER(col::text) LIKE UPPER('%…%')`), which no b-tree index can answer. On PostgreSQL a GIN
index of trigrams over exactly those expressions can: a search for three or more characters
then reads a few index pages instead of every customer and contact of the organization
(measured at 100k customers and 150k contacts: 3–60 ms instead of 150–300 ms).

pg_trgm ships with PostgreSQL (the contrib package) and is a trusted extension since
PostgreSQL 13, so the database owner may create it; on older servers a superuser has to run
`CREATE EXTENSION pg_trgm` once before migrating. Other databases (SQLite) get nothing here:
search works there too, by scanning.
"""

from django.db import migrations

CUSTOMER_INDEX = """
CREATE INDEX IF NOT EXISTS customer_search_trgm ON customers_customer USING gin (
    UPPER(short_name::text) gin_trgm_ops, UPPER(full_name::text) gin_trgm_ops,
    UPPER(email::text) gin_trgm_ops, UPPER(phone::text) gin_trgm_ops)
"""
CONTACT_INDEX = """
CREATE INDEX IF NOT EXISTS contact_search_trgm ON customers_contact USING gin (
    UPPER(first_name::text) gin_trgm_ops, UPPER(last_name::text) gin_trgm_ops,
    UPPER(email::text) gin_trgm_ops, UPPER(phone::text) gin_trgm_ops)
"""


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CUSTOMER_INDEX)
    schema_editor.execute(CONTACT_INDEX)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: something else may use it by now.
    schema_editor.execute("DROP INDEX IF EXISTS customer_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS contact_search_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0002_custom_fields_and_list_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
