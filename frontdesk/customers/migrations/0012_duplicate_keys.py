"""The keys of probable duplicates (SPEC C11, customers.duplicate_keys): three nullable
columns (added in place, without copying the table on SQLite), filled for the existing rows in
batches of ids, then indexed (an index built once is cheaper than one kept through the fill).
"""

import frontdesk.customers.duplicate_keys
from frontdesk.customers.duplicate_keys import email_domain_key, name_key, phone_key
from django.conf import settings
from django.db import migrations, models


BATCH = 1000


def fill_keys(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    last = 0
    while True:
        rows = list(Customer.objects.filter(pk__gt=last).order_by("pk")
                    .only("pk", "short_name", "email", "phone")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.name_key = name_key(row.short_name)
            row.email_domain = email_domain_key(row.email)
            row.phone_key = phone_key(row.phone)
        Customer.objects.bulk_update(rows, ["name_key", "email_domain", "phone_key"])
        last = rows[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0011_notes_activities'),
        ('organizations', '0002_fk_indexes_led_by_others'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='customer',
            name='email_domain',
            field=frontdesk.customers.duplicate_keys.DuplicateKeyField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='customer',
            name='name_key',
            field=frontdesk.customers.duplicate_keys.DuplicateKeyField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='customer',
            name='phone_key',
            field=frontdesk.customers.duplicate_keys.DuplicateKeyField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AlterField(
            model_name='activity',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('updated', 'Updated'), ('imported', 'Imported'), ('note', 'Note'), ('contact_added', 'Contact Added'), ('portal_invited', 'Portal Invited'), ('portal_access', 'Portal Access'), ('quote_created', 'Quote Created'), ('quote_sent', 'Quote Sent'), ('quote_answered', 'Quote Answered'), ('invoice_issued', 'Invoice Issued'), ('invoice_answered', 'Invoice Answered'), ('payment', 'Payment'), ('invoice_cancelled', 'Invoice Cancelled'), ('merged', 'Merged'), ('task_linked', 'Task Linked'), ('task_unlinked', 'Task Unlinked'), ('quote_linked', 'Quote Linked'), ('quote_unlinked', 'Quote Unlinked')], max_length=20),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(condition=models.Q(('name_key__isnull', False)), fields=['organization', 'name_key', 'id'], name='customer_dup_name_key'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(condition=models.Q(('email_domain__isnull', False)), fields=['organization', 'email_domain', 'id'], name='customer_dup_email_domain'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(condition=models.Q(('phone_key__isnull', False)), fields=['organization', 'phone_key', 'id'], name='customer_dup_phone_key'),
        ),
    ]
