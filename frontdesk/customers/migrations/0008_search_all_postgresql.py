"""On PostgreSQL, each customer's searched text together with its contacts' (`search_all`),
kept by triggers, with one trigram index: a search reads one index instead of two.

A search finds the customers whose own searched text, or one of whose contacts' searched text,
contains the term. It was the union of two trigram index scans, of the customers and of the
contacts; an e-mail address has some twenty trigrams, and the contacts' common ones (the words
of a domain all of them share) have as many entries as there are contacts. Measured at 2,000
customers and 4,125 contacts: the contacts' scan alone took 0.55 ms; the same search in one
column per customer with its contacts, 0.27 ms.

The column is not a field of the model: Django never writes it. Triggers keep it:
- a customer's, when it is inserted or its searched text is written: its own text, then its
  contacts' (`customers_search_all`);
- a contact's insert, deletion, or change of customer or searched text writes its customer's
  again (both customers', when a contact moves).
Each text keeps its fields on lines of their own, so a term never matches across two fields or
two people (lib/search.py). SQLite keeps its own trigram (FTS5) indexes (0005).
"""

from django.db import migrations

FORWARDS = r"""
ALTER TABLE customers_customer ADD COLUMN search_all text NOT NULL DEFAULT '';

CREATE FUNCTION customers_search_all(customer bigint, own text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT own || coalesce(E'\n' || (SELECT string_agg(contact.search_text, E'\n'
                                                       ORDER BY contact.id)
                                     FROM customers_contact contact
                                     WHERE contact.customer_id = customer), '')
$$;

CREATE FUNCTION customers_customer_search_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_all := customers_search_all(NEW.id, NEW.search_text);
    RETURN NEW;
END
$$;

CREATE TRIGGER customers_customer_search_all
    BEFORE INSERT OR UPDATE OF search_text ON customers_customer
    FOR EACH ROW EXECUTE FUNCTION customers_customer_search_all();

CREATE FUNCTION customers_contact_search_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.customer_id = OLD.customer_id
            AND NEW.search_text IS NOT DISTINCT FROM OLD.search_text THEN
        RETURN NULL;
    END IF;
    -- OLD is null on an insert and NEW on a deletion: the customer the contact left, the one
    -- it joined, or the one it stays with, each once.
    UPDATE customers_customer SET search_all = customers_search_all(id, search_text)
    WHERE id IN (OLD.customer_id, NEW.customer_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER customers_contact_search_all
    AFTER INSERT OR UPDATE OR DELETE ON customers_contact
    FOR EACH ROW EXECUTE FUNCTION customers_contact_search_all();

UPDATE customers_customer SET search_all = customers_search_all(id, search_text);

CREATE INDEX customer_search_all_trgm ON customers_customer
    USING gin (search_all gin_trgm_ops);
"""

BACKWARDS = r"""
DROP TRIGGER customers_contact_search_all ON customers_contact;
DROP FUNCTION customers_contact_search_all();
DROP TRIGGER customers_customer_search_all ON customers_customer;
DROP FUNCTION customers_customer_search_all();
DROP FUNCTION customers_search_all(bigint, text);
ALTER TABLE customers_customer DROP COLUMN search_all;
"""


def _statements(script):
    """The script's statements, split at the empty lines between them (a function's body holds
    semicolons of its own; the driver takes one statement at a time)."""
    return [statement.strip() for statement in script.split("\n\n") if statement.strip()]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements(FORWARDS):
            schema_editor.execute(statement, None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements(BACKWARDS.replace(";\n", ";\n\n")):
            schema_editor.execute(statement, None)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0007_contact_customer_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
